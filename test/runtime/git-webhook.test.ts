import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAX_WEBHOOK_BYTES, verifyWebhook } from '../../src/runtime/git-webhook';
import { createRedisStores } from '../../src/storage/redis';
import { completeRetina } from '../engine/harness';
import { waitFor } from '../jobs/support/recording-chat-port';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { createGitRemote, type GitRemote } from '../support/git-remote';

const SECRET = 'hook-secret-1';
const body = Buffer.from(JSON.stringify({ ref: 'refs/heads/main', after: 'abc' }));
const hmac = (data: Buffer, secret = SECRET) => createHmac('sha256', secret).update(data).digest('hex');

describe('verifyWebhook', () => {
  it('accepts GitHub, Gitea/Forgejo and GitLab proofs of the secret', () => {
    expect(verifyWebhook({ 'x-hub-signature-256': `sha256=${hmac(body)}` }, body, SECRET)).toEqual({
      ok: true,
      forge: 'github',
    });
    expect(verifyWebhook({ 'x-gitea-signature': hmac(body) }, body, SECRET)).toEqual({
      ok: true,
      forge: 'gitea',
    });
    expect(verifyWebhook({ 'x-forgejo-signature': hmac(body) }, body, SECRET)).toEqual({
      ok: true,
      forge: 'gitea',
    });
    expect(verifyWebhook({ 'x-gitlab-token': SECRET }, body, SECRET)).toEqual({ ok: true, forge: 'gitlab' });
  });

  it('refuses wrong secrets, changed bodies and unsigned requests, naming what is wrong', () => {
    const other = Buffer.from(`${body.toString()} `);
    expect(
      verifyWebhook({ 'x-hub-signature-256': `sha256=${hmac(body, 'other')}` }, body, SECRET),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('X-Hub-Signature-256'),
    });
    expect(verifyWebhook({ 'x-hub-signature-256': `sha256=${hmac(body)}` }, other, SECRET).ok).toBe(false);
    expect(verifyWebhook({ 'x-gitea-signature': hmac(other) }, body, SECRET).ok).toBe(false);
    expect(verifyWebhook({ 'x-gitlab-token': 'hook-secret' }, body, SECRET).ok).toBe(false);
    expect(verifyWebhook({}, body, SECRET)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('unsigned'),
    });
  });
});

describe('cards from git in the running app: a signed push moves the review on', () => {
  let remote: GitRemote;
  let harness: AppHarness;
  const retina = readFileSync(resolve(__dirname, '..', '..', 'cards', 'retina-lesion-detector.md'), 'utf8');

  beforeAll(async () => {
    remote = createGitRemote({ 'cards/retina-lesion-detector.md': retina });
    harness = await startAppHarness({
      env: {
        CARDS_GIT_URL: remote.url,
        CARDS_GIT_PATH: 'cards',
        CARDS_GIT_POLL_SECONDS: '0',
        CARDS_GIT_WEBHOOK_SECRET: SECRET,
      },
    });
  });
  afterAll(async () => {
    await harness.stop();
    remote.cleanup();
  });

  const post = (headers: Record<string, string>, data: Buffer | string = body) =>
    fetch(`${harness.baseUrl}/webhooks/git`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof data === 'string' ? data : new Uint8Array(data),
    });
  const healthCommit = async () =>
    ((await (await fetch(`${harness.baseUrl}/healthz`)).json()) as { cards: { commit: string } }).cards
      .commit;

  it('refuses bad webhooks without fetching, then fetches on a signed push and opens the vote', async () => {
    const reviews = createRedisStores(harness.app.redis, harness.app.keyPrefix).reviews;
    await harness.app.engine.handle({
      type: 'command',
      actor: { platform: 'playground', userId: 'lee', name: 'Lee' },
      conversationId: 'playground:ml-reviews',
      text: 'review R07.2',
    });
    expect((await reviews.openForProject('R07.2'))?.phase).toBe('gaps');
    const before = await healthCommit();
    const sha = remote.commit({ 'cards/retina-lesion-detector.md': completeRetina(retina) }, 'fill the gaps');

    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-hub-signature-256': `sha256=${hmac(body, 'guess')}` })).status).toBe(401);
    expect((await post({ 'x-gitlab-token': 'guess' })).status).toBe(401);
    const big = Buffer.alloc(MAX_WEBHOOK_BYTES + 1, 32);
    expect((await post({ 'x-hub-signature-256': `sha256=${hmac(big)}` }, big)).status).toBe(413);
    const notJson = Buffer.from('ref=main');
    const malformed = await post({ 'x-hub-signature-256': `sha256=${hmac(notJson)}` }, notJson);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'webhook body is not JSON' });
    expect(await healthCommit()).toBe(before);
    expect((await reviews.openForProject('R07.2'))?.phase).toBe('gaps');

    // Pushes to another branch, and tags, are answered but fetch nothing.
    for (const ref of ['refs/heads/experiment', 'refs/tags/v1']) {
      const other = Buffer.from(JSON.stringify({ ref, after: 'abc' }));
      const ignored = await post({ 'x-hub-signature-256': `sha256=${hmac(other)}` }, other);
      expect(ignored.status).toBe(200);
      expect(await ignored.json()).toEqual({
        status: 'ignored',
        reason: `push to ${ref}; the cards come from main`,
      });
    }
    const gitlabOther = Buffer.from(JSON.stringify({ ref: 'refs/heads/feature/x' }));
    expect((await post({ 'x-gitlab-token': SECRET }, gitlabOther)).status).toBe(200);
    expect(await healthCommit()).toBe(before);
    expect((await reviews.openForProject('R07.2'))?.phase).toBe('gaps');

    const accepted = await post({ 'x-hub-signature-256': `sha256=${hmac(body)}` });
    expect(accepted.status).toBe(202);
    await waitFor(async () => (await reviews.openForProject('R07.2'))?.phase === 'voting', 20000, 'the vote');
    expect(await healthCommit()).toBe(sha);
    const health = await (await fetch(`${harness.baseUrl}/healthz`)).json();
    expect(health).toEqual({ status: 'ok', cards: { state: 'ok', commit: sha } });
    expect((await reviews.openForProject('R07.2'))?.voteRevision).toBe(sha.slice(0, 7));
  });
});
