import {
  formatClockTime,
  formatDateTime,
  formatWhen,
  usesTwelveHourClock,
  type RenderEnv,
} from '../../src/core/render';
import { plainTimes } from '../../src/core/messages';
import { defaultTranslator } from '../../src/i18n/translator';

const t = defaultTranslator();
const at = '2026-12-14T19:00:00Z'; // 14:00 in New York, 19:00 in London, 20:00 in Berlin

function env(locale: string, tz: string, shared = false): RenderEnv {
  return { t, locale, tz, shared };
}

describe('the clock a reader uses', () => {
  it('writes a 12-hour time where the locale reads one (en-US), from Intl', () => {
    expect(formatWhen(at, env('en-US', 'America/New_York'))).toMatch(/^Mon 14 Dec, 2:00\sPM your time$/u);
    expect(plainTimes(formatWhen(at, env('en-US', 'America/New_York', true)))).toMatch(
      /^Mon 14 Dec, 2:00\sPM EST$/u,
    );
    expect(formatDateTime('2026-12-14T09:05:00Z', env('en-US', 'UTC'))).toMatch(/^Mon 14 Dec, 9:05\sAM$/u);
    expect(formatWhen('2026-12-14T05:00:00Z', env('en-US', 'America/New_York'))).toMatch(
      /12:00\sAM your time$/u,
    );
  });

  it('keeps the 24-hour clock where the locale does (en-GB, de, ja) and in the bot default English', () => {
    expect(formatWhen(at, env('en-GB', 'Europe/London'))).toBe('Mon 14 Dec, 19:00 your time');
    expect(formatWhen(at, env('de', 'Europe/Berlin'))).toBe('Mo., 14. Dez., 20:00 Ihre Zeit');
    expect(formatWhen(at, env('de-DE', 'Europe/Berlin'))).toBe('Mo., 14. Dez., 20:00 Ihre Zeit');
    expect(formatWhen(at, env('en', 'Europe/London'))).toBe('Mon 14 Dec, 19:00 your time');
    expect(formatWhen(at, env('ja', 'Asia/Tokyo'))).toContain('4:00');
    expect(usesTwelveHourClock('en-GB')).toBe(false);
    expect(usesTwelveHourClock('pt-BR')).toBe(false);
    expect(usesTwelveHourClock('en-US')).toBe(true);
    expect(usesTwelveHourClock('en-AU')).toBe(true);
  });

  it('writes a schedule time without a date the same way', () => {
    expect(formatClockTime(9, 0, 'en-US')).toMatch(/^9:00\sAM$/u);
    expect(formatClockTime(17, 30, 'en-US')).toMatch(/^5:30\sPM$/u);
    expect(formatClockTime(9, 0, 'en-GB')).toBe('09:00');
    expect(formatClockTime(9, 0, 'de')).toBe('09:00');
    expect(formatClockTime(9, 0, 'en')).toBe('09:00');
  });

  it('answers 24 hours for a value Intl refuses as a tag', () => {
    expect(usesTwelveHourClock('not a tag!')).toBe(false);
  });
});
