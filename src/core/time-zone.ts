/**
 * An IANA time zone name ("Europe/Berlin", "UTC", "Etc/GMT+1") that this runtime knows. The shape check
 * keeps offsets and cron-like tokens out (newer runtimes' Intl accepts "+01:00", which is not a zone).
 */
export function isTimeZone(value: string): boolean {
  if (!value || value.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
