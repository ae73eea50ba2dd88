import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type Redis from 'ioredis';
import { createGitCardSource, type GitCardSource } from '../cards/git/git-card-source';
import { parseOptionsFor } from '../cards/parse-card';
import type { Config } from '../config/config';
import type { CardSource, CardWriter, FlowSource } from '../core/ports';
import { createForgeClient } from '../cards/git/forge-client';
import { createGitCardWriter } from '../cards/git/git-card-writer';
import type { Logger } from '../logging/logger';
import { createRedisCardCommit } from '../storage/redis/redis-card-commit';

/**
 * The card source the configuration asks for: the watched CARDS_DIR (given), or with CARDS_GIT_URL a
 * clone under DATA_DIR whose commit every process shares through Redis.
 */
export function cardSourceFor(input: {
  config: Config;
  local: CardSource;
  flows: FlowSource;
  redis: Redis;
  keyPrefix: string;
  logger: Logger;
}): { cards: CardSource; git?: GitCardSource; writer?: CardWriter } {
  const { config } = input;
  if (!config.CARDS_GIT_URL) return { cards: input.local };
  const name = createHash('sha256')
    .update(`${config.CARDS_GIT_URL}#${config.CARDS_GIT_BRANCH ?? ''}`)
    .digest('hex')
    .slice(0, 12);
  const git = createGitCardSource({
    remote: {
      url: config.CARDS_GIT_URL,
      token: config.CARDS_GIT_TOKEN,
      sshKeyFile: config.CARDS_GIT_SSH_KEY_FILE && resolve(config.CARDS_GIT_SSH_KEY_FILE),
    },
    branch: config.CARDS_GIT_BRANCH,
    path: config.CARDS_GIT_PATH,
    cloneDir: resolve(join(config.DATA_DIR, 'cards-git', name)),
    pollSeconds: config.CARDS_GIT_POLL_SECONDS,
    webUrl: config.CARDS_WEB_URL,
    shared: createRedisCardCommit(input.redis, input.keyPrefix),
    logger: input.logger,
    ...parseOptionsFor(input.flows),
  });
  return { cards: git, git, writer: writerFor(config, name, input.logger) };
}

/** CARDS_WRITE_BACK with its own clone; `pull-request` through the forge's REST API. */
function writerFor(config: Config, name: string, logger: Logger): CardWriter | undefined {
  if (config.CARDS_WRITE_BACK === 'off' || !config.CARDS_GIT_URL) return undefined;
  const remote = {
    url: config.CARDS_GIT_URL,
    token: config.CARDS_GIT_TOKEN,
    sshKeyFile: config.CARDS_GIT_SSH_KEY_FILE && resolve(config.CARDS_GIT_SSH_KEY_FILE),
  };
  const forge =
    config.CARDS_FORGE && config.CARDS_GIT_TOKEN
      ? createForgeClient({
          forge: config.CARDS_FORGE,
          token: config.CARDS_GIT_TOKEN,
          repository: config.CARDS_FORGE_REPOSITORY ?? repositoryOf(config.CARDS_GIT_URL),
          apiUrl: config.CARDS_FORGE_API_URL ?? defaultApi(config.CARDS_FORGE, config.CARDS_GIT_URL),
        })
      : undefined;
  return createGitCardWriter({
    mode: config.CARDS_WRITE_BACK,
    remote,
    branch: config.CARDS_GIT_BRANCH,
    path: config.CARDS_GIT_PATH,
    workDir: resolve(join(config.DATA_DIR, 'cards-git', `${name}-write`)),
    forge,
    logger,
  });
}

/** `https://host/org/cards.git` or `git@host:org/cards.git` -> `org/cards`. */
function repositoryOf(url: string): string {
  const path = /^[\w.-]+@[\w.-]+:(.+)$/.exec(url)?.[1] ?? new URL(url).pathname;
  return path.replace(/^\/+/, '').replace(/\.git$/, '');
}

function defaultApi(forge: 'github' | 'gitlab', url: string): string {
  if (forge === 'github') return 'https://api.github.com';
  const host = /^[\w.-]+@([\w.-]+):/.exec(url)?.[1] ?? new URL(url).host;
  return `https://${host}/api/v4`;
}
