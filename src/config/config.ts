import { z } from 'zod';
import { isTimeZone } from '../core/time-zone';
import { normalizeLocale } from '../core/locale';

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

/** `host:port` or `[ipv6]:port`, the way Sentinel and Cluster addresses are written. */
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/;

export interface HostPort {
  host: string;
  port: number;
}

/** A comma-separated `host:port` list, e.g. `10.0.0.5:26379,10.0.0.6:26379`; unset or blank: undefined. */
function hostPortList(example: string) {
  return optionalString.transform((value, ctx): HostPort[] | undefined => {
    if (value === undefined) return undefined;
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const parsed = entries.map((entry) => HOST_PORT.exec(entry));
    const bad = entries.filter((_, index) => {
      const match = parsed[index];
      return !match || Number(match[2]) < 1 || Number(match[2]) > 65535;
    });
    if (entries.length === 0 || bad.length > 0) {
      const which = bad.length > 0 ? ` (not valid: ${bad.join(', ')})` : '';
      ctx.addIssue({ code: 'custom', message: `host:port entries, e.g. ${example}${which}` });
      return z.NEVER;
    }
    return parsed.map((match) => ({ host: match![1]!.replace(/^\[|\]$/g, ''), port: Number(match![2]) }));
  });
}

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** A small HTTP port for /healthz, /readyz and /metrics (worker processes have no other). */
  HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Audit length policy per project, applied hourly by worker processes; 0: keep everything. */
  AUDIT_MAX_AGE_DAYS: z.coerce.number().int().min(0).default(0),
  AUDIT_MAX_ENTRIES: z.coerce.number().int().min(0).default(0),
  /** /readyz fails when a queue's oldest ready job has waited this long (workers down); 0: off. */
  READY_QUEUE_STALL_MS: z.coerce.number().int().min(0).default(600_000),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
      .optional(),
  ),
  /** Redis Sentinel instead of REDIS_URL: sentinel addresses plus the monitored master's name. */
  REDIS_SENTINELS: hostPortList('10.0.0.5:26379'),
  REDIS_SENTINEL_NAME: optionalString,
  /** Redis Cluster instead of REDIS_URL: a few seed nodes; the client discovers the rest. */
  REDIS_CLUSTER_NODES: hostPortList('10.0.0.5:6379'),
  /** Password of the Redis servers behind REDIS_SENTINELS or REDIS_CLUSTER_NODES (REDIS_URL carries its own). */
  REDIS_PASSWORD: optionalString,
  /** Password of the sentinels themselves, when they require one. */
  REDIS_SENTINEL_PASSWORD: optionalString,
  /** Key and queue prefix, so several bots can share one Redis. Wrapped in {} as a Cluster hash tag. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only')
    .default('mltrl'),
  CARDS_DIR: z.string().default('./cards'),
  /** Cards from a git repository instead of CARDS_DIR: cloned under DATA_DIR, fetched on poll and push. */
  CARDS_GIT_URL: optionalString,
  /** Default: the remote's default branch. */
  CARDS_GIT_BRANCH: optionalString,
  /** Sub-folder of the repository that holds the cards. */
  CARDS_GIT_PATH: optionalString,
  CARDS_GIT_TOKEN: optionalString,
  CARDS_GIT_SSH_KEY_FILE: optionalString,
  CARDS_GIT_POLL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  CARDS_GIT_WEBHOOK_SECRET: optionalString,
  /** Decisions written back into the card (git source only): off, a commit, or a pull/merge request. */
  CARDS_WRITE_BACK: z.enum(['off', 'commit', 'pull-request']).default('off'),
  CARDS_FORGE: z.enum(['github', 'gitlab']).optional(),
  /** Forge REST API base; default https://api.github.com, or https://<host>/api/v4 for GitLab. */
  CARDS_FORGE_API_URL: optionalString.pipe(z.string().url().optional()),
  /** owner/name (GitHub) or group/name (GitLab); default: the path of CARDS_GIT_URL. */
  CARDS_FORGE_REPOSITORY: optionalString,
  /** Link to a card at a revision: a template with {sha} and {path}. */
  CARDS_WEB_URL: optionalString,
  FLOWS_DIR: z.string().default('./flows'),
  PEOPLE_FILE: optionalString,
  /** Company days off (*.yaml); default ./holidays when that folder exists. */
  HOLIDAYS_DIR: optionalString,
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
  /** BCP 47 ("de", "pt-BR"); a POSIX-style "pt_BR" is accepted and normalised. */
  DEFAULT_LOCALE: z
    .string()
    .default('en')
    .transform((value, issue) => {
      const locale = normalizeLocale(value);
      if (!locale) issue.addIssue({ code: 'custom', message: 'a locale such as en, de or pt-BR' });
      return locale ?? value;
    }),
  PUBLIC_URL: optionalString.pipe(z.string().url().optional()),
  /** Signs the portfolio page's links (HMAC-SHA256); unset: derived from a platform secret, or kept in Redis. */
  PORTFOLIO_LINK_SECRET: optionalString.pipe(
    z.string().min(32, 'at least 32 characters, e.g. from `openssl rand -hex 32`').optional(),
  ),
  /** Where `help` sends people for the docs; default: package.json `homepage`. */
  DOCS_URL: optionalString.pipe(z.string().url().optional()),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** `json` lines for machines, `pretty` for a terminal; unset: pretty when stderr is a terminal. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /**
   * OpenTelemetry traces, off unless an OTLP/HTTP collector is named: `http://collector:4318` (spans go
   * to `/v1/traces` under it), or the full traces URL in the per-signal variable.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(z.string().url().optional()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalString.pipe(z.string().url().optional()),
  /** `service.name` of the spans (the process's role, web or worker, is the `mltrl.role` attribute). */
  OTEL_SERVICE_NAME: optionalString.transform((value) => value ?? 'mltrl-bot'),
  /** How long active jobs get to finish on SIGTERM before they are handed back. */
  SHUTDOWN_DEADLINE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /**
   * A delivery claim older than this belongs to a dead or ambiguous attempt: the platform is asked
   * whether the message landed before it is posted again. Workers cut platform calls at half of it, and
   * the Slack client's HTTP time-out is a second shorter, so the client always gives up first.
   */
  DELIVERY_CLAIM_TIMEOUT_MS: z.coerce.number().int().min(3000).max(600_000).default(32_000),
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
  const problems: string[] = redisProblems(values);
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
  problems.push(...cardsGitProblems(values));
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

/** How to reach Redis is one choice: REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES (or none: embedded). */
function redisProblems(values: z.output<typeof envSchema>): string[] {
  const problems: string[] = [];
  const chosen = (['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const).filter(
    (key) => values[key],
  );
  if (chosen.length > 1) problems.push(`${chosen.join(' and ')}: set only one way to reach Redis`);
  if (values.REDIS_SENTINELS && !values.REDIS_SENTINEL_NAME) {
    problems.push(
      'REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the master name the sentinels monitor)',
    );
  }
  if (values.REDIS_SENTINEL_NAME && !values.REDIS_SENTINELS) {
    problems.push('REDIS_SENTINEL_NAME: only used with REDIS_SENTINELS');
  }
  if (values.REDIS_SENTINEL_PASSWORD && !values.REDIS_SENTINELS) {
    problems.push('REDIS_SENTINEL_PASSWORD: only used with REDIS_SENTINELS');
  }
  if (values.REDIS_PASSWORD && !values.REDIS_SENTINELS && !values.REDIS_CLUSTER_NODES) {
    problems.push(
      'REDIS_PASSWORD: only used with REDIS_SENTINELS or REDIS_CLUSTER_NODES (put a REDIS_URL password in the URL)',
    );
  }
  return problems;
}

function cardsGitProblems(values: z.output<typeof envSchema>): string[] {
  const problems: string[] = [];
  const gitOnly = [
    'CARDS_GIT_BRANCH',
    'CARDS_GIT_PATH',
    'CARDS_GIT_TOKEN',
    'CARDS_GIT_SSH_KEY_FILE',
    'CARDS_GIT_WEBHOOK_SECRET',
  ] as const;
  if (!values.CARDS_GIT_URL) {
    const set = gitOnly.filter((key) => values[key]);
    if (set.length > 0) problems.push(`${set.join(', ')}: only used with CARDS_GIT_URL`);
  } else if (/^[a-z+]+:\/\/[^/@]*:[^/@]*@/i.test(values.CARDS_GIT_URL)) {
    problems.push('CARDS_GIT_URL: put the password or token in CARDS_GIT_TOKEN, not in the URL');
  }
  if (values.CARDS_WRITE_BACK !== 'off' && !values.CARDS_GIT_URL) {
    problems.push('CARDS_WRITE_BACK: needs CARDS_GIT_URL (decisions are written into the card repository)');
  }
  if (values.CARDS_WRITE_BACK === 'pull-request' && (!values.CARDS_FORGE || !values.CARDS_GIT_TOKEN)) {
    problems.push('CARDS_WRITE_BACK=pull-request: needs CARDS_FORGE (github or gitlab) and CARDS_GIT_TOKEN');
  }
  if (values.CARDS_WEB_URL && !values.CARDS_WEB_URL.includes('{sha}')) {
    problems.push(
      'CARDS_WEB_URL: a link template with {sha} and {path}, e.g. https://forge.example.org/org/cards/blob/{sha}/{path}',
    );
  }
  return problems;
}

/** Config values safe to log: secrets replaced by "(set)". */
export function redactConfig(config: Config): Record<string, unknown> {
  const secret = /SECRET|TOKEN|clientSecret|PASSWORD/i;
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, secret.test(key) && value ? '(set)' : value]),
  );
}

/**
 * The HTTP time-out for a ChatPort's platform calls that fits a claim time-out: the worker's own deadline
 * (half the claim time-out) minus a margin, so the client gives up first and its error is the one seen.
 */
export function platformCallTimeoutMs(claimTimeoutMs: number): number {
  return Math.max(500, Math.floor(claimTimeoutMs / 2) - 1000);
}
