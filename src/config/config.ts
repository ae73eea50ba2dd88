import { z } from 'zod';

/**
 * Configuration from environment variables, parsed once at start-up. A bad value stops the process
 * with every problem listed (see `formatConfigErrors`). Pass your own env in tests.
 */
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
      .optional(),
  ),
  /** Key and queue prefix, so several bots can share one Redis. Wrapped in {} as a Cluster hash tag. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only')
    .default('mltrl'),
  CARDS_DIR: z.string().default('./cards'),
  FLOWS_DIR: z.string().default('./flows'),
  PEOPLE_FILE: optionalString,
  DATA_DIR: z.string().default('./.data'),
  /** Comma-separated people-directory ids, handles, e-mails or platform ids. */
  ADMINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    ),
  DEFAULT_TZ: z.string().default('UTC').refine(isTimeZone, 'an IANA time zone such as Europe/Berlin'),
  DEFAULT_LOCALE: z
    .string()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a locale such as en or en-GB')
    .default('en'),
  PUBLIC_URL: optionalString.pipe(z.string().url().optional()),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** How long active jobs get to finish on SIGTERM before they are handed back. */
  SHUTDOWN_DEADLINE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Serve the playground on a non-loopback HOST as well (it has no login). */
  PLAYGROUND_PUBLIC: booleanFlag,
  /** Serve the playground even when Slack or Teams credentials are set. */
  PLAYGROUND: booleanFlag,

  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  SLACK_API_URL: optionalString.pipe(z.string().url().optional()),

  // Microsoft 365 Agents SDK names (its loadAuthConfigFromEnv reads the same variables).
  clientId: optionalString,
  clientSecret: optionalString,
  tenantId: optionalString,
  /** Connector URL override for tests (a local fake Bot Connector). */
  TEAMS_SERVICE_URL_ALLOWLIST: optionalString,
  /**
   * Serve Teams' POST /api/messages without credentials, for local testing (Agents Playground, tests):
   * loopback requests only, anonymous outbound calls. Ignored when clientId is set.
   */
  TEAMS_LOCAL: booleanFlag,
});

export type Env = z.input<typeof envSchema>;
export type Config = z.output<typeof envSchema> & {
  slackEnabled: boolean;
  teamsEnabled: boolean;
  playgroundEnabled: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const values = parsed.data;
  const problems: string[] = [];
  const slackEnabled = Boolean(values.SLACK_BOT_TOKEN || values.SLACK_CLIENT_ID || values.SLACK_APP_TOKEN);
  if (slackEnabled && !values.SLACK_SIGNING_SECRET && !values.SLACK_APP_TOKEN) {
    problems.push(
      'SLACK_SIGNING_SECRET: required to verify Slack requests (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  if (values.SLACK_CLIENT_ID && (!values.SLACK_CLIENT_SECRET || !values.SLACK_STATE_SECRET)) {
    problems.push(
      'SLACK_CLIENT_SECRET and SLACK_STATE_SECRET: required with SLACK_CLIENT_ID (OAuth install)',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const teamsEnabled = Boolean(values.clientId) || values.TEAMS_LOCAL;
  return {
    ...values,
    slackEnabled,
    teamsEnabled,
    // Local Teams testing (no credentials) keeps the playground on.
    playgroundEnabled: values.PLAYGROUND || (!slackEnabled && !values.clientId),
  };
}

/** Config values safe to log: secrets replaced by "(set)". */
export function redactConfig(config: Config): Record<string, unknown> {
  const secret = /SECRET|TOKEN|clientSecret|PASSWORD/i;
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, secret.test(key) && value ? '(set)' : value]),
  );
}
