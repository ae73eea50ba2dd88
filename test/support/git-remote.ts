/**
 * Real git repositories for card-source tests: a bare remote, an author's clone to commit from, and a
 * smart-HTTP server (`git http-backend` behind node:http, optionally demanding a token).
 *
 *   const remote = createGitRemote({ 'cards/a.md': text });
 *   const sha = remote.commit({ 'cards/a.md': changed }, 'fix the gap');   // commits and pushes
 *   const http = await serveSmartHttp(remote.root, { token: 's3cret' });    // http.url + '/cards.git'
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const GIT_ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_'))),
  GIT_AUTHOR_NAME: 'Card Author',
  GIT_AUTHOR_EMAIL: 'author@example.org',
  GIT_COMMITTER_NAME: 'Card Author',
  GIT_COMMITTER_EMAIL: 'author@example.org',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export interface GitRemote {
  /** Folder holding `cards.git` (the bare remote) and `author` (a clone). */
  root: string;
  bare: string;
  url: string;
  /** Writes (string) or deletes (null) files, commits and pushes; returns the new commit. */
  commit(files: Record<string, string | null>, message?: string): string;
  /** Replaces the branch with a new root commit holding `files` (a force-push rewriting history). */
  forcePush(files: Record<string, string>): string;
  cleanup(): void;
}

export function createGitRemote(files: Record<string, string>, branch = 'main'): GitRemote {
  const root = mkdtempSync(join(tmpdir(), 'mltrl-git-'));
  const bare = join(root, 'cards.git');
  const author = join(root, 'author');
  git(root, ['init', '-q', '--bare', '-b', branch, bare]);
  git(root, ['init', '-q', '-b', branch, author]);
  git(author, ['remote', 'add', 'origin', bare]);
  const remote: GitRemote = {
    root,
    bare,
    url: `file://${bare}`,
    commit(changes, message = 'update cards') {
      for (const [path, text] of Object.entries(changes)) {
        const file = join(author, path);
        if (text === null) unlinkSync(file);
        else {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, text);
        }
      }
      git(author, ['add', '-A']);
      git(author, ['commit', '-q', '--allow-empty', '-m', message]);
      git(author, ['push', '-q', 'origin', `HEAD:${branch}`]);
      return git(author, ['rev-parse', 'HEAD']);
    },
    forcePush(all) {
      git(author, ['checkout', '-q', '--orphan', `rewrite-${Date.now()}`]);
      git(author, ['rm', '-rq', '--cached', '.']);
      for (const path of git(author, ['ls-files', '--others']).split('\n').filter(Boolean)) {
        rmSync(join(author, path));
      }
      for (const [path, text] of Object.entries(all)) {
        mkdirSync(dirname(join(author, path)), { recursive: true });
        writeFileSync(join(author, path), text);
      }
      git(author, ['add', '-A']);
      git(author, ['commit', '-q', '-m', 'rewritten history']);
      git(author, ['push', '-q', '--force', 'origin', `HEAD:${branch}`]);
      return git(author, ['rev-parse', 'HEAD']);
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  remote.commit(files, 'first cards');
  return remote;
}

export interface SmartHttp {
  url: string;
  /** Requests seen, with whether they carried the right token. */
  requests: Array<{ path: string; authorized: boolean }>;
  close(): Promise<void>;
}

/**
 * Git's smart HTTP protocol over the repositories under `root`, through the real `git http-backend`
 * CGI. With `token`, requests without `Authorization: Basic base64(<any user>:<token>)` get 401.
 */
export async function serveSmartHttp(root: string, options: { token?: string } = {}): Promise<SmartHttp> {
  const backend = join(git(root, ['--exec-path']), 'git-http-backend');
  const requests: SmartHttp['requests'] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Basic ')
      ? Buffer.from(auth.slice(6), 'base64').toString().split(':')[1]
      : '';
    const authorized = !options.token || given === options.token;
    requests.push({ path: url.pathname, authorized });
    if (!authorized) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="cards"' }).end('token required');
      return;
    }
    const cgi = spawn(backend, [], {
      env: {
        ...GIT_ENV,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_ADDR: '127.0.0.1',
        REMOTE_USER: 'cards',
      },
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headerDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headerDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headerDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
