import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { killHard } from '../jobs/support/child-worker';
import { waitFor } from '../jobs/support/recording-chat-port';
import { createGitRemote, type GitRemote } from '../support/git-remote';
import { testRedisUrl, uniquePrefix } from '../support/redis';
import { freePort } from '../support/redis-server';

/**
 * "One commit for everyone" across real processes: `mltrl-bot web` and `mltrl-bot worker`, each with its
 * own clone (as on two machines), on one Redis and one bare card repository. A force-push replaces the
 * history (the new tip is no descendant of the old one) and only the web process hears the webhook. The
 * worker, when its reminder job falls due, must fetch first and act on the new card; both end on the
 * commit recorded in Redis, and nothing in the review's channel or reminders describes the old card.
 */
jest.setTimeout(240_000);

const REPO = resolve(__dirname, '..', '..');
const FILE = 'retina-lesion-detector.md';
const SECRET = 'force-push-secret';
const retina = readFileSync(join(REPO, 'cards', FILE), 'utf8');
const TESTING_EMPTY = 'Testing status: empty';
/** The rewritten card: testing status filled; the code repository row still holds the template. */
const rewritten = retina.replace('### Testing status\n', '### Testing status\n\nNightly held-out evaluation.\n');

type Row = { id: string; version?: number; message: { kind: string; text: string }; replies: Row[] };

let remote: GitRemote;
let dir: string;
let redis: Redis;
const prefix = uniquePrefix('force');
const children: ChildProcess[] = [];
const outputs = new Map<string, string>();

beforeAll(() => {
  redis = new Redis(testRedisUrl(), { protocol: 2 });
});
afterAll(async () => {
  for (const child of children) await killHard(child);
  const keys = await redis.keys(`{${prefix}}*`);
  for (let index = 0; index < keys.length; index += 500) await redis.del(...keys.slice(index, index + 500));
  await redis.quit();
  remote?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function start(role: 'web' | 'worker'): Promise<string> {
  const port = String(await freePort());
  const child = spawn(process.execPath, [join(REPO, 'bin', 'mltrl-bot.js'), role], {
    cwd: REPO,
    env: {
      ...process.env,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      HOST: '127.0.0.1',
      ...(role === 'web' ? { PORT: port } : { HEALTH_PORT: port }),
      CARDS_GIT_URL: remote.url,
      CARDS_GIT_PATH: 'cards',
      CARDS_GIT_POLL_SECONDS: '0',
      CARDS_GIT_WEBHOOK_SECRET: SECRET,
      FLOWS_DIR: join(REPO, 'flows'),
      PEOPLE_FILE: join(dir, 'people.yaml'),
      // Each process its own data folder, so its own clone.
      DATA_DIR: join(dir, `data-${role}`),
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  outputs.set(role, '');
  const append = (chunk: Buffer) => outputs.set(role, outputs.get(role) + chunk.toString());
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  await waitFor(async () => /Health: |Workers running/.test(outputs.get(role)!), 180_000, `${role} to start`);
  return `http://127.0.0.1:${port}`;
}

const healthCommit = async (url: string) =>
  ((await (await fetch(`${url}/healthz`)).json()) as { cards?: { commit?: string } }).cards?.commit;

it('web and worker end on the force-pushed commit recorded in Redis; the worker acts only on the new card', async () => {
  remote = createGitRemote({ [`cards/${FILE}`]: retina, 'cards/README.md': '# cards\n' });
  const old = remote.commit({ 'cards/README.md': '# cards, second commit\n' }, 'second');
  dir = mkdtempSync(join(tmpdir(), 'mltrl-force-'));
  cpSync(join(REPO, 'people.yaml'), join(dir, 'people.yaml'));
  const web = await start('web');
  const worker = await start('worker');
  expect(await healthCommit(web)).toBe(old);
  expect(await healthCommit(worker)).toBe(old);

  const api = async (path: string, body?: unknown) => {
    const response = await fetch(`${web}/playground/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };
  const channel = async () =>
    (await api('/conversations/playground:ml-reviews/messages?as=lee')).messages as Row[];
  const dm = async (who: string) =>
    (await api(`/conversations/playground:dm-${who}/messages?as=${who}`)).messages as Row[];

  await api('/conversations/playground:ml-reviews/commands', { as: 'sam', text: '/mltrl review R07.2' });
  const report = await waitFor(
    async () => (await channel()).find((row) => row.message.text.includes('Before reviewers can vote')),
    60_000,
    'the gap report (delivered by the worker)',
  );
  expect(report.message.text).toContain(TESTING_EMPTY);

  // History rewritten: a new root commit, not a descendant of what both processes serve.
  const tip = remote.forcePush({ [`cards/${FILE}`]: rewritten, 'cards/README.md': '# cards\n' });
  const body = Buffer.from(JSON.stringify({ ref: 'refs/heads/main', after: tip }));
  const signature = createHmac('sha256', SECRET).update(body).digest('hex');
  const hook = await fetch(`${web}/webhooks/git`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
    body: new Uint8Array(body),
  });
  expect(hook.status).toBe(202);
  await waitFor(async () => (await healthCommit(web)) === tip, 60_000, 'the web process on the new tip');
  await waitFor(async () => (await redis.get(`{${prefix}}:cards:commit`)) === tip, 60_000, 'the tip recorded');
  // The web process re-checked the review: the gap report now lists only what the new card lacks.
  await waitFor(
    async () => {
      const now = (await channel()).find((row) => row.id === report.id);
      return now && !now.message.text.includes(TESTING_EMPTY) && now.message.text.includes('Code repo');
    },
    60_000,
    'the gap report updated for the new card',
  );

  // The worker heard no webhook and has read no card since: it still serves the old history.
  expect(await healthCommit(worker)).toBe(old);

  // The first reminders fall due; the worker runs them, and must fetch before it reads the card. They
  // fall in business hours, so how far the clock must go depends on the day and hour the test runs at
  // (from a Thursday afternoon, past the weekend): a day at a time, for up to a week.
  const reminded = async () => (await dm('ana')).find((row) => row.message.text.includes('R07.2'));
  for (let day = 0; day < 7 && !(await reminded()); day++) {
    await api('/clock/advance', { hours: 24 });
    // A reminder that fell due is sent within seconds; none after 15 s means not yet due.
    for (let tries = 0; tries < 300 && !(await reminded()); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const reminder = await waitFor(reminded, 90_000, "the owners' first reminder");
  expect(reminder.message.text).toContain('Code repo');
  expect(reminder.message.text).not.toMatch(/Testing status/);

  // Both processes serve the recorded commit; the worker fetched it itself.
  expect(await redis.get(`{${prefix}}:cards:commit`)).toBe(tip);
  expect(await healthCommit(worker)).toBe(tip);
  expect(await healthCommit(web)).toBe(tip);
  expect(outputs.get('worker')).toContain(tip.slice(0, 7));

  // Nothing in the channel (latest versions, thread replies) or the reminders describes the old card.
  const everything = [...(await channel()), ...(await dm('ana')), ...(await dm('sam'))].flatMap((row) => [
    row,
    ...row.replies,
  ]);
  expect(everything.filter((row) => row.message.text.includes(TESTING_EMPTY))).toEqual([]);
  expect(everything.filter((row) => /is gone|cannot be read/.test(row.message.text))).toEqual([]);
});
