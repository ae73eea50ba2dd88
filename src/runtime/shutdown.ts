import type { Worker } from 'bullmq';
import type { Logger } from '../logging/logger';

/**
 * Closes a BullMQ worker within a deadline. `worker.close()` waits for active jobs and can hang forever
 * (a stuck platform call); past the deadline we force-close, and the jobs still running are handed back:
 * their locks expire and another worker's stalled-job check requeues them (the message ledger keeps a
 * half-done delivery from posting twice).
 */
export async function closeWorker(worker: Worker, deadlineMs: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const graceful = worker.close().then(() => 'closed' as const);
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), deadlineMs);
  });
  const outcome = await Promise.race([graceful, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    logger.warn('worker did not finish its jobs in time; handing them back', {
      queue: worker.name,
      deadlineMs,
    });
    await Promise.race([worker.close(true).catch(() => undefined), sleep(1000)]);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * SIGTERM / SIGINT: run `stop` once (stop taking work, close workers within the deadline, close HTTP and
 * Redis, stop the embedded Redis), then exit 0. A second signal exits at once with status 1; a `stop`
 * that overruns `hardDeadlineMs` is abandoned with status 1 as well.
 */
export function exitOnSignals(options: {
  stop: () => Promise<void>;
  logger: Logger;
  hardDeadlineMs: number;
  exit?: (code: number) => void;
}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.logger.warn('second signal: exiting now', { signal });
      exit(1);
      return;
    }
    stopping = true;
    options.logger.info('shutting down', { signal });
    const hard = setTimeout(() => {
      options.logger.error('shutdown overran its deadline; exiting', { deadlineMs: options.hardDeadlineMs });
      exit(1);
    }, options.hardDeadlineMs);
    hard.unref();
    options.stop().then(
      () => {
        clearTimeout(hard);
        options.logger.info('stopped');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(hard);
        options.logger.error('shutdown failed', {
          error: error instanceof Error ? error.message : String(error),
        });
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
