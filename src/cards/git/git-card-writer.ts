import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SimpleGit } from 'simple-git';
import type { CardDecision, CardWriter } from '../../core/ports';
import type { Logger } from '../../logging/logger';
import { writeDecision } from '../write-decision';
import type { ForgeClient } from './forge-client';
import { describeRemote, gitIn, redact, type GitRemote } from './git-client';

export interface GitCardWriterOptions {
  mode: 'commit' | 'pull-request';
  remote: GitRemote;
  /** The branch the cards live on (resolved from the remote's default when not given). */
  branch?: string;
  /** Sub-folder of the repository holding the cards. */
  path?: string;
  /** A clone of its own, apart from the one the card source reads. */
  workDir: string;
  /** Needed for `pull-request`. */
  forge?: ForgeClient;
  logger?: Logger;
  /** Tests only: runs just before each push (another author pushing first). */
  beforePush?: () => Promise<void> | void;
}

const ATTEMPTS = 4;
const AUTHOR = {
  GIT_AUTHOR_NAME: 'mltrl-bot',
  GIT_AUTHOR_EMAIL: 'mltrl-bot@users.noreply.invalid',
  GIT_COMMITTER_NAME: 'mltrl-bot',
  GIT_COMMITTER_EMAIL: 'mltrl-bot@users.noreply.invalid',
};

/**
 * Writes gate decisions into the card repository. `commit`: a commit on the branch; on a non-fast-forward
 * push it fetches, re-applies the edit to the new tip and tries again (never a force-push). `pull-request`:
 * the commit goes to `mltrl-bot/decision-<review>` and a pull / merge request is opened (or found).
 */
export function createGitCardWriter(options: GitCardWriterOptions): CardWriter {
  const { remote, workDir } = options;
  const sub = (options.path ?? '').replace(/^\/+|\/+$/g, '');
  let branch = options.branch;
  let git: SimpleGit | undefined;

  async function repo(): Promise<SimpleGit> {
    if (git) return git;
    if (!existsSync(join(workDir, '.git'))) {
      mkdirSync(dirname(workDir), { recursive: true });
      const args = ['--no-tags', '--single-branch', ...(branch ? ['--branch', branch] : [])];
      await gitIn(dirname(workDir), remote).clone(remote.url, workDir, args);
    }
    git = gitIn(workDir, remote, AUTHOR);
    branch ??= (await git.revparse(['--abbrev-ref', 'HEAD'])).trim();
    return git;
  }

  /** Checks out `base` fresh from the remote and commits the decision; false when already recorded. */
  async function commitOn(repoGit: SimpleGit, decision: CardDecision, local: string): Promise<boolean> {
    await repoGit.fetch(['--no-tags', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`]);
    await repoGit.raw(['checkout', '-q', '-f', '-B', local, `refs/remotes/origin/${branch}`]);
    const relative = sub ? `${sub}/${decision.file}` : decision.file;
    const file = join(workDir, relative);
    const edit = writeDecision(readFileSync(file, 'utf8'), decision);
    if (!edit.ok) {
      if (edit.reason === 'already-recorded') return false;
      throw new Error(`cannot write the decision into ${relative}: ${edit.reason}`);
    }
    writeFileSync(file, edit.text);
    await repoGit.add([relative]);
    await repoGit.commit(commitMessage(decision), [relative]);
    return true;
  }

  async function write(decision: CardDecision): Promise<{ url?: string; commit?: string }> {
    try {
      const repoGit = await repo();
      if (options.mode === 'commit') {
        for (let attempt = 1; ; attempt++) {
          if (!(await commitOn(repoGit, decision, branch!))) {
            return { commit: (await repoGit.revparse(['HEAD'])).trim() };
          }
          await options.beforePush?.();
          try {
            await repoGit.push('origin', `HEAD:refs/heads/${branch}`);
            return { commit: (await repoGit.revparse(['HEAD'])).trim() };
          } catch (error) {
            // Someone pushed first: start again from the new tip (never force).
            if (attempt >= ATTEMPTS || !/non-fast-forward|rejected|fetch first/i.test(String(error))) throw error;
            options.logger?.info('card write-back raced another push; re-applying', { attempt });
          }
        }
      }
      if (!options.forge) throw new Error('pull-request write-back needs CARDS_FORGE');
      const head = `mltrl-bot/decision-${decision.reviewId}`;
      const exists = (await repoGit.raw(['ls-remote', '--heads', 'origin', head])).trim() !== '';
      if (!exists && (await commitOn(repoGit, decision, head))) {
        await options.beforePush?.();
        await repoGit.push('origin', `HEAD:refs/heads/${head}`);
      }
      const url = await options.forge.openPullRequest({
        head,
        base: branch!,
        title: commitMessage(decision),
        body: pullRequestBody(decision),
      });
      return { url };
    } catch (error) {
      const message = redact(error instanceof Error ? error.message : String(error), remote);
      options.logger?.warn('card write-back failed', { remote: describeRemote(remote.url), error: message });
      // No `cause`: the original may carry credentials; this message is redacted.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`card write-back to ${describeRemote(remote.url)} failed: ${message}`);
    }
  }

  return { mode: options.mode, write };
}

function commitMessage(decision: CardDecision): string {
  const what = decision.outcome === 'advanced' ? 'advanced to' : 'switched back to';
  return `${decision.projectId}: ${what} level ${decision.level} (gate ${decision.gate.from} -> ${decision.gate.to})`;
}

function pullRequestBody(decision: CardDecision): string {
  const votes = decision.votes.map((vote) => `- ${vote.voter}: ${vote.choice}${vote.reason ? ` ("${vote.reason}")` : ''}`);
  return [
    `The gate review of ${decision.projectId} (review ${decision.reviewId}) closed on ${decision.at.slice(0, 10)}.`,
    `This sets the card's Current Level to ${decision.level} and records the decision under the stage debrief.`,
    `Votes were cast on card revision ${decision.revision}.`,
    '',
    ...votes,
  ].join('\n');
}
