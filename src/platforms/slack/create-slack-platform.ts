import type { PlatformAdapter, PlatformDeps } from '../platform';

/** CONTRACT: built by the Slack issue. */
export function createSlackPlatform(_deps: PlatformDeps): PlatformAdapter {
  throw new Error('the slack platform is not built yet');
}
