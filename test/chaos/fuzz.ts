import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'node:querystring';
import fc from 'fast-check';
import { checkCards } from '../../src/cards/check-cards';
import { checkToText } from '../../src/cards/check-text';
import { isCardError } from '../../src/cards/card-error';
import { parseCard, parseOptionsFor } from '../../src/cards/parse-card';
import type { Card, CardError } from '../../src/core/card';
import { stripControls } from '../../src/core/control-chars';
import { BotError } from '../../src/core/errors';
import { loadFlows, parseFlowText } from '../../src/flows';
import { defaultTranslator } from '../../src/i18n/translator';
import { parsePeopleText } from '../../src/people/load-people';
import { startAppHarness } from '../support/app-harness';
import { FakeBotConnector } from '../support/fake-bot-connector';
import { startFakeSlackApi } from '../support/fake-slack-api';
import { startPrivateRedis } from '../support/redis-server';
import {
  blockActionBody,
  eventBody,
  FORM,
  JSON_TYPE,
  sign,
  slashCommandBody,
} from '../support/slack-requests';
import { cardInvoke, channelMention, personalMessage, TENANT } from '../teams/support/teams-activities';

/**
 * Fuzzing for the chaos suite. Files: cards, flows and people files from the repository, mutated, through
 * the loaders and `cards check` (parse, check, the text report). Payloads: Slack and Teams requests,
 * mutated and then signed correctly so they reach our code, through the HTTP endpoints of the whole app.
 * Counted: crashes (an exception that is not our own refusal; a 5xx; no answer), refusals that do not name
 * what is wrong, unhandled rejections, and changes of the stored state.
 */
export interface FuzzResult {
  name: string;
  inputs: number;
  crashes: number;
  unclear: number;
  unhandledRejections: number;
  stateChanges: number;
  seconds: number;
  notes: Record<string, number | string>;
  examples: string[];
}

const REPO = resolve(__dirname, '..', '..');
const TOKENS = [
  '',
  '-1',
  '0',
  '10',
  '99',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  '{',
  ']]',
  '|',
  '||||',
  '\u0000',
  '\u001b[2J',
  '\u202e',
  '💥',
  'R07.2',
  '<@U1>',
  '${x}',
  '{{id}}',
  '%s',
  '\\',
  '"',
  "'",
  '\n',
  '\r\n',
  '---',
  '#',
  '## Level',
  '| Level | 3 |',
  'level: 12',
  'gates:',
  'people:',
  '- id:',
  '&a',
  '*a',
  '!!js/function',
  'x'.repeat(5000),
];

/** A mutation of `text`: a few edits (delete, duplicate, insert a token, swap two lines), from the seed. */
const editArb = fc.record({
  kind: fc.constantFrom('delete', 'duplicate', 'insert', 'swap', 'truncate'),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.nat({ max: 200 }),
  token: fc.constantFrom(...TOKENS),
});
const mutationArb = fc.array(editArb, { minLength: 1, maxLength: 6 });

function mutate(
  text: string,
  edits: Array<typeof editArb extends fc.Arbitrary<infer T> ? T : never>,
): string {
  let out = text;
  for (const edit of edits) {
    const at = Math.floor(edit.at * out.length);
    if (edit.kind === 'delete') out = out.slice(0, at) + out.slice(at + edit.length);
    else if (edit.kind === 'duplicate')
      out = out.slice(0, at) + out.slice(at, at + edit.length) + out.slice(at);
    else if (edit.kind === 'insert') out = out.slice(0, at) + edit.token + out.slice(at);
    else if (edit.kind === 'truncate') out = out.slice(0, at);
    else {
      const lines = out.split('\n');
      const a = Math.min(lines.length - 1, Math.floor(edit.at * lines.length));
      const b = edit.length % Math.max(1, lines.length);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      out = lines.join('\n');
    }
  }
  return out;
}

function samples<T>(arb: fc.Arbitrary<T>, count: number, seed: number): T[] {
  return fc.sample(arb, { numRuns: count, seed });
}

/** A refusal is clear when it is one line that names the file (or the field) it is about. */
const clearRefusal = (message: string, file: string) =>
  message.trim().length > 0 && message.includes(file.split('/').pop()!);

export async function fuzzFiles(count: number, seed = 14): Promise<FuzzResult> {
  const started = Date.now();
  const flows = loadFlows(join(REPO, 'flows'));
  const options = parseOptionsFor(flows);
  const t = defaultTranslator('en');
  const cardsDir = join(REPO, 'cards');
  const seeds = {
    card: readdirSync(cardsDir)
      .filter((name) => name.endsWith('.md'))
      .map((name) => readFileSync(join(cardsDir, name), 'utf8')),
    flow: readdirSync(join(REPO, 'flows'))
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => readFileSync(join(REPO, 'flows', name), 'utf8')),
    people: [readFileSync(join(REPO, 'people.yaml'), 'utf8')],
  };
  const result: FuzzResult = {
    name: 'fuzz: mutated cards, flows and people files through the loaders and cards check',
    inputs: 0,
    crashes: 0,
    unclear: 0,
    unhandledRejections: 0,
    stateChanges: 0,
    seconds: 0,
    notes: { cards: 0, 'cards refused': 0, flows: 0, 'flows refused': 0, people: 0, 'people refused': 0 },
    examples: [],
  };
  const note = (name: string) => (result.notes[name] = Number(result.notes[name]) + 1);
  const crash = (what: string, error: unknown) => {
    result.crashes += 1;
    if (result.examples.length < 5)
      result.examples.push(
        `${what}: ${error instanceof Error ? error.stack?.split('\n').slice(0, 3).join(' | ') : String(error)}`,
      );
  };
  const batch = 1000;
  for (let done = 0; done < count; done += batch) {
    const edits = samples(mutationArb, Math.min(batch, count - done), seed + done);
    for (const [index, edit] of edits.entries()) {
      const which = (done + index) % 10;
      const kind = which < 6 ? 'card' : which < 8 ? 'flow' : 'people';
      const pool = seeds[kind];
      const text = mutate(pool[(done + index) % pool.length], edit);
      const file = `/fuzz/${kind}-${done + index}.${kind === 'card' ? 'md' : 'yaml'}`;
      result.inputs += 1;
      note(kind === 'card' ? 'cards' : kind === 'flow' ? 'flows' : 'people');
      try {
        if (kind === 'card') {
          const parsed = parseCard(text, file, options);
          const cards: Card[] = isCardError(parsed) ? [] : [parsed];
          const errors: CardError[] = isCardError(parsed) ? [parsed] : [];
          const checked = checkCards({ cards, errors, skipped: [] }, flows);
          const report = checkToText(checked, t, (path) => path);
          for (const error of errors) {
            note('cards refused');
            if (!clearRefusal(error.message, error.file)) result.unclear += 1;
          }
          // The report shows no raw control characters (issue 14, fix 6).
          if (stripControls(report) !== report) {
            result.unclear += 1;
            if (result.examples.length < 5)
              result.examples.push(`control characters in the report of ${file}`);
          }
        } else if (kind === 'flow') {
          parseFlowText(text, file);
        } else {
          parsePeopleText(text, file);
        }
      } catch (error) {
        if (error instanceof BotError) {
          note(kind === 'flow' ? 'flows refused' : 'people refused');
          if (!clearRefusal(error.message, file)) {
            result.unclear += 1;
            if (result.examples.length < 5) result.examples.push(`unclear: ${error.message.slice(0, 200)}`);
          }
        } else crash(file, error);
      }
    }
  }
  result.seconds = Math.round((Date.now() - started) / 100) / 10;
  return result;
}

/** Mutates a JSON value: at a few random places, a value replaced, removed, or given an odd type. */
const oddValueArb = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1e308, '', '\u0000', 'x'.repeat(4000), [], {}, '{"a":', '|||'),
  fc.string({ maxLength: 40 }),
  fc.integer(),
);
const jsonEditsArb = fc.array(
  fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.boolean(), value: oddValueArb }),
  { minLength: 1, maxLength: 4 },
);

function mutateJson(value: unknown, edits: Array<{ at: number; remove: boolean; value: unknown }>): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as unknown;
  for (const edit of edits) {
    const paths: Array<{ parent: Record<string, unknown>; key: string }> = [];
    const walk = (node: unknown) => {
      if (!node || typeof node !== 'object') return;
      for (const key of Object.keys(node)) {
        paths.push({ parent: node as Record<string, unknown>, key });
        walk((node as Record<string, unknown>)[key]);
      }
    };
    walk(copy);
    if (paths.length === 0) return edit.value;
    const { parent, key } = paths[Math.min(paths.length - 1, Math.floor(edit.at * paths.length))];
    if (edit.remove) delete parent[key];
    else parent[key] = edit.value;
  }
  return copy;
}

/** The seed requests of the payload fuzz, by name (`--payloads=slack-vote,teams-invoke` picks some). */
export const PAYLOAD_SEEDS = [
  'slack-command',
  'slack-vote',
  'slack-snooze',
  'slack-event',
  'teams-mention',
  'teams-personal',
  'teams-invoke',
] as const;
export type PayloadSeed = (typeof PAYLOAD_SEEDS)[number];

/** Input `index` of a run mutates this seed (Slack and Teams alternate; each cycles through its seeds). */
export function payloadSeedOf(index: number): PayloadSeed {
  return index % 2 === 0 ? PAYLOAD_SEEDS[(index / 2) % 4] : PAYLOAD_SEEDS[4 + (index % 3)];
}

/**
 * An offending request kept whole (path, headers as sent, body), so it can be sent again: a file per
 * request under one temp folder per run, named by its input index.
 */
export interface KeptRequest {
  index: number;
  seed: PayloadSeed;
  path: string;
  contentType: string;
  body: string;
  status: number;
  answer: string;
}

function requestKeeper() {
  let dir: string | undefined;
  return (request: KeptRequest): string => {
    dir ??= mkdtempSync(join(tmpdir(), 'mltrl-fuzz-'));
    const file = join(dir, `request-${request.index}.json`);
    writeFileSync(file, JSON.stringify(request, null, 2));
    return file;
  };
}

/**
 * Mutated Slack and Teams requests, each signed correctly (Slack v0 signature; Teams in local mode),
 * through the whole app's HTTP endpoints with a review open. Nobody in the seeds may vote (an owner, an
 * outsider), so every request should be answered and refused or ignored without changing stored state.
 * `only` sends just the inputs of the named seeds, with the same mutations as a whole run of `count`
 * (so a seeded run can be narrowed to the kind of request that failed). Each offending request is kept
 * in a file and the file named in the examples.
 */
export async function fuzzPayloads(
  count: number,
  seed = 14,
  only?: readonly PayloadSeed[],
): Promise<FuzzResult> {
  const started = Date.now();
  const keep = requestKeeper();
  const secret = 'fuzz-signing-secret';
  const redis = await startPrivateRedis();
  // The app harness takes its Redis from TEST_REDIS_URL: this run's own, given back afterwards.
  const previousRedisUrl = process.env.TEST_REDIS_URL;
  process.env.TEST_REDIS_URL = redis.url;
  const slack = await startFakeSlackApi();
  for (const name of ['sam', 'max'])
    slack.addUser({ id: `U${name.toUpperCase()}`, name, realName: name, email: `${name}@example.org` });
  const member = (key: string) => ({
    id: `29:1${key}-aad`,
    name: key,
    aadObjectId: `00000000-0000-4000-8000-${key.padEnd(12, '0')}`,
    email: `${key}@example.org`,
    userPrincipalName: `${key}@example.org`,
    tenantId: TENANT,
  });
  const connector = await new FakeBotConnector([member('sam'), member('max')]).start();
  const harness = await startAppHarness({
    env: {
      SLACK_SIGNING_SECRET: secret,
      SLACK_BOT_TOKEN: 'xoxb-fuzz',
      SLACK_API_URL: slack.apiUrl,
      TEAMS_LOCAL: 'true',
    },
  });
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const result: FuzzResult = {
    name: 'fuzz: mutated, correctly signed Slack and Teams requests through the HTTP endpoints',
    inputs: 0,
    crashes: 0,
    unclear: 0,
    unhandledRejections: 0,
    stateChanges: 0,
    seconds: 0,
    notes: { slack: 0, teams: 0, '2xx': 0, '4xx': 0, '5xx': 0, 'no answer': 0 },
    examples: [],
  };
  try {
    const app = harness.app;
    const post = async (path: string, body: string, headers: Record<string, string>) => {
      try {
        const response = await fetch(`${harness.baseUrl}${path}`, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(15000),
        });
        const text = await response.text();
        return { status: response.status, text };
      } catch (error) {
        // fetch's own message ("fetch failed") hides why: the cause says (reset, closed, timed out).
        const cause = (error as { cause?: unknown }).cause;
        return { status: 0, text: `${String(error)}${cause ? ` (${String(cause)})` : ''}` };
      }
    };
    // A review open in Slack with a vote, so vote and snooze values point at something real.
    const open = sign(
      secret,
      slashCommandBody({ text: 'review R07.2', userId: 'USAM', responseUrl: slack.responseUrl('open') }),
      FORM,
    );
    await post('/slack/events', open.body, open.headers);
    await slack.waitFor((calls) => calls.some((call) => call.method === 'respond'), 60000);
    const stateBefore = await stateDigest(app.redis, app.keyPrefix);
    const slackSeeds: Array<{
      form?: Record<string, string>;
      json?: unknown;
      kind: 'form' | 'payload' | 'event';
    }> = [
      {
        kind: 'form',
        form: Object.fromEntries(
          new URLSearchParams(
            slashCommandBody({ text: 'status R07.2', userId: 'UMAX', responseUrl: slack.responseUrl('c') }),
          ),
        ),
      },
      {
        kind: 'payload',
        json: JSON.parse(
          new URLSearchParams(
            blockActionBody({
              userId: 'UMAX',
              actionId: 'mltrl:vote-approve',
              value: 'v1|RV01|approve',
              responseUrl: slack.responseUrl('a'),
            }),
          ).get('payload')!,
        ),
      },
      {
        kind: 'payload',
        json: JSON.parse(
          new URLSearchParams(
            blockActionBody({
              userId: 'USAM',
              actionId: 'mltrl:snooze',
              value: 's1|RV01|3',
              responseUrl: slack.responseUrl('s'),
            }),
          ).get('payload')!,
        ),
      },
      {
        kind: 'event',
        json: JSON.parse(
          eventBody('T0001', {
            type: 'app_mention',
            user: 'UMAX',
            text: '<@UBOT> status',
            channel: 'C0REVIEWS',
            ts: '1.1',
          }),
        ),
      },
    ];
    const teamsSeeds = [
      channelMention(connector.url, member('max'), 'status R07.2'),
      personalMessage(connector.url, member('sam'), 'help'),
      cardInvoke(connector.url, member('max'), 'f:vote', 'vote-approve', {
        mltrl: 'action',
        actionId: 'vote-approve',
        value: 'v1|RV01|approve',
      }),
    ];
    const edits = samples(jsonEditsArb, count, seed);
    const tally = (status: number) => {
      const bucket = status === 0 ? 'no answer' : `${String(status)[0]}xx`;
      result.notes[bucket] = Number(result.notes[bucket] ?? 0) + 1;
      if (status === 0 || status >= 500) result.crashes += 1;
    };
    for (const [index, edit] of edits.entries()) {
      if (only && !only.includes(payloadSeedOf(index))) continue;
      result.inputs += 1;
      let answer: { status: number; text: string };
      let sent: string;
      let contentType = JSON_TYPE;
      if (index % 2 === 0) {
        result.notes.slack = Number(result.notes.slack) + 1;
        const base = slackSeeds[(index / 2) % slackSeeds.length];
        if (base.kind === 'form') {
          const form = mutateJson(base.form, edit) as Record<string, unknown>;
          sent = stringify(
            Object.fromEntries(
              Object.entries(form && typeof form === 'object' ? form : {}).map(([k, v]) => [
                k,
                typeof v === 'string' ? v : JSON.stringify(v),
              ]),
            ),
          );
          contentType = FORM;
          answer = await post('/slack/events', sent, sign(secret, sent, FORM).headers);
        } else if (base.kind === 'payload') {
          sent = stringify({ payload: JSON.stringify(mutateJson(base.json, edit)) });
          contentType = FORM;
          answer = await post('/slack/events', sent, sign(secret, sent, FORM).headers);
        } else {
          sent = JSON.stringify(mutateJson(base.json, edit));
          answer = await post('/slack/events', sent, sign(secret, sent, JSON_TYPE).headers);
        }
      } else {
        result.notes.teams = Number(result.notes.teams) + 1;
        sent = JSON.stringify(mutateJson(teamsSeeds[index % teamsSeeds.length], edit));
        answer = await post('/api/messages', sent, { 'content-type': JSON_TYPE });
      }
      tally(answer.status);
      const kept = () =>
        keep({
          index,
          seed: payloadSeedOf(index),
          path: index % 2 === 0 ? '/slack/events' : '/api/messages',
          contentType,
          body: sent,
          status: answer.status,
          answer: answer.text,
        });
      // A refusal at the HTTP level (4xx) says what is wrong in its body.
      if (answer.status >= 400 && answer.status < 500 && answer.text.trim() === '') {
        result.unclear += 1;
        if (result.examples.length < 5)
          result.examples.push(
            `${answer.status} with an empty body <- ${sent.slice(0, 300)} (whole: ${kept()})`,
          );
      }
      if ((answer.status === 0 || answer.status >= 500) && result.examples.length < 5)
        result.examples.push(
          `${answer.status} ${answer.text.slice(0, 120)} <- ${sent.slice(0, 300)} (whole: ${kept()})`,
        );
    }
    // Whatever the requests queued (private answers) is done before the state is compared.
    for (let idle = 0; idle < 3;) {
      const counts = await app.delivery!.queue.getJobCounts('waiting', 'active', 'delayed');
      idle = counts.waiting + counts.active + counts.delayed === 0 ? idle + 1 : 0;
      await new Promise((done) => setTimeout(done, 200));
    }
    const stateAfter = await stateDigest(app.redis, app.keyPrefix);
    const changed = [...new Set([...stateBefore.keys(), ...stateAfter.keys()])].filter(
      (key) => stateBefore.get(key) !== stateAfter.get(key),
    );
    result.stateChanges = changed.length;
    if (changed.length > 0) result.examples.push(`state changed: ${changed.slice(0, 20).join(', ')}`);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    result.unhandledRejections = unhandled.length;
    await harness.stop();
    await connector.stop();
    await slack.close();
    await redis.stop();
    if (previousRedisUrl === undefined) delete process.env.TEST_REDIS_URL;
    else process.env.TEST_REDIS_URL = previousRedisUrl;
  }
  result.seconds = Math.round((Date.now() - started) / 100) / 10;
  return result;
}

/**
 * A digest of the stored state (reviews, votes, levels, snoozes, settings), by key. Left out on purpose:
 * queues and delivery bookkeeping, counters, caches of profiles and conversations, replay guards, and
 * the audit trail (refusals are audited by design).
 */
const VOLATILE =
  /bull|}:(delivery|digest|engine|git|cards):|:deliv:|metrics|replay|profile|cache|:conv|teams:|slack:|audit|rate|health|seen|lock|install/i;

async function stateDigest(redis: import('ioredis').default, prefix: string): Promise<Map<string, string>> {
  const digest = new Map<string, string>();
  const keys = (await redis.keys(`${prefix}*`)).filter((key) => !VOLATILE.test(key)).sort();
  for (const key of keys) {
    const dumped = await redis.dumpBuffer(key);
    digest.set(
      key,
      createHash('sha1')
        .update(dumped ?? Buffer.alloc(0))
        .digest('hex'),
    );
  }
  return digest;
}

export function formatFuzz(results: FuzzResult[]): string {
  const lines = [
    '| fuzz | inputs | crashes | unclear refusals | unhandled rejections | state changes | seconds | notes |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const notes = Object.entries(r.notes)
      .map(([name, value]) => `${name}: ${value}`)
      .join('; ');
    lines.push(
      `| ${r.name} | ${r.inputs} | ${r.crashes} | ${r.unclear} | ${r.unhandledRejections} | ${r.stateChanges} | ${r.seconds} | ${notes} |`,
    );
  }
  return lines.join('\n');
}
