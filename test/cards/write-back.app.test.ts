import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRedisStores } from '../../src/storage/redis';
import { completeRetina } from '../engine/harness';
import { waitFor } from '../jobs/support/recording-chat-port';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { createGitRemote, git, type GitRemote } from '../support/git-remote';

/**
 * CARDS_WRITE_BACK=commit in the whole playground app (web and workers, Redis, queues): a review run to
 * `advanced` through the playground API by the card's real reviewers comes back into the card repository
 * as one commit that changes the Current Level cell and appends the decision record, every other byte as
 * it was, and the vote's thread names that commit.
 */
const FILE = 'retina-lesion-detector.md';
const card = completeRetina(readFileSync(resolve(__dirname, '..', '..', 'cards', FILE), 'utf8'));

type Action = { actionId: string; value: string };
type Row = {
  id: string;
  message: { kind: string; text: string; blocks: Array<{ actions?: Action[] }> };
  replies: Array<{ message: { text: string } }>;
};

let remote: GitRemote;
let harness: AppHarness;
let scratch: string;

beforeEach(async () => {
  remote = createGitRemote({ [`cards/${FILE}`]: card, 'README.md': '# cards\n' });
  scratch = mkdtempSync(join(tmpdir(), 'mltrl-written-'));
  harness = await startAppHarness({
    env: {
      CARDS_GIT_URL: remote.url,
      CARDS_GIT_PATH: 'cards',
      CARDS_GIT_POLL_SECONDS: '0',
      CARDS_WRITE_BACK: 'commit',
    },
  });
});

afterEach(async () => {
  await harness.stop();
  remote.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

async function api(path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${harness.baseUrl}/playground/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function messages(): Promise<Row[]> {
  return (await api('/conversations/playground:ml-reviews/messages?as=lee')).messages as Row[];
}

async function approve(as: string, vote: Row): Promise<string> {
  const action = vote.message.blocks.flatMap((block) => block.actions ?? []).find((a) => a.actionId === 'vote-approve')!;
  const reply = await api(`/messages/${vote.id}/actions`, { as, actionId: action.actionId, value: action.value });
  return (reply.ephemeral as Row[]).map((entry) => entry.message.text).join('\n');
}

test('a review advanced in the playground is committed into the card: level cell and decision record, nothing else', async () => {
  const before = git(remote.bare, ['rev-parse', 'main']);
  await api('/conversations/playground:ml-reviews/commands', { as: 'sam', text: '/mltrl review R07.2' });
  const vote = await waitFor(async () => (await messages()).find((row) => row.message.kind === 'vote'), 20000, 'the vote');
  // The card's reviewers (Priya Nair, Li Wei) vote as themselves.
  expect(await approve('priya', vote)).toContain('Your vote on R07.2 is recorded');
  expect(await approve('li', vote)).toContain('Your vote on R07.2 is recorded');

  const reviews = createRedisStores(harness.app.redis, harness.app.keyPrefix).reviews;
  const [review] = await waitFor(async () => {
    const closed = await reviews.listClosed({ projectId: 'R07.2' });
    return closed.length ? closed : undefined;
  }, 20000, 'the outcome');
  expect(review).toMatchObject({ outcome: 'advanced', outcomeLevel: 4 });

  const notice = await waitFor(
    async () =>
      (await messages())
        .find((row) => row.id === vote.id)
        ?.replies.map((reply) => reply.message.text)
        .find((text) => text.includes('now states level 4')),
    30000,
    'the write-back notice in the vote thread',
  );

  // The bare repository got exactly one commit on top, by the bot, touching only the card.
  const head = git(remote.bare, ['rev-parse', 'main']);
  expect(git(remote.bare, ['rev-list', `${before}..${head}`]).split('\n')).toEqual([head]);
  expect(git(remote.bare, ['log', '-1', '--format=%an|%s', head])).toBe(
    'mltrl-bot|R07.2: advanced to level 4 (gate 3 -> 4)',
  );
  expect(git(remote.bare, ['diff', '--name-only', before, head])).toBe(`cards/${FILE}`);
  expect(notice).toBe(
    `The card of R07.2 now states level 4, with the decision recorded: ${head.slice(0, 7)}`,
  );

  // A fresh clone: the level cell changed, the record was appended, every other byte is the same.
  git(scratch, ['clone', '-q', remote.url, 'clone']);
  const written = readFileSync(join(scratch, 'clone', 'cards', FILE), 'utf8');
  const lines = written.split('\n');
  const marker = lines.indexOf(`<!-- mltrl-bot decision ${review!.id} -->`);
  expect(marker).toBeGreaterThan(0);
  const record = lines.splice(marker - 1, 6);
  expect(record.slice(0, 4)).toEqual([
    '',
    `<!-- mltrl-bot decision ${review!.id} -->`,
    `**Gate 3 -> 4, ${review!.closedAt!.slice(0, 10)}: advanced to level 4.** Voted on card revision ` +
      `${review!.voteRevision}; vote thread: ${record[2]!.split('vote thread: ')[1]}`,
    '',
  ]);
  // The thread link is the playground's link to the vote message's thread.
  expect(record[2]).toMatch(/vote thread: \S+conversation=playground%3Aml-reviews&thread=\S+\.$/);
  expect(record.slice(4).sort()).toEqual(['- Li Wei: approve', '- Priya Nair: approve']);
  const levelRow = /^\| Current Level\s*\| 3\b.*$/m.exec(card)![0];
  expect(lines.join('\n')).toBe(card.replace(levelRow, levelRow.replace(/\| 3\b/, '| 4')));
  // The record sits at the end of the stage debrief section, before the next heading or the end.
  const debrief = lines.findIndex((line) => /^#+\s+MLTRL stage debrief/i.test(line));
  expect(debrief).toBeGreaterThan(0);
  expect(marker).toBeGreaterThan(debrief);
}, 120_000);
