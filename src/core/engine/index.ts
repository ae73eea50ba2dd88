import type { Engine } from '../engine-api';
import type { EngineDeps } from './deps';

export type { EngineDeps } from './deps';
export type * from './store-ports';

/**
 * Builds the platform-neutral engine: commands, actions and scheduled jobs in, messages out through
 * `deps.delivery`. CONTRACT: the implementation lands in the engine issue; this signature is stable.
 */
export function createEngine(_deps: EngineDeps): Engine {
  const notYet = (): never => {
    throw new Error('createEngine: not built yet (engine issue)');
  };
  return { handle: notYet, runJob: notYet, home: notYet };
}
