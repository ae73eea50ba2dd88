import { Octokit } from '@octokit/rest';

/** Opens (or finds the already open) pull / merge request for a branch; returns its web link. */
export interface ForgeClient {
  openPullRequest(input: { head: string; base: string; title: string; body: string }): Promise<string>;
}

export interface ForgeOptions {
  forge: 'github' | 'gitlab';
  /** `owner/name` (GitHub) or the project path `group/sub/name` (GitLab). */
  repository: string;
  token: string;
  /** REST API base, e.g. https://api.github.com or https://gitlab.example.org/api/v4. */
  apiUrl: string;
}

export function createForgeClient(options: ForgeOptions): ForgeClient {
  return options.forge === 'github' ? githubClient(options) : gitlabClient(options);
}

/** GitHub through Octokit: `POST /repos/{owner}/{repo}/pulls`; a 422 (already open) finds the open one. */
function githubClient(options: ForgeOptions): ForgeClient {
  const [owner, repo] = options.repository.split('/') as [string, string];
  const octokit = new Octokit({ auth: options.token, baseUrl: options.apiUrl.replace(/\/+$/, ''), log: quiet });
  return {
    async openPullRequest({ head, base, title, body }) {
      try {
        const created = await octokit.pulls.create({ owner, repo, head, base, title, body });
        return created.data.html_url;
      } catch (error) {
        if ((error as { status?: number }).status !== 422) throw error;
        const open = await octokit.pulls.list({ owner, repo, head: `${owner}:${head}`, state: 'open' });
        const found = open.data[0];
        if (!found) throw error;
        return found.html_url;
      }
    },
  };
}

/** GitLab's REST API: `POST /projects/:id/merge_requests`; a 409 (already open) finds the open one. */
function gitlabClient(options: ForgeOptions): ForgeClient {
  const base = `${options.apiUrl.replace(/\/+$/, '')}/projects/${encodeURIComponent(options.repository)}`;
  const headers = { 'PRIVATE-TOKEN': options.token, 'content-type': 'application/json' };
  return {
    async openPullRequest({ head, base: target, title, body }) {
      const response = await fetch(`${base}/merge_requests`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ source_branch: head, target_branch: target, title, description: body }),
      });
      if (response.ok) return ((await response.json()) as { web_url: string }).web_url;
      if (response.status === 409) {
        const query = new URLSearchParams({ source_branch: head, target_branch: target, state: 'opened' });
        const open = await fetch(`${base}/merge_requests?${query}`, { headers });
        const found = open.ok ? ((await open.json()) as Array<{ web_url: string }>)[0] : undefined;
        if (found) return found.web_url;
      }
      throw new Error(`GitLab refused the merge request: HTTP ${response.status}`);
    },
  };
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
