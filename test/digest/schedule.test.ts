import { Queue } from 'bullmq';
import { digestPeriod } from '../../src/core/digest';
import { businessDaysBetween } from '../../src/core/digest/business-days';
import { nextFireTimes, parseSchedule } from '../../src/digest/schedule';
import { defaultTranslator } from '../../src/i18n/translator';
import { closeConnection, createQueueConnection } from '../../src/runtime/redis-connections';
import { testRedisUrl, uniquePrefix } from '../support/redis';

const t = defaultTranslator();

/**
 * Monday 09:00 Europe/Berlin is 08:00 UTC in winter (CET) and 07:00 UTC in summer (CEST). Around both
 * changes of next year (last Sundays of March and October) the digest must stay at 09:00 local time.
 * Next year, so BullMQ's clock (the later of now and startDate) is always the controlled one.
 */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay());
}

const DAY = 86_400_000;
const at = (ms: number, hour: number) => new Date(ms + hour * 3_600_000).toISOString();

function expectedFires(year: number): Array<[string, string]> {
  const spring = lastSunday(year, 2);
  const autumn = lastSunday(year, 9);
  return [
    // [controlled "now", expected fire]: two Mondays before, the Monday after (asked on the Sunday of
    // the change itself, at noon), and the one after that.
    [at(spring - 13 * DAY, 0), at(spring - 13 * DAY, 8)],
    [at(spring - 6 * DAY, 0), at(spring - 6 * DAY, 8)],
    [at(spring, 12), at(spring + DAY, 7)],
    [at(spring + 8 * DAY, 0), at(spring + 8 * DAY, 7)],
    [at(autumn - 13 * DAY, 0), at(autumn - 13 * DAY, 7)],
    [at(autumn - 6 * DAY, 0), at(autumn - 6 * DAY, 7)],
    [at(autumn, 12), at(autumn + DAY, 8)],
    [at(autumn + 8 * DAY, 0), at(autumn + 8 * DAY, 8)],
  ];
}

const EXPECTED_FIRES = expectedFires(new Date().getUTCFullYear() + 1);

describe('digest schedules', () => {
  const schedule = parseSchedule('weekly mon 09:00', 'Europe/Berlin');

  it('turns "weekly mon 09:00" and a cron into the same weekly schedule', () => {
    expect(schedule).toEqual({
      cron: '0 9 * * 1',
      tz: 'Europe/Berlin',
      input: 'weekly mon 09:00',
      granularity: 'week',
    });
    expect(parseSchedule('"0 9 * * 1"', 'Europe/Berlin').cron).toBe('0 9 * * 1');
    expect(parseSchedule('daily 17:30', 'UTC')).toMatchObject({ cron: '30 17 * * *', granularity: 'fire' });
  });

  it.each(EXPECTED_FIRES)('from %s (controlled clock) fires at %s: cron logic', (from, expected) => {
    expect(nextFireTimes(schedule, new Date(from), 1)[0].toISOString()).toBe(expected);
  });

  it('fires at Monday 09:00 Berlin around both DST changes: BullMQ job scheduler', async () => {
    const connection = createQueueConnection({ url: testRedisUrl() });
    const queue = new Queue('digest', { connection, prefix: `{${uniquePrefix('dst')}}` });
    try {
      for (const [from, expected] of EXPECTED_FIRES) {
        // startDate is BullMQ's own controlled clock: the first job is the first fire after it.
        const job = await queue.upsertJobScheduler('digest-dst', {
          pattern: schedule.cron,
          tz: schedule.tz,
          startDate: new Date(from),
        });
        expect(new Date(job.opts.prevMillis!).toISOString()).toBe(expected);
        await queue.removeJobScheduler('digest-dst');
      }
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await closeConnection(connection);
    }
  });
});

describe('digest periods', () => {
  it('a Monday digest reports on the week just ended, in the channel time zone', () => {
    expect(digestPeriod(new Date('2026-11-30T08:00:00Z'), 'Europe/Berlin', 'week', t)).toEqual({
      id: '2026-W48',
      label: 'week 48 (23-29 Nov)',
    });
    expect(digestPeriod(new Date('2026-12-07T08:00:00Z'), 'Europe/Berlin', 'week', t).label).toBe(
      'week 49 (30 Nov-6 Dec)',
    );
    // ISO week 53 of 2026 spans the new year.
    expect(digestPeriod(new Date('2027-01-04T08:00:00Z'), 'Europe/Berlin', 'week', t)).toEqual({
      id: '2026-W53',
      label: 'week 53 (28 Dec-3 Jan)',
    });
  });

  it('a Friday afternoon digest reports on its own week; daily schedules get one period per fire', () => {
    expect(digestPeriod(new Date('2026-11-27T16:00:00Z'), 'Europe/Berlin', 'week', t).id).toBe('2026-W48');
    expect(digestPeriod(new Date('2026-11-27T16:00:00Z'), 'Europe/Berlin', 'fire', t).id).toBe(
      '2026-11-27T1700',
    );
  });

  it('counts working days in the time zone, skipping weekends and holidays', () => {
    const friday = new Date('2026-12-18T15:00:00Z');
    expect(businessDaysBetween(friday, new Date('2026-12-21T15:00:00Z'), 'Europe/Berlin')).toBe(1);
    expect(
      businessDaysBetween(friday, new Date('2026-12-28T15:00:00Z'), 'Europe/Berlin', ['2026-12-25']),
    ).toBe(5);
    expect(businessDaysBetween(friday, new Date('2026-12-10T15:00:00Z'), 'Europe/Berlin')).toBe(0);
  });
});

describe('working days against a day-by-day count', () => {
  /** The obvious definition: step one local day at a time, count weekdays that are not holidays. */
  function slowCount(from: Date, to: Date, tz: string, holidays: string[]): number {
    let count = 0;
    const fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
    });
    for (let cursor = from.getTime() + 86_400_000; cursor <= to.getTime(); cursor += 86_400_000) {
      const parts = Object.fromEntries(
        fmt.formatToParts(new Date(cursor)).map((part) => [part.type, part.value]),
      );
      if (parts.weekday === 'Sat' || parts.weekday === 'Sun') continue;
      if (holidays.includes(`${parts.year}-${parts.month}-${parts.day}`)) continue;
      count++;
    }
    return count;
  }

  it('agrees on many random spans (UTC, where a day is always 24 hours)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 300; i++) {
      const from = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 700 * 86_400_000));
      const to = new Date(from.getTime() + Math.floor(random() * 60 * 86_400_000));
      const holidays = ['2026-12-25', '2027-01-01', '2026-05-01'];
      expect(businessDaysBetween(from, to, 'UTC', holidays)).toBe(slowCount(from, to, 'UTC', holidays));
    }
  });
});
