/**
 * Durations as people type them: "3d", "1w", "2 days", "12h", "1 week". Returns milliseconds, or
 * undefined when the text is not a duration.
 */
const UNITS: Record<string, number> = {
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 7 * 86_400_000,
  week: 7 * 86_400_000,
  weeks: 7 * 86_400_000,
};

export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,4})\s*([a-z]+)$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = UNITS[match[2].toLowerCase()];
  const amount = Number(match[1]);
  return unit && amount > 0 ? amount * unit : undefined;
}
