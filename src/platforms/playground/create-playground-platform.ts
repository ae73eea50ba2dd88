import type { PlatformAdapter, PlatformDeps } from '../platform';

/** CONTRACT: built by the Playground issue. */
export function createPlaygroundPlatform(_deps: PlatformDeps): PlatformAdapter {
  throw new Error('the playground platform is not built yet');
}
