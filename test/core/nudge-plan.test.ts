import { escalationDueAt, nudgeDueAt, roundsOf } from '../../src/core/nudge-plan';

const cal = { tz: 'Europe/Berlin', workingHours: { start: '09:00', end: '17:00' }, holidays: ['2026-12-25'] };
const schedule = { afterBusinessDays: [1, 3, 7], escalate: true };
const start = new Date('2026-11-20T09:30:00Z'); // Friday 10:30 Berlin

describe('nudge plan', () => {
  it.each([
    [1, '2026-11-23T09:30:00.000Z'], // Monday: the weekend does not count
    [2, '2026-11-25T09:30:00.000Z'],
    [3, '2026-12-01T09:30:00.000Z'],
  ])('round %i falls on business days at the same local time', (round, expected) => {
    expect(nudgeDueAt(start, schedule, round, cal)?.toISOString()).toBe(expected);
  });

  it('has no fourth round, and escalates one business day after the last', () => {
    expect(roundsOf(schedule)).toBe(3);
    expect(nudgeDueAt(start, schedule, 4, cal)).toBeUndefined();
    expect(escalationDueAt(start, schedule, cal)?.toISOString()).toBe('2026-12-02T09:30:00.000Z');
    expect(escalationDueAt(start, { ...schedule, escalate: false }, cal)).toBeUndefined();
  });

  it("moves a reminder due after hours in a far zone to that person's next morning", () => {
    const shanghai = { ...cal, tz: 'Asia/Shanghai' };
    // 10:30 Berlin is 17:30 in Shanghai: after hours, so Tuesday 09:00 there.
    expect(nudgeDueAt(start, schedule, 1, shanghai)?.toISOString()).toBe('2026-11-24T01:00:00.000Z');
  });
});
