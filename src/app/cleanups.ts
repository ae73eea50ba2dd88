import type { Logger } from '../logging/logger';

/**
 * What to undo when the app stops (or fails to start), run last-in first-out: what was built last is
 * closed first, and the embedded redis-server stops after every connection to it closed.
 */
export class Cleanups {
  private readonly steps: Array<() => Promise<void>> = [];

  constructor(private readonly logger: Logger) {}

  add(step: () => Promise<void> | void): void {
    this.steps.push(async () => step());
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        this.logger.warn('cleanup step failed', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}
