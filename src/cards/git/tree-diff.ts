import type { ObjectReader } from './object-reader';

/** A file that differs between two commits: added or modified (with its new blob), or deleted. */
export type TreeChange =
  | { path: string; status: 'added' | 'modified'; blob: string; executable: boolean }
  | { path: string; status: 'deleted' };

export interface CommitDiff {
  changes: TreeChange[];
  /** The new commit's parents (one parent equal to the old commit: a single-commit push). */
  parents: string[];
}

/** Trees read for the last diff's new commit, by hash (parsed entries). */
export type TreeCache = Map<string, Map<string, Entry>>;

interface Entry {
  mode: string;
  sha: string;
}

const TREE = '40000';
const FILE_MODES = new Set(['100644', '100755']);

/**
 * The files that differ between two commits, found by comparing their trees through the object reader
 * and descending only into sub-trees whose hashes differ (a one-card push reads two commits and a few
 * trees). Undefined when a commit is missing or a changed entry is not a plain file (a symbolic link, a
 * submodule): the caller then lets git check the commit out.
 */
export async function diffCommits(
  reader: ObjectReader,
  from: string,
  to: string,
  cache: TreeCache = new Map(),
): Promise<CommitDiff | undefined> {
  const [before, after] = await Promise.all([reader.read(from), reader.read(to)]);
  if (before?.type !== 'commit' || after?.type !== 'commit') return undefined;
  const hashBytes = to.length / 2;
  const changes: TreeChange[] = [];
  const kept: TreeCache = new Map();
  const read = async (sha: string | undefined, keep: boolean) => {
    const entries = (sha && cache.get(sha)) || (await readTree(reader, sha, hashBytes));
    if (keep && sha && entries) kept.set(sha, entries);
    return entries;
  };
  const walk = async (a: string | undefined, b: string | undefined, prefix: string): Promise<boolean> => {
    if (a === b) return true;
    const [left, right] = await Promise.all([read(a, false), read(b, true)]);
    if (!left || !right) return false;
    const nested: Array<Promise<boolean>> = [];
    for (const name of new Set([...left.keys(), ...right.keys()])) {
      const was = left.get(name);
      const now = right.get(name);
      if (was?.sha === now?.sha && was?.mode === now?.mode) continue;
      const path = prefix + name;
      const wasTree = was?.mode === TREE;
      const nowTree = now?.mode === TREE;
      if ((was && !wasTree && !FILE_MODES.has(was.mode)) || (now && !nowTree && !FILE_MODES.has(now.mode))) {
        await Promise.all(nested);
        return false;
      }
      if (wasTree || nowTree) nested.push(walk(wasTree ? was.sha : undefined, nowTree ? now.sha : undefined, `${path}/`));
      if (now && !nowTree) {
        changes.push({ path, status: was && !wasTree ? 'modified' : 'added', blob: now.sha, executable: now.mode === '100755' });
      } else if (was && !wasTree) {
        changes.push({ path, status: 'deleted' });
      }
    }
    return (await Promise.all(nested)).every(Boolean);
  };
  const ok = await walk(treeOf(before.data), treeOf(after.data), '');
  if (!ok) return undefined;
  // The new commit's trees are the next push's old side: only that push's new trees are read then.
  cache.clear();
  for (const [sha, entries] of kept) cache.set(sha, entries);
  changes.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return { changes, parents: parentsOf(after.data) };
}

function treeOf(commit: Buffer): string {
  return /^tree ([0-9a-f]+)$/m.exec(commit.toString('utf8'))![1]!;
}

function parentsOf(commit: Buffer): string[] {
  const head = commit.toString('utf8').split('\n\n', 1)[0]!;
  return [...head.matchAll(/^parent ([0-9a-f]+)$/gm)].map((match) => match[1]!);
}

/** A tree's entries by name (an absent tree: none); undefined when the object cannot be read. */
async function readTree(
  reader: ObjectReader,
  sha: string | undefined,
  hashBytes: number,
): Promise<Map<string, Entry> | undefined> {
  const entries = new Map<string, Entry>();
  if (!sha) return entries;
  const object = await reader.read(sha);
  if (object?.type !== 'tree') return undefined;
  const data = object.data;
  let at = 0;
  // Raw tree format: "<mode> <name>\0<hash bytes>" repeated.
  while (at < data.length) {
    const space = data.indexOf(32, at);
    const nul = data.indexOf(0, space);
    const mode = data.subarray(at, space).toString('latin1');
    const name = data.subarray(space + 1, nul).toString('utf8');
    entries.set(name, { mode, sha: data.subarray(nul + 1, nul + 1 + hashBytes).toString('hex') });
    at = nul + 1 + hashBytes;
  }
  return entries;
}
