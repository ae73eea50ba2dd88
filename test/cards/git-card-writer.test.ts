import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createForgeClient } from '../../src/cards/git/forge-client';
import { createGitCardWriter } from '../../src/cards/git/git-card-writer';
import type { CardDecision } from '../../src/core/ports';
import { createGitRemote, git, type GitRemote } from '../support/git-remote';

const retina = readFileSync(resolve(__dirname, '..', '..', 'cards', 'retina-lesion-detector.md'), 'utf8');
const decision: CardDecision = {
  reviewId: 'r0123abcd',
  projectId: 'R07.2',
  file: 'retina.md',
  gate: { from: 3, to: 4 },
  outcome: 'advanced',
  level: 4,
  revision: '3f2a1bc',
  at: '2026-12-02T14:00:00.000Z',
  votes: [{ voter: 'Priya Nair', choice: 'approve' }],
  conversationId: 'slack:C123',
};

interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** A local stand-in for a forge's REST API: answers `routes` and records every request. */
async function fakeApi(
  routes: (request: Recorded) => { status: number; body: unknown },
): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server: Server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const request = { method: req.method!, path: req.url!, headers: req.headers, body: raw ? JSON.parse(raw) : {} };
    requests.push(request);
    const answer = routes(request);
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

describe('writing decisions back into the card repository', () => {
  let remote: GitRemote;
  let work: string;
  beforeEach(() => {
    remote = createGitRemote({ 'cards/retina.md': retina, 'cards/other.md': '# other\n' });
    work = mkdtempSync(join(tmpdir(), 'mltrl-write-'));
  });
  afterEach(() => {
    remote.cleanup();
    rmSync(work, { recursive: true, force: true });
  });
  const onRemote = (path: string, ref = 'main') => git(remote.bare, ['show', `${ref}:${path}`]);

  it('commit: pushes to the branch, re-applies on a non-fast-forward push, never forces, never twice', async () => {
    let raced = false;
    const writer = createGitCardWriter({
      mode: 'commit',
      remote: { url: remote.url },
      path: 'cards',
      workDir: join(work, 'clone'),
      beforePush: () => {
        if (raced) return;
        raced = true;
        remote.commit({ 'cards/other.md': '# other, edited meanwhile\n' }, 'someone else first');
      },
    });
    const { commit } = await writer.write(decision);
    expect(commit).toBe(git(remote.bare, ['rev-parse', 'main']));
    expect(onRemote('cards/retina.md')).toContain('<!-- mltrl-bot decision r0123abcd -->');
    expect(onRemote('cards/retina.md')).toMatch(/\| Current Level\s+\| 4 /);
    expect(onRemote('cards/other.md')).toBe('# other, edited meanwhile'); // the other push survived
    expect(git(remote.bare, ['log', '--format=%s', 'main']).split('\n').slice(0, 2)).toEqual([
      'R07.2: advanced to level 4 (gate 3 -> 4)',
      'someone else first',
    ]);
    // A retried job finds the record and adds nothing.
    await writer.write(decision);
    expect(git(remote.bare, ['rev-list', '--count', 'main'])).toBe('3');
  });

  it('pull-request on GitHub: pushes a branch and opens the pull request through the REST API', async () => {
    const api = await fakeApi((request) =>
      request.method === 'POST' && request.path === '/repos/org/cards/pulls'
        ? { status: 201, body: { number: 7, html_url: 'https://forge.example.org/org/cards/pull/7' } }
        : { status: 404, body: { message: 'Not Found' } },
    );
    try {
      const writer = createGitCardWriter({
        mode: 'pull-request',
        remote: { url: remote.url },
        path: 'cards',
        workDir: join(work, 'clone'),
        forge: createForgeClient({ forge: 'github', repository: 'org/cards', token: 'gh-token-1', apiUrl: api.url }),
      });
      expect(await writer.write(decision)).toEqual({ url: 'https://forge.example.org/org/cards/pull/7' });
      const branch = 'mltrl-bot/decision-r0123abcd';
      expect(onRemote('cards/retina.md', branch)).toContain('<!-- mltrl-bot decision r0123abcd -->');
      expect(onRemote('cards/retina.md')).not.toContain('mltrl-bot decision'); // main untouched
      const [call] = api.requests;
      expect(call!.headers.authorization).toBe('token gh-token-1');
      expect(call!.body).toMatchObject({ head: branch, base: 'main', title: 'R07.2: advanced to level 4 (gate 3 -> 4)' });
      expect(String(call!.body.body)).toContain('card revision 3f2a1bc');
    } finally {
      await api.close();
    }
  });

  it('pull-request on GitLab: opens the merge request, and finds the open one when retried', async () => {
    let created = false;
    const api = await fakeApi((request) => {
      if (request.method === 'POST' && request.path === '/api/v4/projects/group%2Fcards/merge_requests') {
        if (created) return { status: 409, body: { message: ['Another open merge request already exists'] } };
        created = true;
        return { status: 201, body: { iid: 3, web_url: 'https://gitlab.example.org/group/cards/-/merge_requests/3' } };
      }
      if (request.method === 'GET' && request.path.startsWith('/api/v4/projects/group%2Fcards/merge_requests?')) {
        return { status: 200, body: [{ iid: 3, web_url: 'https://gitlab.example.org/group/cards/-/merge_requests/3' }] };
      }
      return { status: 404, body: {} };
    });
    try {
      const writer = createGitCardWriter({
        mode: 'pull-request',
        remote: { url: remote.url },
        path: 'cards',
        workDir: join(work, 'clone'),
        forge: createForgeClient({
          forge: 'gitlab',
          repository: 'group/cards',
          token: 'gl-token-1',
          apiUrl: `${api.url}/api/v4`,
        }),
      });
      const url = 'https://gitlab.example.org/group/cards/-/merge_requests/3';
      expect(await writer.write(decision)).toEqual({ url });
      expect(await writer.write(decision)).toEqual({ url });
      expect(api.requests[0]!.headers['private-token']).toBe('gl-token-1');
      expect(api.requests[0]!.body).toMatchObject({ source_branch: 'mltrl-bot/decision-r0123abcd', target_branch: 'main' });
      expect(api.requests.map((request) => request.method)).toEqual(['POST', 'POST', 'GET']);
    } finally {
      await api.close();
    }
  });

  it('a refused push fails with the remote named and no credentials', async () => {
    const writer = createGitCardWriter({
      mode: 'commit',
      remote: { url: `file://${join(work, 'missing.git')}`, token: 'tok-secret-9' },
      workDir: join(work, 'clone'),
    });
    const error = await writer.write(decision).catch((e: Error) => e);
    expect(String(error)).toContain(`card write-back to file://${join(work, 'missing.git')} failed`);
    expect(String(error)).not.toContain('tok-secret-9');
  });
});
