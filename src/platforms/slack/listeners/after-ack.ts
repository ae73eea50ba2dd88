/**
 * Work that follows an ack (profile look-up, engine, private reply) runs at most `limit` at a time. Under
 * a burst, the rest waits here, cheaply, while new requests keep being acknowledged at once: Slack gives
 * 3 seconds for the ack, but 30 minutes for the reply through the response_url.
 */
export class AfterAckQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit = 4) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }

  /** Waits until every task ran (shutdown), or until `timeoutMs` passed. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** Tasks running or waiting, for tests and metrics. */
  get pending(): number {
    return this.running + this.waiting.length;
  }
}
