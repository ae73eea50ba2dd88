import { createHmac } from 'node:crypto';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRedisStores } from '../../src/storage/redis';
import { completeRetina } from '../engine/harness';
import { waitFor } from '../jobs/support/recording-chat-port';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { createGitRemote, type GitRemote } from '../support/git-remote';

/**
 * A card deleted under a running review, in the whole app: the watched CARDS_DIR and a git repository
 * (a push that deletes the card, fetched on a signed webhook). The review pauses, its owners are named
 * and mentioned once in its thread (not again on the next push or look), and it resumes when the card
 * is back.
 */
const FILE = 'retina-lesion-detector.md';
const retina = readFileSync(resolve(__dirname, '..', '..', 'cards', FILE), 'utf8');
const SECRET = 'gone-secret-9';
const OWNERS = '<@ana>, <@sam>';
const GONE = `${OWNERS}: the card of R07.2 (${FILE}) is gone or no longer names R07.2. The review is paused until the card is back.`;

type Row = { message: { kind: string; text: string }; replies: Array<{ message: { text: string } }> };

async function api(harness: AppHarness, path: string, body?: unknown) {
  const response = await fetch(`${harness.baseUrl}/playground/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** Every thread reply in the review channel, as lee sees it. */
async function replies(harness: AppHarness): Promise<string[]> {
  const body = await api(harness, '/conversations/playground:ml-reviews/messages?as=lee');
  return (body.messages as Row[]).flatMap((row) => row.replies.map((reply) => reply.message.text));
}

const count = (texts: string[], part: string) => texts.filter((text) => text.includes(part)).length;

async function startReview(harness: AppHarness) {
  await api(harness, '/conversations/playground:ml-reviews/commands', { as: 'sam', text: '/mltrl review R07.2' });
  const reviews = createRedisStores(harness.app.redis, harness.app.keyPrefix).reviews;
  const review = await waitFor(() => reviews.openForProject('R07.2'), 15000, 'the review');
  expect(review.owners?.map((owner) => owner.key)).toEqual(['ana', 'sam']);
  return reviews;
}

/** The pause, the silence on the next look, the resumption: the same story for both sources. */
async function goneThenBack(
  harness: AppHarness,
  reviews: Awaited<ReturnType<typeof startReview>>,
  restore: () => Promise<void>,
): Promise<void> {
  await waitFor(async () => count(await replies(harness), 'is gone or no longer names') > 0, 20000, 'the pause notice');
  expect((await replies(harness)).filter((text) => text.includes('is gone or no longer names'))).toEqual([GONE]);
  const paused = (await reviews.openForProject('R07.2'))!;
  expect(paused).toMatchObject({ phase: 'gaps', cardGoneCount: 1 });

  // The next look (a poll, a job, another push naming the file) says nothing new.
  await harness.app.engine.cardsChanged([FILE]);
  await harness.clock.advance(3 * 24 * 3600_000);
  await harness.app.engine.cardsChanged([FILE]);
  expect(count(await replies(harness), 'is gone or no longer names')).toBe(1);
  expect((await reviews.openForProject('R07.2'))?.phase).toBe('gaps');

  await restore();
  await waitFor(async () => (await reviews.openForProject('R07.2'))?.phase === 'voting', 20000, 'the vote');
  await waitFor(async () => count(await replies(harness), 'The card of R07.2 is back') === 1, 20000, 'the resume notice');
  expect((await reviews.openForProject('R07.2'))?.cardGoneSince).toBeUndefined();
  expect(count(await replies(harness), 'is gone or no longer names')).toBe(1);
}

describe('a card deleted during a review, in the running app', () => {
  let harness: AppHarness | undefined;
  let remote: GitRemote | undefined;
  afterEach(async () => {
    await harness?.stop();
    remote?.cleanup();
    harness = undefined;
    remote = undefined;
  });

  it('the watched CARDS_DIR: deleting the file pauses the review and names its owners once', async () => {
    harness = await startAppHarness();
    const reviews = await startReview(harness);
    const file = join(harness.cardsDir, FILE);
    unlinkSync(file);
    await goneThenBack(harness, reviews, async () => writeFileSync(file, completeRetina(retina)));
  }, 90_000);

  it('a git push deleting the card, fetched on a signed webhook: paused, owners named once, resumed by the next push', async () => {
    remote = createGitRemote({ [`cards/${FILE}`]: retina, 'cards/README.md': '# cards\n' });
    harness = await startAppHarness({
      env: {
        CARDS_GIT_URL: remote.url,
        CARDS_GIT_PATH: 'cards',
        CARDS_GIT_POLL_SECONDS: '0',
        CARDS_GIT_WEBHOOK_SECRET: SECRET,
      },
    });
    const running = harness;
    const push = async () => {
      const body = Buffer.from(JSON.stringify({ ref: 'refs/heads/main', after: 'abc' }));
      const signature = createHmac('sha256', SECRET).update(body).digest('hex');
      const response = await fetch(`${running.baseUrl}/webhooks/git`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
        body: new Uint8Array(body),
      });
      expect(response.status).toBe(202);
    };
    const reviews = await startReview(running);
    const git = remote;
    git.commit({ [`cards/${FILE}`]: null }, 'retire the retina card');
    await push();
    // Another push (not touching the card) is fetched too; still one notice.
    const unrelated = git.commit({ 'cards/README.md': '# cards, retired retina\n' }, 'note');
    await push();
    await waitFor(
      async () =>
        ((await (await fetch(`${running.baseUrl}/healthz`)).json()) as { cards: { commit: string } }).cards
          .commit === unrelated,
      20000,
      'the second push',
    );
    await goneThenBack(running, reviews, async () => {
      git.commit({ [`cards/${FILE}`]: completeRetina(retina) }, 'the retina card is back, complete');
      await push();
    });
  }, 90_000);
});
