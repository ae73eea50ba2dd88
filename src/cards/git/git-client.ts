import { simpleGit, type SimpleGit } from 'simple-git';

/** How to reach the card repository. The token and key never appear in arguments, URLs or messages. */
export interface GitRemote {
  url: string;
  /** HTTPS token (GitHub, GitLab, Gitea): sent as an Authorization header through the environment. */
  token?: string;
  /** SSH private key file for `git@host:org/cards.git` remotes. */
  sshKeyFile?: string;
}

/** Git configuration and variables the bot sets; everything else GIT_* from the environment is dropped. */
const ALLOWED_ENV = [
  'GIT_TERMINAL_PROMPT',
  'GIT_SSH_COMMAND',
  'GIT_CONFIG_COUNT',
  'GIT_CONFIG_KEY_0',
  'GIT_CONFIG_VALUE_0',
  'GIT_CONFIG_NOSYSTEM',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
];

const PASSED_ENV = [
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'TMPDIR',
  'SSH_AUTH_SOCK',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];

/**
 * The git CLI through simple-git (a maintained wrapper over the real `git` binary): the real protocol
 * code (smart HTTP, SSH, file://, packfiles, shallow history) with its years of fixes, rather than a
 * re-implementation; simple-git adds argument escaping and its guard against unsafe options.
 */
export function gitIn(dir: string, remote: GitRemote, extra: Record<string, string> = {}): SimpleGit {
  return simpleGit({
    baseDir: dir,
    maxConcurrentProcesses: 4,
    allowEnvironment: ALLOWED_ENV,
    allowConfig: ['http.extraHeader'],
  }).env(gitEnv(remote, extra));
}

/**
 * The whole environment of every git process the bot starts: only what git needs to run and reach the
 * network (the token as a header in git's configuration, the SSH key in GIT_SSH_COMMAND), nothing from
 * the bot's own GIT_* variables that could make git run another program.
 */
export function gitEnv(remote: GitRemote, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSED_ENV) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  env.GIT_TERMINAL_PROMPT = '0'; // a bad credential fails instead of waiting for a password
  env.GIT_CONFIG_NOSYSTEM = '1';
  if (remote.token) {
    const basic = Buffer.from(`x-access-token:${remote.token}`).toString('base64');
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
    env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${basic}`;
  }
  if (remote.sshKeyFile) {
    const key = remote.sshKeyFile.replace(/'/g, `'\\''`);
    env.GIT_SSH_COMMAND = `ssh -i '${key}' -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=accept-new`;
  }
  Object.assign(env, extra);
  return env;
}

/** The remote as safe to log and show: no user info, no token, no query. */
export function describeRemote(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//'); // scp-like git@host:org/cards.git stays as it is
  }
}

/** An error message without credentials: the URL's user info, the token and its header are cut out. */
export function redact(message: string, remote: GitRemote): string {
  let text = message.split(remote.url).join(describeRemote(remote.url));
  if (remote.token) {
    text = text.split(remote.token).join('***');
    text = text.split(Buffer.from(`x-access-token:${remote.token}`).toString('base64')).join('***');
  }
  return text
    .replace(/\/\/[^@/\s]+@/g, '//')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, 4)
    .join(' / ');
}
