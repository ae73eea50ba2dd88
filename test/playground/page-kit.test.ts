import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

// The page's helpers are plain browser JavaScript exposed on `window`: load them into a bare context.
const source = readFileSync(join(__dirname, '../../src/platforms/playground/public/page-kit.js'), 'utf8');
interface Kit {
  formatTime(iso: string, tz: string, todayIso?: string): string;
  formatClock(iso: string, tz: string): string;
  setLocale(tag: string): void;
}
const sandbox: { window: { MltrlKit?: Kit } } = { window: {} };
runInNewContext(source, sandbox);
const kit = sandbox.window.MltrlKit!;

describe('playground time stamps', () => {
  it('show the time alone for today and a date otherwise, in the reader zone', () => {
    const now = '2026-12-14T10:00:00Z';
    expect(kit.formatTime('2026-12-14T08:14:00Z', 'Europe/Berlin', now)).toBe('09:14');
    expect(kit.formatTime('2026-12-11T08:14:00Z', 'Europe/Berlin', now)).toBe('Fri 11 Dec, 09:14');
    // 23:30 UTC on the 13th is already the 14th in Tokyo, and so is the clock.
    expect(kit.formatTime('2026-12-13T23:30:00Z', 'Asia/Tokyo', now)).toBe('08:30');
    expect(kit.formatTime('2026-12-13T23:30:00Z', 'Europe/London', now)).toBe('Sun 13 Dec, 23:30');
  });
});

describe('the playground clock', () => {
  afterEach(() => kit.setLocale('en'));

  it('reads 12 hours where the locale does (en-US), 24 hours in plain English and en-GB', () => {
    const at = '2026-12-14T19:05:00Z';
    expect(kit.formatClock(at, 'America/New_York')).toBe('Mon 14 Dec 14:05 America/New_York');
    kit.setLocale('en-GB');
    expect(kit.formatClock(at, 'America/New_York')).toBe('Mon 14 Dec 14:05 America/New_York');
    kit.setLocale('en-US');
    expect(kit.formatClock(at, 'America/New_York')).toMatch(/^Mon 14 Dec 2:05\sPM America\/New_York$/u);
    expect(kit.formatTime(at, 'America/New_York', at)).toMatch(/^2:05\sPM$/u);
  });
});
