import { existsSync } from 'node:fs';
import { parseOptionsFor } from '../cards/parse-card';
import { createWatchedCardDirectory } from '../cards/watched-directory';
import type { Config } from '../config/config';
import type { PeopleDirectory } from '../core/people';
import type { CardSource, FlowSource } from '../core/ports';
import { loadFlows } from '../flows/load-flows';
import type { HolidayCalendar } from '../core/holidays';
import { createHolidayCalendar, loadCompanyDays, type CompanyDay } from '../holidays';
import { loadPeople } from '../people';

/**
 * The files the bot reads: cards (re-read whenever needed, watched for edits), flows and the people directory (read once,
 * checked before anything else starts, so a bad file stops start-up with its problems listed).
 */
export function loadSources(config: Config): {
  cards: CardSource;
  flows: FlowSource;
  people: PeopleDirectory;
  holidays: HolidayCalendar;
} {
  const flows = loadFlows(config.FLOWS_DIR);
  return {
    // The parser reads people cells, level cells and debrief answers with the flow's placeholder patterns.
    cards: createWatchedCardDirectory(config.CARDS_DIR, parseOptionsFor(flows)),
    flows,
    people: loadPeopleDirectory(config),
    holidays: createHolidayCalendar(loadCompanyDaysOf(config)),
  };
}

/** HOLIDAYS_DIR, else ./holidays when present, else no company days (public holidays still count). */
function loadCompanyDaysOf(config: Config): CompanyDay[] {
  if (config.HOLIDAYS_DIR) return loadCompanyDays(config.HOLIDAYS_DIR);
  return existsSync('holidays') ? loadCompanyDays('holidays') : [];
}

/** PEOPLE_FILE, else ./people.yaml when present, else nobody (cards name people by e-mail or handle). */
function loadPeopleDirectory(config: Config): PeopleDirectory {
  if (config.PEOPLE_FILE) return loadPeople(config.PEOPLE_FILE);
  return existsSync('people.yaml') ? loadPeople('people.yaml') : { people: [] };
}
