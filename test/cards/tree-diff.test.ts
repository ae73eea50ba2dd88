import { gitEnv } from '../../src/cards/git/git-client';
import { createObjectReader } from '../../src/cards/git/object-reader';
import { diffCommits } from '../../src/cards/git/tree-diff';
import { createGitRemote, git } from '../support/git-remote';

describe('diffCommits: the files two commits differ in, read through one cat-file process', () => {
  it('names added, modified and deleted files in nested folders, and the new commit\'s parents', async () => {
    const remote = createGitRemote({
      'cards/a.md': 'a\n',
      'cards/team/b.md': 'b\n',
      'cards/team/c.md': 'c\n',
      'docs/keep.md': 'same\n',
    });
    const reader = createObjectReader(remote.bare, gitEnv({ url: remote.url }));
    try {
      const before = git(remote.bare, ['rev-parse', 'HEAD']);
      const after = remote.commit({
        'cards/a.md': 'a, changed\n',
        'cards/team/c.md': null,
        'cards/new/d.md': 'd\n',
      });
      const diff = await diffCommits(reader, before, after);
      expect(diff?.parents).toEqual([before]);
      expect(diff?.changes.map(({ path, status }) => `${status} ${path}`)).toEqual([
        'modified cards/a.md',
        'added cards/new/d.md',
        'deleted cards/team/c.md',
      ]);
      const blob = diff!.changes[0]!;
      expect(blob.status === 'modified' && (await reader.read(blob.blob))?.data.toString()).toBe('a, changed\n');

      // A rewritten history (no common parent) is compared by content all the same; a commit pushed after
      // the reader started is found.
      const rewritten = remote.forcePush({ 'cards/a.md': 'a, changed\n', 'docs/keep.md': 'same\n' });
      const forced = await diffCommits(reader, after, rewritten);
      expect(forced?.parents).toEqual([]);
      expect(forced?.changes.map(({ path, status }) => `${status} ${path}`)).toEqual([
        'deleted cards/new/d.md',
        'deleted cards/team/b.md',
      ]);
      expect(await diffCommits(reader, after, '0'.repeat(40))).toBeUndefined();
      expect(await reader.read('HEAD:no-such-file')).toBeUndefined();
    } finally {
      reader.close();
      remote.cleanup();
    }
  });
});
