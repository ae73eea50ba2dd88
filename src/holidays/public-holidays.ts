import Holidays from 'date-holidays';
import type { HolidayPlace } from '../core/holidays';

/**
 * Public holidays by country, state and region, from date-holidays' maintained data. Only days of type
 * "public" count (not bank, school, optional or observance days): those are the days people are off.
 * Each place's year is computed once and kept as a set of local dates.
 */
export class PublicHolidays {
  private readonly years = new Map<string, Set<string>>();

  isHoliday(date: string, place: HolidayPlace): boolean {
    const year = Number(date.slice(0, 4));
    const key = `${place.country}|${place.state ?? ''}|${place.region ?? ''}|${year}`;
    let days = this.years.get(key);
    if (!days) {
      days = new Set(
        holidaysOf(place)
          .getHolidays(year)
          .filter((holiday) => holiday.type === 'public')
          .map((holiday) => holiday.date.slice(0, 10)),
      );
      if (this.years.size > 1000) this.years.clear();
      this.years.set(key, days);
    }
    return days.has(date);
  }
}

function holidaysOf(place: HolidayPlace): Holidays {
  if (place.region && place.state) return new Holidays(place.country, place.state, place.region);
  if (place.state) return new Holidays(place.country, place.state);
  return new Holidays(place.country);
}

/**
 * Whether date-holidays knows the place, for people.yaml validation: undefined when it does, else the
 * field that is wrong and why in one line ("unknown state "ZZ" in DE (known: BB, BE, ...)").
 */
export function placeProblem(
  place: HolidayPlace,
): { field: 'country' | 'state' | 'region'; message: string } | undefined {
  const lookup = new Holidays();
  if (!lookup.getCountries('en')?.[place.country]) {
    return { field: 'country', message: `unknown country "${place.country}": an ISO code like DE, US or JP` };
  }
  if (place.region && !place.state) return { field: 'region', message: 'a region needs its state' };
  if (!place.state) return undefined;
  const states = lookup.getStates(place.country, 'en') ?? {};
  if (!states[place.state]) {
    const known = Object.keys(states).join(', ') || 'none';
    return {
      field: 'state',
      message: `unknown state "${place.state}" in ${place.country} (known: ${known})`,
    };
  }
  if (!place.region) return undefined;
  const regions = lookup.getRegions(place.country, place.state, 'en') ?? {};
  if (!regions[place.region]) {
    const known = Object.keys(regions).join(', ') || 'none';
    return {
      field: 'region',
      message: `unknown region "${place.region}" in ${place.country}-${place.state} (known: ${known})`,
    };
  }
  return undefined;
}
