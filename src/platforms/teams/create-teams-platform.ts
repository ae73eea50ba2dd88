import type { PlatformAdapter, PlatformDeps } from '../platform';

/** CONTRACT: built by the Teams issue. */
export function createTeamsPlatform(_deps: PlatformDeps): PlatformAdapter {
  throw new Error('the teams platform is not built yet');
}
