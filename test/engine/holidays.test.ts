import type { PeopleDirectory, Person } from '../../src/core/people';
import { createHolidayCalendar, parseCompanyDays, type CompanyDay } from '../../src/holidays';
import { command, completeRetina, directory, makeHarness, type Harness } from './harness';

/**
 * Reminders and deadlines skip each person's holidays: the public holidays of their people.yaml country
 * (date-holidays) and the company days off. A fixed clock over Christmas in Germany and Thanksgiving in
 * the United States; the same review for someone without a country keeps the plain business days.
 */
const living = (changes: Record<string, Partial<Person>>): PeopleDirectory => ({
  people: directory.people.map((p) => ({ ...p, ...changes[p.id] })),
});

const nudgeAt = (h: Harness, who: string, round = 1) =>
  [...h.scheduler.jobs.values()]
    .find((entry) => entry.job.id.startsWith('nudge-') && entry.job.id.endsWith(`-r${round}-${who}`))
    ?.at.toISOString();

async function jumpTo(h: Harness, iso: string): Promise<void> {
  h.clock.set(iso);
  await h.scheduler.runDue(h.engine, h.clock.now());
}

function companyDays(yaml: string): CompanyDay[] {
  const parsed = parseCompanyDays(yaml, 'holidays/company.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.days;
}

describe('holidays move reminders and deadlines to the next working day', () => {
  it('Christmas in Germany: a reminder due on 25 Dec waits for Mon 28 Dec; an owner without a country gets it on the 25th', async () => {
    const h = makeHarness({
      start: '2026-12-24T09:30:00Z', // Thursday 24 Dec, 10:30 Berlin
      people: living({ ana: { country: 'DE', state: 'BE' } }),
      holidays: createHolidayCalendar([]),
    });
    await command(h, 'sam', 'review R07.2');
    expect(nudgeAt(h, 'ana')).toBe('2026-12-28T09:30:00.000Z');
    expect(nudgeAt(h, 'sam')).toBe('2026-12-25T09:30:00.000Z');

    await jumpTo(h, '2026-12-26T12:00:00Z');
    expect(h.delivery.find('-nudge-owners-r1-sam')).toHaveLength(1);
    expect(h.delivery.find('-nudge-owners-r1-ana')).toHaveLength(0);
    await jumpTo(h, '2026-12-28T12:00:00Z');
    expect(h.delivery.find('-nudge-owners-r1-ana')).toHaveLength(1);
    // Ana's next round counts business days without 25 and 26 Dec (and the weekend): Wed 30 Dec.
    expect(nudgeAt(h, 'ana', 2)).toBe('2026-12-30T09:30:00.000Z');
  });

  it('Thanksgiving in the United States: a reminder due Thu 26 Nov comes on Fri 27 Nov, 10:00 New York', async () => {
    const h = makeHarness({
      start: '2026-11-25T15:00:00Z', // Wednesday 25 Nov, 10:00 New York, 16:00 Berlin
      people: living({
        sam: { tz: 'America/New_York', country: 'US' },
        ana: { country: 'DE' },
      }),
      holidays: createHolidayCalendar([]),
    });
    await command(h, 'sam', 'review R07.2');
    expect(nudgeAt(h, 'sam')).toBe('2026-11-27T15:00:00.000Z');
    expect(nudgeAt(h, 'ana')).toBe('2026-11-26T15:00:00.000Z');
  });

  it('company days off count for everyone, or only for the countries they name', async () => {
    const days = companyDays(
      [
        'days:',
        "  - date: '2026-11-24'",
        '    name: Offsite',
        "  - date: '2026-11-25'",
        '    name: Berlin office closed',
        '    countries: [DE]',
      ].join('\n'),
    );
    const h = makeHarness({
      start: '2026-11-23T09:30:00Z', // Monday 23 Nov, 10:30 Berlin
      people: living({ ana: { country: 'DE' } }),
      holidays: createHolidayCalendar(days),
    });
    await command(h, 'sam', 'review R07.2');
    // Tuesday is everyone's day off; Wednesday only Ana's (DE).
    expect(nudgeAt(h, 'sam')).toBe('2026-11-25T09:30:00.000Z');
    expect(nudgeAt(h, 'ana')).toBe('2026-11-26T09:30:00.000Z');
  });

  it.each([
    ['ana', 'DE', '2026-12-29T16:00:00.000Z'],
    ['lee', undefined, '2026-12-28T16:00:00.000Z'],
  ])(
    "the vote deadline counts the requester's holidays (%s, country %s)",
    async (requester, country, deadline) => {
      const h = makeHarness({
        start: '2026-12-21T09:30:00Z', // Monday 21 Dec, 10:30 Berlin; votes close after 5 business days
        people: living({ ana: { country }, lee: { country } }),
        holidays: createHolidayCalendar([]),
      });
      h.cards.edit('retina-lesion-detector.md', completeRetina);
      await command(h, requester, 'review R07.2');
      const review = await h.stores.reviews.openForProject('R07.2');
      expect(review?.phase).toBe('voting');
      expect(review?.voteDeadline).toBe(deadline);
    },
  );
});

describe('holiday files', () => {
  it('refuses a bad company day with file, line and what is wrong', () => {
    const parsed = parseCompanyDays(
      ['days:', "  - date: '2026-02-30'", '    name: Leap', "  - date: '2026-12-24'"].join('\n'),
      'holidays/bad.yaml',
    );
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? [] : parsed.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'days[0].date', line: 2, problem: 'no such date' }),
        expect.objectContaining({ path: 'days[1].name', line: 4 }),
      ]),
    );
  });
});
