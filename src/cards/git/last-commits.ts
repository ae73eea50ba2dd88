import type { SimpleGit } from 'simple-git';

/**
 * The last commit that touched each file, from one `git log` over `range` (newest first, so the first
 * commit naming a path wins), limited to `path` (a folder or a file) when given.
 */
export async function lastCommits(git: SimpleGit, range: string, path = ''): Promise<Map<string, string>> {
  const args = ['log', '--format=%x00%H', '--name-only', '--no-renames', '-z', range];
  if (path) args.push('--', path);
  const out = await git.raw(args);
  const commits = new Map<string, string>();
  let commit = '';
  for (const part of out.split('\0')) {
    const text = part.replace(/^\n+/, '');
    if (/^[0-9a-f]{40}$/.test(text)) {
      commit = text;
      continue;
    }
    if (text && commit && !commits.has(text)) commits.set(text, commit);
  }
  return commits;
}
