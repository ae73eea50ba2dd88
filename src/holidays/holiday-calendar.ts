import type { HolidayCalendar, HolidayPlace } from '../core/holidays';
import type { CompanyDay } from './company-days';
import { PublicHolidays } from './public-holidays';

/**
 * Company days off (for everyone, or for the countries a day names) plus the public holidays of the
 * person's place. Someone without a country in people.yaml has only the company days.
 */
export function createHolidayCalendar(companyDays: CompanyDay[]): HolidayCalendar {
  const everyone = new Set<string>();
  const byCountry = new Map<string, Set<string>>();
  for (const day of companyDays) {
    if (!day.countries) {
      everyone.add(day.date);
      continue;
    }
    for (const country of day.countries) {
      if (!byCountry.has(country)) byCountry.set(country, new Set());
      byCountry.get(country)!.add(day.date);
    }
  }
  const publicHolidays = new PublicHolidays();
  return {
    isDayOff(date: string, place: HolidayPlace | undefined): boolean {
      if (everyone.has(date)) return true;
      if (!place) return false;
      return byCountry.get(place.country)?.has(date) === true || publicHolidays.isHoliday(date, place);
    },
  };
}
