import type Redis from 'ioredis';
import { resolveRedis } from '../app/app-redis';
import { ConfigError, loadConfig } from '../config/config';
import type { AuditEvent } from '../core/engine/store-ports';
import { queuePrefix } from '../jobs/job-ids';
import { silentLogger } from '../logging/logger';
import { closeConnection, createCommandConnection } from '../runtime/redis-connections';
import { verifyChain, type ChainProblem } from '../storage/redis/audit-chain';
import { RedisAuditLog } from '../storage/redis/redis-audit-log';

const USAGE = `usage: mltrl-bot audit verify [--project <id>]
       mltrl-bot audit export [--project <id>] [--since <date>] --format json|csv

  verify   checks the hash chain of every project's audit trail (or one project's); names each entry
           that was changed, and each entry whose predecessor was removed or that was inserted. A chain
           trimmed by AUDIT_MAX_AGE_DAYS / AUDIT_MAX_ENTRIES is checked from its anchor (the hash of the
           last entry removed).
           Exit status 0: intact, 1: tampered, 2: bad arguments or Redis unreachable.
  export   writes the trail (with each entry's chain hashes) to stdout for auditors.

Reads the bot's Redis from the same variables as the bot (REDIS_URL, REDIS_PREFIX, ...).`;

interface Options {
  action: 'verify' | 'export';
  project?: string;
  since?: Date;
  format?: 'json' | 'csv';
}

function parseArgs(args: string[]): Options | string {
  const [action, ...rest] = args;
  if (action !== 'verify' && action !== 'export')
    return action ? `unknown action "${action}"` : 'say verify or export';
  const options: Options = { action };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = rest[i + 1];
    if (!['--project', '--since', '--format'].includes(arg)) return `unknown option "${arg}"`;
    if (!value || value.startsWith('--')) return `${arg} needs a value`;
    i++;
    if (arg === '--project') options.project = value;
    else if (arg === '--since') {
      const since = new Date(value);
      if (Number.isNaN(since.getTime())) return `"${value}" is not a date (write e.g. 2026-11-01)`;
      options.since = since;
    } else if (value === 'json' || value === 'csv') options.format = value;
    else return `--format is json or csv, not "${value}"`;
  }
  if (options.action === 'export' && !options.format) return 'export needs --format json|csv';
  if (options.action === 'verify' && (options.since || options.format)) return 'verify takes only --project';
  return options;
}

/** One line per broken link, naming the project and the entry. */
export function describeProblem(projectId: string, problem: ChainProblem, event?: AuditEvent): string {
  const what = event ? ` (${event.type} at ${event.at})` : '';
  return problem.kind === 'changed'
    ? `${projectId}: entry ${problem.id}${what} was changed after it was written`
    : `${projectId}: entry ${problem.id}${what} does not follow the entry before it: an entry was removed before it, or it was inserted`;
}

/** Checks every project's chain; returns the problem lines (empty: intact) and how many entries were read. */
export async function verifyAudit(
  log: RedisAuditLog,
  project?: string,
): Promise<{ problems: string[]; entries: number; projects: number; trimmed: number }> {
  const projects = project ? [project] : await log.projects();
  const problems: string[] = [];
  let entries = 0;
  let trimmed = 0;
  for (const projectId of projects) {
    const [chain, anchor] = await Promise.all([log.chainOf(projectId), log.anchorOf(projectId)]);
    entries += chain.length;
    trimmed += anchor?.count ?? 0;
    for (const problem of verifyChain(chain, anchor)) {
      const json = chain.find((entry) => entry.id === problem.id)?.json;
      let event: AuditEvent | undefined;
      try {
        event = json ? (JSON.parse(json) as AuditEvent) : undefined;
      } catch {
        event = undefined;
      }
      problems.push(describeProblem(projectId, problem, event));
    }
  }
  return { problems, entries, projects: projects.length, trimmed };
}

const CSV_COLUMNS = [
  'id',
  'at',
  'projectId',
  'reviewId',
  'actor',
  'type',
  'revision',
  'data',
  'prev',
  'hash',
];

function csvCell(value: unknown): string {
  const text = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The trail as JSON (an array) or CSV (a header line, then one line per entry), oldest first. */
export async function exportAudit(
  log: RedisAuditLog,
  options: { project?: string; since?: Date; format: 'json' | 'csv' },
): Promise<string> {
  const projects = options.project ? [options.project] : await log.projects();
  const rows: Array<Record<string, unknown>> = [];
  for (const projectId of projects) {
    for (const entry of await log.chainOf(projectId)) {
      const event = JSON.parse(entry.json) as AuditEvent;
      if (options.since && Date.parse(event.at) < options.since.getTime()) continue;
      rows.push({ id: entry.id, ...event, prev: entry.prev, hash: entry.hash });
    }
  }
  rows.sort((a, b) => String(a.at).localeCompare(String(b.at)) || String(a.id).localeCompare(String(b.id)));
  if (options.format === 'json') return JSON.stringify(rows, null, 2);
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(CSV_COLUMNS.map((column) => csvCell(row[column])).join(','));
  return lines.join('\n');
}

export async function run(
  args: string[],
  env: Record<string, string | undefined> = process.env,
  out: (text: string) => void = (text) => console.log(text),
): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    console.error(`mltrl-bot audit: ${options}\n\n${USAGE}`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  const resolved = await resolveRedis(config, silentLogger);
  const redis: Redis = createCommandConnection(resolved.target, 'mltrl-audit');
  try {
    const log = new RedisAuditLog(redis, queuePrefix(config.REDIS_PREFIX));
    if (options.action === 'export') {
      out(
        await exportAudit(log, { project: options.project, since: options.since, format: options.format! }),
      );
      return 0;
    }
    const result = await verifyAudit(log, options.project);
    for (const line of result.problems) out(line);
    out(
      result.problems.length
        ? `audit trail TAMPERED: ${result.problems.length} problem(s) in ${result.entries} entries`
        : `audit trail intact: ${result.entries} entries in ${result.projects} project chain(s)` +
            (result.trimmed
              ? `, checked from the anchors of ${result.trimmed} trimmed by the length policy`
              : ''),
    );
    return result.problems.length ? 1 : 0;
  } finally {
    await closeConnection(redis);
    await resolved.stop();
  }
}
