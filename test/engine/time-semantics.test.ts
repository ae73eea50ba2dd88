import type { PeopleDirectory } from '../../src/core/people';
import { command, completeRetina, directory, makeHarness, type Harness } from './harness';

/**
 * Jobs run as of the time they were due: a clock that jumps over due times (the playground's "+1 day",
 * workers down overnight) delivers the reminder that fell due, once, never a burst, and every "next"
 * it names is still to come. Owners in several zones.
 */
const withOwnersIn = (tz: string): PeopleDirectory => ({
  people: directory.people.map((p) => (p.id === 'ana' || p.id === 'sam' ? { ...p, tz } : p)),
});

const nudges = (h: Harness, round: number) => h.delivery.find(`-nudge-owners-r${round}-`);
const dueJobs = (h: Harness, prefix: string) =>
  [...h.scheduler.jobs.values()].filter((entry) => entry.job.id.startsWith(prefix));

async function jumpTo(h: Harness, iso: string): Promise<void> {
  h.clock.set(iso);
  await h.scheduler.runDue(h.engine, h.clock.now());
}

describe('jobs run as of their due time', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Pacific/Auckland'])(
    'a review started in the evening, then "+1 day" at the same evening hour, delivers round 1 (%s)',
    async (tz) => {
      // Monday 23 Nov 18:44 UTC; every jump lands at 18:44 UTC, outside working hours in each zone.
      const h = makeHarness({ start: '2026-11-23T18:44:00Z', people: withOwnersIn(tz) });
      await command(h, 'sam', 'review R07.2');
      for (const day of ['24', '25', '26']) {
        if (nudges(h, 1).length === 2) break;
        await jumpTo(h, `2026-11-${day}T18:44:00Z`);
      }
      expect(nudges(h, 1)).toHaveLength(2);
      expect(nudges(h, 2)).toHaveLength(0);
      // The next round it names is in the future, and it is what is scheduled.
      for (const entry of dueJobs(h, 'nudge-'))
        expect(entry.at.getTime()).toBeGreaterThan(h.clock.now().getTime());
    },
  );

  it('after a gap sends only the latest round due, naming a next reminder still to come', async () => {
    const h = makeHarness(); // Monday 23 Nov 10:30 Berlin; rounds after 1, 3 and 7 business days
    await command(h, 'sam', 'review R07.2');
    // Workers down from Monday to Tuesday 1 Dec: rounds 1 (Tue 24) and 2 (Thu 26) both fell due.
    await jumpTo(h, '2026-12-01T13:00:00Z');
    expect(nudges(h, 1)).toHaveLength(0);
    const second = nudges(h, 2);
    expect(second.map((dm) => (dm.op === 'dm' ? dm.userId : '')).sort()).toEqual(['ana', 'sam']);
    expect(second[0].message.text).toContain('Reminder 2 of 3');
    // Stamped with when round 2 fell due (Thu 26 Nov, 10:30 Berlin), not with the late run's time.
    expect(second[0].message.dueAt).toBe('2026-11-26T09:30:00.000Z');
    expect(second[0].message.text).toContain('next Wed 2 Dec, 10:30 your time');
    const third = dueJobs(h, 'nudge-');
    expect(third.map((entry) => entry.job.data?.round)).toEqual([3, 3]);
    for (const entry of third) expect(entry.at.getTime()).toBeGreaterThan(h.clock.now().getTime());
    expect(h.delivery.find('-escalate-')).toHaveLength(0);
  });

  it('after a snooze ends: one reminder, and the lead is told a business day later, not in the same minute', async () => {
    const h = makeHarness();
    await command(h, 'sam', 'review R07.2');
    await command(h, 'ana', 'snooze R07.2 2w'); // until Monday 7 Dec 10:30 Berlin
    await jumpTo(h, '2026-12-01T10:00:00Z');
    expect(h.delivery.find('-nudge-')).toHaveLength(0);
    await jumpTo(h, '2026-12-08T10:00:00Z'); // every round fell due during the snooze
    expect(nudges(h, 1)).toHaveLength(0);
    expect(nudges(h, 2)).toHaveLength(0);
    expect(nudges(h, 3)).toHaveLength(2);
    expect(h.delivery.find('-escalate-')).toHaveLength(0);
    const [escalation] = dueJobs(h, 'escalate-');
    expect(escalation.at.getTime()).toBeGreaterThan(h.clock.now().getTime());
    await jumpTo(h, '2026-12-10T10:00:00Z');
    expect(h.delivery.find('-escalate-')).toHaveLength(1);
    expect(h.delivery.find('-nudge-')).toHaveLength(2);
  });

  it('a job due outside working hours waits for the next working moment of the due day', async () => {
    const h = makeHarness({ people: withOwnersIn('Asia/Tokyo') });
    await command(h, 'sam', 'review R07.2'); // Monday 18:30 Tokyo: round 1 due Tuesday 18:30, after hours
    const [first] = dueJobs(h, 'nudge-');
    await jumpTo(h, '2026-11-24T09:40:00Z'); // Tuesday 18:40 Tokyo
    expect(nudges(h, 1)).toHaveLength(0);
    await jumpTo(h, '2026-11-25T00:00:00Z'); // Wednesday 09:00 Tokyo
    expect(nudges(h, 1)).toHaveLength(2);
    expect(first.at.toISOString()).toBe('2026-11-25T00:00:00.000Z');
  });

  it('every deadline carries a date and a zone, the same way in the vote, status and reminders', async () => {
    const h = makeHarness({ start: '2026-12-07T09:30:00Z' }); // Monday 7 Dec 10:30 Berlin
    h.cards.edit('retina-lesion-detector.md', completeRetina);
    await command(h, 'sam', 'review R07.2'); // the vote opens; 5 business days: Monday 14 Dec 17:00
    const vote = h.delivery.find('-vote')[0].message.text;
    expect(vote).toMatch(/closes Mon 14 Dec, 17:00 (CET|GMT\+1) or as soon as it is decided/);
    // Li reads status in Shanghai: the same deadline, in Li's own zone, said to be Li's.
    const status = await command(h, 'li', 'status R07.2');
    expect(status.ephemeral[0].text).toContain('closes Tue 15 Dec, 00:00 your time');
    await jumpTo(h, '2026-12-09T01:00:00Z'); // Wednesday 09:00 Shanghai: Li's first reminder
    const reminder = h.delivery.find('-nudge-voters-r1-li')[0].message.text;
    expect(reminder).toMatch(/next \w{3} \d{1,2} Dec, \d\d:\d\d your time/);
  });
});
