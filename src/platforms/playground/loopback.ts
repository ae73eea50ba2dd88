import { isIP } from 'node:net';

/** Whether HOST names only this machine (127.0.0.0/8, ::1, localhost). `0.0.0.0` and `::` are not. */
export function isLoopbackHost(host: string): boolean {
  const value = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (value === 'localhost' || value.endsWith('.localhost')) return true;
  if (value === '::1') return true;
  const v4 = value.startsWith('::ffff:') ? value.slice('::ffff:'.length) : value;
  return isIP(v4) === 4 && v4.startsWith('127.');
}
