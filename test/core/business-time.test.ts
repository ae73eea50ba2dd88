import {
  addBusinessDays,
  businessDaysBetween,
  businessDeadline,
  isWorkingTime,
  nextWorkingMoment,
  type WorkCalendar,
} from '../../src/core/business-time';

const berlin: WorkCalendar = {
  tz: 'Europe/Berlin',
  workingHours: { start: '09:00', end: '17:00' },
  holidays: [],
};
const iso = (d: Date) => d.toISOString();

describe('nextWorkingMoment', () => {
  it.each([
    ['a nudge due Saturday lands Monday 09:00 local', '2026-11-28T10:00:00Z', '2026-11-30T08:00:00.000Z'],
    ['Friday evening moves to Monday morning', '2026-11-27T17:30:00Z', '2026-11-30T08:00:00.000Z'],
    ['early morning waits for 09:00 the same day', '2026-11-24T05:00:00Z', '2026-11-24T08:00:00.000Z'],
    ['inside working hours stays', '2026-11-24T10:15:00Z', '2026-11-24T10:15:00.000Z'],
    ['end of month rolls over', '2026-11-30T20:00:00Z', '2026-12-01T08:00:00.000Z'],
  ])('%s', (_name, at, expected) => {
    expect(iso(nextWorkingMoment(new Date(at), berlin))).toBe(expected);
  });

  it('uses the person zone: 09:00 in New York is 14:00 UTC in November', () => {
    const ny = { ...berlin, tz: 'America/New_York' };
    expect(iso(nextWorkingMoment(new Date('2026-11-28T10:00:00Z'), ny))).toBe('2026-11-30T14:00:00.000Z');
  });

  it('skips holidays', () => {
    const cal = { ...berlin, holidays: ['2026-12-24', '2026-12-25'] };
    expect(iso(nextWorkingMoment(new Date('2026-12-23T18:00:00Z'), cal))).toBe('2026-12-28T08:00:00.000Z');
  });
});

describe('addBusinessDays', () => {
  it('autumn DST week: Friday 09:00 CEST + 1 business day is Monday 09:00 CET', () => {
    expect(iso(addBusinessDays(new Date('2026-10-23T07:00:00Z'), 1, berlin))).toBe(
      '2026-10-26T08:00:00.000Z',
    );
  });
  it('spring DST week: Friday 09:00 CET + 1 business day is Monday 09:00 CEST', () => {
    expect(iso(addBusinessDays(new Date('2026-03-27T08:00:00Z'), 1, berlin))).toBe(
      '2026-03-30T07:00:00.000Z',
    );
  });
  it('US DST end: Friday 10:00 EDT + 1 is Monday 10:00 EST', () => {
    const ny = { ...berlin, tz: 'America/New_York' };
    expect(iso(addBusinessDays(new Date('2026-10-30T14:00:00Z'), 1, ny))).toBe('2026-11-02T15:00:00.000Z');
  });
  it('counts 1, 3 and 7 business days over weekends and a holiday', () => {
    const cal = { ...berlin, holidays: ['2026-12-25'] };
    const start = new Date('2026-12-21T10:00:00Z'); // Mon 11:00 local
    expect(iso(addBusinessDays(start, 1, cal))).toBe('2026-12-22T10:00:00.000Z');
    expect(iso(addBusinessDays(start, 3, cal))).toBe('2026-12-24T10:00:00.000Z');
    expect(iso(addBusinessDays(start, 7, cal))).toBe('2026-12-31T10:00:00.000Z');
  });
  it('a result after working hours moves to the next morning', () => {
    expect(iso(addBusinessDays(new Date('2026-11-24T19:00:00Z'), 1, berlin))).toBe(
      '2026-11-26T08:00:00.000Z',
    );
  });
});

describe('deadlines and spans', () => {
  it('a vote opened Monday closes at 17:00 five business days later', () => {
    expect(iso(businessDeadline(new Date('2026-11-23T10:00:00Z'), 5, berlin))).toBe(
      '2026-11-30T16:00:00.000Z',
    );
  });
  it('counts business days between two instants', () => {
    expect(
      businessDaysBetween(new Date('2026-11-20T10:00:00Z'), new Date('2026-11-30T10:00:00Z'), berlin),
    ).toBe(6);
    expect(
      businessDaysBetween(new Date('2026-11-30T10:00:00Z'), new Date('2026-11-20T10:00:00Z'), berlin),
    ).toBe(0);
  });
  it('knows working time', () => {
    expect(isWorkingTime(new Date('2026-11-24T10:00:00Z'), berlin)).toBe(true);
    expect(isWorkingTime(new Date('2026-11-28T10:00:00Z'), berlin)).toBe(false);
  });
});
