import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Express, Request } from 'express';
import type { Logger } from '../logging/logger';

/** Larger push payloads are refused before they are read to the end. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export type WebhookCheck = { ok: true; forge: 'github' | 'gitlab' | 'gitea' } | { ok: false; reason: string };

/**
 * A push webhook is believed only when it proves it knows the secret: GitHub's `X-Hub-Signature-256`
 * (`sha256=` + HMAC-SHA256 of the raw body), Gitea's and Forgejo's `X-Gitea-Signature` /
 * `X-Forgejo-Signature` (the same HMAC, bare hex), GitLab's `X-Gitlab-Token` (the secret itself). Every
 * comparison is constant-time (digests of equal length).
 */
export function verifyWebhook(headers: IncomingHttpHeaders, body: Buffer, secret: string): WebhookCheck {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const hmac = createHmac('sha256', secret).update(body).digest('hex');
  const github = header('x-hub-signature-256');
  if (github !== undefined) {
    return sameText(github.trim().toLowerCase(), `sha256=${hmac}`)
      ? { ok: true, forge: 'github' }
      : { ok: false, reason: 'X-Hub-Signature-256 does not match the body and CARDS_GIT_WEBHOOK_SECRET' };
  }
  const gitea = header('x-gitea-signature') ?? header('x-forgejo-signature');
  if (gitea !== undefined) {
    return sameText(gitea.trim().toLowerCase(), hmac)
      ? { ok: true, forge: 'gitea' }
      : { ok: false, reason: 'X-Gitea-Signature does not match the body and CARDS_GIT_WEBHOOK_SECRET' };
  }
  const gitlab = header('x-gitlab-token');
  if (gitlab !== undefined) {
    return sameText(gitlab, secret)
      ? { ok: true, forge: 'gitlab' }
      : { ok: false, reason: 'X-Gitlab-Token is not CARDS_GIT_WEBHOOK_SECRET' };
  }
  return {
    ok: false,
    reason: 'unsigned: send X-Hub-Signature-256, X-Gitea-Signature, X-Forgejo-Signature or X-Gitlab-Token',
  };
}

/** Constant-time whatever the lengths: compares SHA-256 digests of both sides. */
function sameText(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * The branch a push payload names (`ref`: `refs/heads/<branch>` on GitHub, GitLab, Gitea and Forgejo),
 * `null` for a ref that is no branch (a tag), undefined when the payload names none (a ping, a test
 * delivery): those still fetch, a fetch being harmless.
 */
export function pushedBranch(payload: unknown): string | null | undefined {
  const ref = (payload as { ref?: unknown } | null)?.ref;
  if (typeof ref !== 'string') return undefined;
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
}

/**
 * `POST /webhooks/git`: a verified push makes the card source fetch at once (answered 202 before the
 * fetch ends). A push to another branch than the cards' (or of a tag) is answered 200 "ignored" and
 * fetches nothing. Refused, with nothing fetched: no secret configured or a bad signature (401), a body
 * over 1 MiB (413), a body that is not JSON (400).
 */
export function mountGitWebhook(
  app: Express,
  options: {
    secret?: string;
    onPush: () => Promise<unknown>;
    /** The branch the cards come from (undefined until the clone knows the remote's default). */
    branch?: () => string | undefined;
    logger: Logger;
  },
): void {
  app.post('/webhooks/git', async (req, res) => {
    const body = await readBody(req);
    if (body === 'too-large') {
      res.status(413).json({ error: `webhook body larger than ${MAX_WEBHOOK_BYTES} bytes` });
      return;
    }
    if (!options.secret) {
      res.status(401).json({ error: 'CARDS_GIT_WEBHOOK_SECRET is not set: webhooks are refused' });
      return;
    }
    const check = verifyWebhook(req.headers, body, options.secret);
    if (!check.ok) {
      options.logger.warn('git webhook refused', { reason: check.reason });
      res.status(401).json({ error: check.reason });
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      res.status(400).json({ error: 'webhook body is not JSON' });
      return;
    }
    const pushed = pushedBranch(payload);
    const ours = options.branch?.();
    if (pushed === null || (pushed !== undefined && ours !== undefined && pushed !== ours)) {
      const ref = String((payload as { ref: string }).ref);
      res
        .status(200)
        .json({ status: 'ignored', reason: `push to ${ref}; the cards come from ${ours ?? 'a branch'}` });
      return;
    }
    res.status(202).json({ status: 'fetching', forge: check.forge });
    options.onPush().catch((error: unknown) =>
      options.logger.warn('fetch after a git webhook failed', {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  });
}

/** The raw body (signatures are over the exact bytes), or 'too-large' once it passes the limit. */
async function readBody(req: Request): Promise<Buffer | 'too-large'> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_WEBHOOK_BYTES) {
    req.resume();
    return 'too-large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end without keeping what passes the limit: the 413 then reaches the sender.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_WEBHOOK_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_WEBHOOK_BYTES ? 'too-large' : Buffer.concat(chunks);
}
