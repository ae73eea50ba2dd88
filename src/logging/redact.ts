/** What a secret is replaced with in log lines. */
export const REDACTED = '(redacted)';

/** Field names that hold secrets, wherever they are nested. */
export const SECRET_FIELD =
  /secret|token|password|passwd|authorization|signature|cookie|api[-_]?key|credential|private[-_]?key/i;

const SECRET_NAMES = [
  'secret',
  'token',
  'password',
  'authorization',
  'signature',
  'cookie',
  'apiKey',
  'clientSecret',
  'signingSecret',
  'botToken',
  'appToken',
  'accessToken',
  'refreshToken',
];

/**
 * pino redact paths for the usual secret names at the top and under up to three levels of wildcards
 * (`token`, `*.token`, `*.*.token`, ...). `redactSecrets` below catches the rest at any depth.
 */
export const SECRET_FIELD_PATHS: string[] = SECRET_NAMES.flatMap((name) => [
  name,
  `*.${name}`,
  `*.*.${name}`,
  `*.*.*.${name}`,
]);

const MAX_DEPTH = 12;

/** `redis://user:pass@host` -> `redis://user:(redacted)@host`, wherever a URL with credentials sits in a string. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]+@/gi;

export function maskUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    const message = maskUrlCredentials(value.message);
    return code === undefined ? message : { message, code };
  }
  if (typeof value === 'string') return maskUrlCredentials(value);
  if (value instanceof URL) return maskUrlCredentials(value.href);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH || seen.has(value)) return '(nested)';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  if (value instanceof Date || value instanceof URL) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_FIELD.test(key) ? REDACTED : redactValue(inner, depth + 1, seen);
  }
  return out;
}

/**
 * A copy of `fields` with every field whose name looks secret replaced, at any depth and inside arrays;
 * Errors become their message (and code). Never mutates its input.
 */
export function redactSecrets(fields: Record<string, unknown>): Record<string, unknown> {
  return redactValue(fields, 0, new WeakSet()) as Record<string, unknown>;
}
