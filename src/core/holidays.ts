/**
 * Where a person takes their days off: a country (ISO 3166-1 alpha-2, "DE"), optionally a state or
 * province ("BY") and a region within it, as people.yaml gives them. Public holidays depend on it.
 */
export interface HolidayPlace {
  country: string;
  state?: string;
  region?: string;
}

/**
 * The days nobody should be chased on, beyond weekends: company days off (everyone, or the countries a
 * day names) and the public holidays of a person's place. Dates are local calendar dates (yyyy-mm-dd).
 */
export interface HolidayCalendar {
  isDayOff(date: string, place: HolidayPlace | undefined): boolean;
}

/** The place of a directory person, when people.yaml names a country for them. */
export function placeOf(person: { country?: string; state?: string; region?: string } | undefined) {
  if (!person?.country) return undefined;
  const place: HolidayPlace = { country: person.country };
  if (person.state) place.state = person.state;
  if (person.region) place.region = person.region;
  return place;
}
