import type { Actor } from '../../../core/events';
import type { ListenerDeps } from './listener-deps';

/**
 * The person behind a request: ids from the signed payload, name, time zone and locale from their Slack
 * profile (cached). A failed profile look-up never blocks the request; the engine falls back to defaults.
 */
export async function resolveActor(
  deps: ListenerDeps,
  teamId: string,
  userId: string,
  fallbackName?: string,
): Promise<Actor> {
  const [, profile] = await Promise.all([
    deps.clients.rememberUserTeam(userId, teamId).catch(() => undefined),
    deps.people.profile(userId, teamId).catch((error: unknown) => {
      deps.logger.warn('slack: users.info failed; continuing without time zone and locale', { error });
      return undefined;
    }),
  ]);
  return {
    platform: 'slack',
    userId,
    name: profile?.name ?? fallbackName,
    email: profile?.email,
    tz: profile?.tz,
    locale: profile?.locale,
  };
}
