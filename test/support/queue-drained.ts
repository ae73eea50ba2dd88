import type { Queue } from 'bullmq';

/**
 * Resolves once nothing is waiting, running, delayed or prioritized on the queue: whatever its jobs were
 * going to do has been done. Wait for this (or for a later sentinel's effect) before asserting that
 * something did not happen, instead of sleeping.
 */
export async function queueDrained(
  queue: Pick<Queue, 'getJobCounts'>,
  what = 'the queue',
  timeoutMs = 15000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(counts).every((count) => count === 0)) return;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what} to drain: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
