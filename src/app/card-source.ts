import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type Redis from 'ioredis';
import { createGitCardSource, type GitCardSource } from '../cards/git/git-card-source';
import type { Config } from '../config/config';
import type { CardSource, FlowSource } from '../core/ports';
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
}): { cards: CardSource; git?: GitCardSource } {
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
    placeholders: input.flows.defaultFlow().placeholders,
  });
  return { cards: git, git };
}
