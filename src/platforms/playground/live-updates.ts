import type { Request, Response } from 'express';
import type Redis from 'ioredis';
import type { Logger } from '../../logging/logger';

const HEARTBEAT_MS = 20_000;

/**
 * Server-Sent Events for open playground pages. One Redis subscriber per web process (created on the
 * first page) fans the workspace's change notifications out to every connected page; notifications carry
 * ids only, never message content, so a page re-reads what it is allowed to see.
 */
export class LiveUpdates {
  private subscriber?: Redis;
  private subscribing?: Promise<void>;
  private readonly pages = new Set<Response>();
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {}

  async attach(req: Request, res: Response): Promise<void> {
    await this.ensureSubscribed();
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    this.pages.add(res);
    req.on('close', () => this.pages.delete(res));
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => this.broadcastRaw(': ping\n\n'), HEARTBEAT_MS);
      this.heartbeat.unref();
    }
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const page of this.pages) page.end();
    this.pages.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.subscribing = undefined;
    if (subscriber) subscriber.disconnect();
  }

  private ensureSubscribed(): Promise<void> {
    if (!this.subscribing) {
      const subscriber = this.redis.duplicate();
      this.subscriber = subscriber;
      subscriber.on('error', (error) => this.logger.warn('playground live updates: redis error', { error }));
      subscriber.on('message', (_channel: string, payload: string) =>
        this.broadcastRaw(`data: ${payload}\n\n`),
      );
      this.subscribing = subscriber.subscribe(this.channel).then(() => undefined);
    }
    return this.subscribing;
  }

  private broadcastRaw(chunk: string): void {
    for (const page of this.pages) page.write(chunk);
  }
}
