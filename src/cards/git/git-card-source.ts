import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SimpleGit } from 'simple-git';
import type { Card, CardSet } from '../../core/card';
import type { CardSource, CardSourceHealth, SharedCardCommit } from '../../core/ports';
import type { Logger } from '../../logging/logger';
import { createCardDirectory } from '../card-directory';
import type { ParseCardOptions } from '../parse-card';
import { describeRemote, gitEnv, gitIn, redact, type GitRemote } from './git-client';
import { lastCommits } from './last-commits';
import { levelHistory } from './level-history';
import { createObjectReader, type ObjectReader } from './object-reader';
import { diffCommits, type TreeCache, type TreeChange } from './tree-diff';

export interface GitCardSourceOptions extends ParseCardOptions {
  remote: GitRemote;
  /** Default: the remote's default branch. */
  branch?: string;
  /** Sub-folder of the repository holding the cards. */
  path?: string;
  /** Where the clone lives (under DATA_DIR). */
  cloneDir: string;
  /** Fetch every so many seconds; 0: only on webhooks and when behind. */
  pollSeconds?: number;
  /** Link template with {sha} and {path}, e.g. https://forge.example.org/org/cards/blob/{sha}/{path}. */
  webUrl?: string;
  shared?: SharedCardCommit;
  logger?: Logger;
}

export interface GitCardSource extends CardSource {
  /** Fetch now (a push webhook, a poll): the files that changed, empty when nothing moved. */
  sync(): Promise<string[]>;
  /** The commit being served. */
  readonly commit: string | undefined;
  /** The branch followed: CARDS_GIT_BRANCH, or the remote's default once cloned. */
  readonly branch: string | undefined;
}

const SHORT = 7;
const MARKDOWN = /\.(md|markdown)$/i;

/**
 * Cards from a git repository: a clone under the data folder, fetched every `pollSeconds`, at once on a
 * webhook, and before any decision when another process has recorded a newer commit. The checkout is
 * read like a card directory (a stat per file; only files the new commit rewrote are parsed again). A
 * card's revision is the short SHA of the last commit that touched its file, the same in every process.
 */
export function createGitCardSource(options: GitCardSourceOptions): GitCardSource {
  const { remote, cloneDir, shared, logger } = options;
  const sub = (options.path ?? '').replace(/^\/+|\/+$/g, '');
  const prefix = sub ? `${sub}/` : '';
  const dir = createCardDirectory(sub ? join(cloneDir, sub) : cloneDir, options);
  const listeners = new Set<(files: string[]) => void>();
  const commits = new Map<string, string>(); // repository path -> last commit touching it
  const commitTimes = new Map<string, string>(); // commit -> committer date (ISO)
  const histories = new Map<string, number[]>(); // path@commit -> levels stated in its history
  let git: SimpleGit | undefined;
  let branch = options.branch;
  let head: string | undefined;
  let state: CardSourceHealth = { state: 'ok' };
  let syncing: Promise<string[]> | undefined;
  let again = false;
  let noted: string | undefined; // a recorded commit already found not to be newer than ours
  let timer: NodeJS.Timeout | undefined;
  let started: Promise<void> | undefined;
  let reader: ObjectReader | undefined;
  const trees: TreeCache = new Map();
  /** Moving HEAD and the index after a push already served (off the push's path). */
  let settling: Promise<unknown> = Promise.resolve();

  /** The clone is one kept from an earlier run (not made just now), so it may be behind the remote. */
  let kept = false;

  async function clone(): Promise<SimpleGit> {
    if (existsSync(join(cloneDir, '.git'))) {
      const existing = gitIn(cloneDir, remote);
      const url = (await existing.remote(['get-url', 'origin']))?.trim();
      if (url === remote.url) {
        // The files may be ahead of HEAD (stopped between serving a push and recording it): start even.
        await existing.reset(['-q', '--hard', 'HEAD']);
        await existing.raw(['clean', '-fdq']);
        kept = true;
        return existing;
      }
      rmSync(cloneDir, { recursive: true, force: true }); // another repository: start over
    }
    mkdirSync(dirname(cloneDir), { recursive: true });
    const args = ['--no-tags', '--single-branch', ...(branch ? ['--branch', branch] : [])];
    await gitIn(dirname(cloneDir), remote).clone(remote.url, cloneDir, args);
    return gitIn(cloneDir, remote);
  }

  async function begin(): Promise<void> {
    try {
      git = await clone();
      branch ??= (await git.revparse(['--abbrev-ref', 'HEAD'])).trim();
    } catch (error) {
      // No `cause`: git's own message may carry the remote's credentials; this one is redacted.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`cannot clone the card repository ${describeRemote(remote.url)}: ${message(error)}`);
    }
    head = (await git.revparse(['HEAD'])).trim();
    reader = createObjectReader(cloneDir, gitEnv(remote));
    for (const [path, commit] of await lastCommits(git, 'HEAD', sub)) commits.set(path, commit);
    state = { state: 'ok', commit: head };
    // A clone kept from an earlier run may be behind: catch up before serving. A fresh clone is the
    // remote as of now (a fetch would only repeat the round trip); a newer commit another process
    // recorded is still fetched before the first answer (`current`).
    if (kept) await sync();
    if (shared && head) {
      const recorded = await shared.get();
      if (!recorded) await shared.advance(undefined, head);
    }
    if (options.pollSeconds) {
      timer = setInterval(() => void sync().catch(() => undefined), options.pollSeconds * 1000);
      timer.unref();
    }
  }

  /** One fetch at a time; a request during a fetch runs one more fetch after it. */
  function sync(): Promise<string[]> {
    if (syncing) {
      again = true;
      return syncing;
    }
    syncing = (async () => {
      let files: string[] = [];
      do {
        again = false;
        files = [...files, ...(await fetchOnce())];
      } while (again);
      return [...new Set(files)].sort();
    })().finally(() => {
      syncing = undefined;
    });
    return syncing;
  }

  async function fetchOnce(): Promise<string[]> {
    if (!git || !branch) return [];
    await settling;
    const old = head;
    let next: string;
    try {
      await git.fetch(['--no-tags', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`]);
      next = readRef(cloneDir, `refs/remotes/origin/${branch}`) ?? (await git.revparse([`refs/remotes/origin/${branch}`])).trim();
    } catch (error) {
      const lastError = `fetch from ${describeRemote(remote.url)} failed: ${message(error)}`;
      if (state.state === 'ok') logger?.warn('card repository unreachable; serving the last good commit', { lastError, commit: head });
      state = { state: 'degraded', commit: head, lastError };
      return [];
    }
    state = { state: 'ok', commit: next };
    if (next === old) return [];
    const [recorded, moved] = await Promise.all([shared?.get(), moveTo(git, old, next)]);
    head = next;
    state = { state: 'ok', commit: head };
    const changed = moved.changed;
    const files = changed.filter((path) => path.startsWith(prefix) && MARKDOWN.test(path)).map((path) => path.slice(prefix.length));
    logger?.info('card repository moved', { from: old?.slice(0, SHORT), to: next.slice(0, SHORT), files: files.length });
    // The process that records the new commit first tells the engine; the others only catch up. A push
    // of one commit on top of the recorded one is newer without asking git.
    const first =
      !shared ||
      (recorded === old && moved.parents?.includes(old!)
        ? await shared.advance(recorded, next)
        : await recordNewer(git, shared, recorded, next));
    if (first && files.length > 0) for (const listener of listeners) listener(files);
    return files;
  }

  /**
   * Brings the checkout from `old` to `next` and learns the changed files' last commits. Usually without
   * starting a git process: the trees are compared and the changed files written through the object
   * reader, and git records HEAD afterwards, off the push's path. Otherwise (first fetch, a symbolic link
   * or submodule changed) git checks the commit out.
   */
  async function moveTo(
    repo: SimpleGit,
    old: string | undefined,
    next: string,
  ): Promise<{ changed: string[]; parents?: string[] }> {
    const diff = old && reader ? await diffCommits(reader, old, next, trees).catch(() => undefined) : undefined;
    const written = diff && (await Promise.all(diff.changes.map(writeChange)).then(() => true, () => false));
    if (!diff || !written) {
      trees.clear();
      const [, changed, found] = await Promise.all([
        repo.reset(['--hard', next]),
        old ? changedFiles(repo, old, next) : Promise.resolve([]),
        lastCommits(repo, old ? `${old}..${next}` : next, sub),
      ]);
      await remember(repo, next, changed, found);
      return { changed };
    }
    // Nothing else writes to the clone: the directory re-reads these files and keeps its index.
    dir.refresh(diff.changes.filter((change) => change.path.startsWith(prefix)).map((change) => change.path.slice(prefix.length)));
    const changed = diff.changes.map((change) => change.path);
    if (diff.parents.length === 1 && diff.parents[0] === old) {
      for (const path of changed) commits.set(path, next); // one commit: it touched every changed file
    } else {
      await remember(repo, next, changed, await lastCommits(repo, `${old}..${next}`, sub));
    }
    settling = repo.reset(['-q', '--mixed', next]).catch((error: unknown) =>
      logger?.warn('could not record the fetched commit in the clone', { error: message(error) }),
    );
    return { changed, parents: diff.parents };
  }

  /** One file of the checkout as the new commit has it; written beside and renamed, so readers see whole files. */
  async function writeChange(change: TreeChange): Promise<void> {
    const path = join(cloneDir, change.path);
    if (change.status === 'deleted') {
      await unlink(path).catch(() => undefined);
      return;
    }
    const blob = await reader!.read(change.blob);
    if (blob?.type !== 'blob') throw new Error(`blob ${change.blob} of ${change.path} is missing`);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.mltrl-${process.pid}.tmp`;
    await writeFile(temporary, blob.data);
    if (change.executable) await chmod(temporary, 0o755);
    await rename(temporary, path);
  }

  /** Last commits of the changed files; a file the range does not name (a force-push back) is looked up. */
  async function remember(repo: SimpleGit, next: string, changed: string[], found: Map<string, string>) {
    for (const path of changed) {
      const commit = found.get(path) ?? (await lastCommits(repo, next, path)).get(path);
      if (commit) commits.set(path, commit);
      else commits.delete(path);
    }
  }

  /** Behind another process? Fetch before answering (one Redis read when nothing moved). */
  async function current(): Promise<void> {
    await (started ??= begin());
    if (syncing) await syncing;
    if (!shared || !git) return;
    const recorded = await shared.get();
    if (!recorded || recorded === head || recorded === noted) return;
    if (await isAncestor(git, recorded, head!)) {
      noted = recorded;
      return;
    }
    await sync();
    noted = recorded;
  }

  function withRevision(card: Card): Card {
    const commit = commits.get(prefix + card.file) ?? head;
    if (commit) card.revision = commit.slice(0, SHORT);
    return card;
  }

  async function loadAll(): Promise<CardSet> {
    await current();
    const set = await dir.loadAll();
    set.cards.forEach(withRevision);
    return set;
  }

  async function find(projectId: string): Promise<Card | undefined> {
    await current();
    const card = await dir.find(projectId);
    return card && withRevision(card);
  }

  return {
    loadAll,
    find,
    sync: async () => {
      await (started ??= begin());
      return sync();
    },
    get commit() {
      return head;
    },
    get branch() {
      return branch;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start: () => (started ??= begin()),
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await syncing?.catch(() => undefined);
      await settling;
      reader?.close();
    },
    health: () => ({ ...state }),
    // Checklists are read from the checkout the card came from (the served commit).
    readLinked: dir.readLinked,
    async changedAt(card) {
      const commit = commits.get(prefix + card.file);
      if (!git || !commit) return dir.changedAt?.(card);
      let at = commitTimes.get(commit);
      if (at === undefined) {
        at = (await git.raw(['show', '-s', '--format=%cI', commit])).trim();
        commitTimes.set(commit, at);
      }
      return at ? new Date(at).toISOString() : undefined;
    },
    async levelHistory(card) {
      await current();
      if (!git) return [];
      const path = prefix + card.file;
      const key = `${path}@${commits.get(path) ?? head}`;
      let levels = histories.get(key);
      if (!levels) {
        levels = await levelHistory(git, head ?? 'HEAD', path, card, options.placeholders ?? []);
        histories.set(key, levels);
      }
      return levels;
    },
    linkOf(card) {
      const commit = commits.get(prefix + card.file) ?? head;
      if (!options.webUrl || !commit) return undefined;
      const path = (prefix + card.file).split('/').map(encodeURIComponent).join('/');
      return options.webUrl.replace('{sha}', commit).replace('{path}', path);
    },
  };

  function message(error: unknown): string {
    return redact(error instanceof Error ? error.message : String(error), remote);
  }
}

/** A ref's commit read from the clone's files (no git process), or undefined to ask git. */
function readRef(dir: string, ref: string): string | undefined {
  try {
    const loose = readFileSync(join(dir, '.git', ref), 'utf8').trim();
    if (/^[0-9a-f]{40}$/.test(loose)) return loose;
  } catch {
    // not a loose ref: packed, or absent
  }
  try {
    const packed = readFileSync(join(dir, '.git', 'packed-refs'), 'utf8');
    const line = packed.split('\n').find((entry) => entry.endsWith(` ${ref}`));
    return line && /^[0-9a-f]{40}/.test(line) ? line.slice(0, 40) : undefined;
  } catch {
    return undefined;
  }
}

async function changedFiles(git: SimpleGit, from: string, to: string): Promise<string[]> {
  const out = await git.raw(['diff', '--name-only', '--no-renames', '-z', from, to]);
  return out.split('\0').filter(Boolean);
}

async function isAncestor(git: SimpleGit, ancestor: string, of: string): Promise<boolean> {
  try {
    // Not `--is-ancestor`: it answers by exit status alone, which simple-git does not report as an error.
    return (await git.raw(['merge-base', ancestor, of])).trim() === ancestor;
  } catch {
    return false; // not an ancestor, or a commit this clone does not have yet
  }
}

/** Records `next` unless the recorded commit is already newer (a descendant of it). */
async function recordNewer(
  git: SimpleGit,
  shared: SharedCardCommit,
  recorded: string | undefined,
  next: string,
): Promise<boolean> {
  if (recorded === next) return false;
  if (recorded && (await isAncestor(git, next, recorded))) return false;
  return shared.advance(recorded, next);
}
