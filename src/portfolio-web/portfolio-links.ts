import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PortfolioLinkPort } from '../core/engine-api';
import type { Actor, PlatformName } from '../core/events';
import type { Clock } from '../core/ports';

/** How long a link opens the page: an hour, on the bot's clock (the playground's clock moves it too). */
export const LINK_TTL_MS = 3_600_000;

/** Who a link was made for: what the page needs to show the portfolio as that person reads it. */
export interface LinkViewer {
  platform: PlatformName;
  userId: string;
  tz?: string;
  locale?: string;
}

export type LinkCheck =
  | { ok: true; viewer: LinkViewer; expiresAt: Date }
  /** `expired` carries the viewer (the signature held), so the refusal can be in their language. */
  | { ok: false; reason: 'expired'; viewer: LinkViewer; expiresAt: Date }
  | { ok: false; reason: 'missing' | 'invalid' };

interface Payload {
  p: PlatformName;
  u: string;
  z?: string;
  l?: string;
  /** Expiry, epoch seconds. */
  e: number;
}

const PLATFORMS: readonly string[] = ['slack', 'teams', 'playground'];
const TOKEN = /^([A-Za-z0-9_-]{1,1400})\.([A-Za-z0-9_-]{43})$/;

/**
 * Signed links to the read-only portfolio page: `<base>/portfolio?t=<payload>.<mac>`, where the payload
 * names the viewer and the expiry and the mac is HMAC-SHA256 over it. No session and no other login: the
 * link is the permission, for an hour. The secret stays inside this object and is never logged.
 */
export class PortfolioLinks implements PortfolioLinkPort {
  constructor(
    private readonly options: {
      secret: Buffer;
      /** Where people open the bot, without a trailing slash (PUBLIC_URL, or the local playground). */
      baseUrl: () => string | undefined;
      clock: Clock;
      ttlMs?: number;
    },
  ) {}

  linkFor(viewer: Actor): string | undefined {
    const base = this.options.baseUrl();
    if (!base) return undefined;
    return `${base}/portfolio?t=${this.tokenFor(viewer)}`;
  }

  /** The chart alone (`/portfolio/chart.png`), under the same signed link: Slack's Home fetches it. */
  chartLinkFor(viewer: Actor): string | undefined {
    const base = this.options.baseUrl();
    if (!base) return undefined;
    return `${base}/portfolio/chart.png?t=${this.tokenFor(viewer)}`;
  }

  tokenFor(viewer: LinkViewer): string {
    const expires = this.options.clock.now().getTime() + (this.options.ttlMs ?? LINK_TTL_MS);
    const payload: Payload = {
      p: viewer.platform,
      u: viewer.userId,
      ...(viewer.tz ? { z: viewer.tz } : {}),
      ...(viewer.locale ? { l: viewer.locale } : {}),
      e: Math.floor(expires / 1000),
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  check(token: unknown): LinkCheck {
    if (typeof token !== 'string' || token === '') return { ok: false, reason: 'missing' };
    const match = TOKEN.exec(token);
    if (!match) return { ok: false, reason: 'invalid' };
    const [, body, mac] = match;
    const given = Buffer.from(mac!, 'base64url');
    const expected = this.mac(body!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, reason: 'invalid' };
    const payload = parsePayload(body!);
    if (!payload) return { ok: false, reason: 'invalid' };
    const viewer: LinkViewer = {
      platform: payload.p,
      userId: payload.u,
      ...(payload.z ? { tz: payload.z } : {}),
      ...(payload.l ? { locale: payload.l } : {}),
    };
    const expiresAt = new Date(payload.e * 1000);
    if (expiresAt.getTime() <= this.options.clock.now().getTime())
      return { ok: false, reason: 'expired', viewer, expiresAt };
    return { ok: true, viewer, expiresAt };
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.options.secret).update(`portfolio-link.v1.${body}`).digest();
  }
}

function parsePayload(body: string): Payload | undefined {
  try {
    const value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Payload>;
    const text = (field: unknown) => field === undefined || (typeof field === 'string' && field.length < 200);
    if (
      typeof value.p !== 'string' ||
      !PLATFORMS.includes(value.p) ||
      typeof value.u !== 'string' ||
      value.u === '' ||
      value.u.length > 200 ||
      !text(value.z) ||
      !text(value.l) ||
      typeof value.e !== 'number' ||
      !Number.isFinite(value.e)
    )
      return undefined;
    return value as Payload;
  } catch {
    return undefined;
  }
}
