import { hkdfSync, randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import type { Config } from '../config/config';

/**
 * The key that signs portfolio links, in order: PORTFOLIO_LINK_SECRET; else derived (HKDF-SHA256) from a
 * platform secret the bot already holds, so Slack or Teams deployments need nothing new; else (the
 * playground) a random key kept once in Redis, shared by every process of this bot. Never logged.
 */
export async function portfolioLinkSecret(config: Config, redis: Redis, keyPrefix: string): Promise<Buffer> {
  if (config.PORTFOLIO_LINK_SECRET) return Buffer.from(config.PORTFOLIO_LINK_SECRET, 'utf8');
  const base = config.SLACK_SIGNING_SECRET ?? config.SLACK_CLIENT_SECRET ?? config.clientSecret;
  if (base) return Buffer.from(hkdfSync('sha256', base, 'mltrl-bot', 'portfolio-link.v1', 32));
  const key = `${keyPrefix}:portfolio:link-secret`;
  await redis.set(key, randomBytes(32).toString('base64'), 'NX');
  const stored = await redis.get(key);
  if (!stored) throw new Error(`the portfolio link key ${key} vanished right after it was written`);
  return Buffer.from(stored, 'base64');
}

/**
 * Where people open the portfolio page: PUBLIC_URL; else, for the playground, the address the web
 * process listens on (a wildcard address written as localhost); else none (no link is offered).
 */
export function portfolioBaseUrl(config: Config, listening: string | undefined): string | undefined {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  if (!config.playgroundEnabled || !listening) return undefined;
  return listening.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, '//localhost');
}
