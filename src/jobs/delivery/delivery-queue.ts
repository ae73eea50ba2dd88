import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { DeliveryPort, DeliveryRequest } from '../../core/engine-api';
import { toJobId } from '../job-ids';
import { enqueueTraced, withTrace } from '../../observability/trace-jobs';
import { BotError } from '../../core/errors';
import { conversationOf, DELIVERY_QUEUE, platformOfRequest, type DeliveryJobData } from './delivery-job';

/**
 * The outbound delivery queue (the engine's `DeliveryPort`). Each request becomes one BullMQ job whose
 * id comes from the request key, so sending the same request twice adds nothing; the message ledger
 * (see delivery-worker.ts) makes sure that even a job that runs twice posts once.
 */
export interface DeliveryQueueOptions {
  /** A BullMQ connection (maxRetriesPerRequest: null). */
  connection: Redis;
  /** Command connection for the update counters. */
  commands: Redis;
  /** BullMQ prefix with a hash tag, e.g. `{mltrl}`. */
  prefix: string;
  attempts?: number;
  backoffMs?: number;
}

const UPDATE_SEQ_TTL_SECONDS = 180 * 24 * 3600;

export class DeliveryQueue implements DeliveryPort {
  readonly queue: Queue<DeliveryJobData>;
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(private readonly options: DeliveryQueueOptions) {
    this.queue = new Queue<DeliveryJobData>(DELIVERY_QUEUE, {
      connection: options.connection,
      prefix: options.prefix,
    });
    this.attempts = options.attempts ?? 8;
    this.backoffMs = options.backoffMs ?? 2000;
  }

  async send(requests: DeliveryRequest[]): Promise<void> {
    if (requests.length === 0) return;
    for (const request of requests) checkRequest(request);
    const seqs = await this.numberUpdates(requests);
    const previousIn = new Map<string, string>();
    const data = requests.map((request, index): DeliveryJobData => {
      const conversation = conversationOf(request);
      const after = conversation === undefined ? undefined : previousIn.get(conversation);
      if (conversation !== undefined) previousIn.set(conversation, request.key);
      return {
        request,
        ...(seqs[index] === undefined ? {} : { updateSeq: seqs[index] }),
        ...(after === undefined || after === request.key ? {} : { after }),
      };
    });
    // With tracing on, each job carries the enqueuing trace context (the worker's span continues it).
    await enqueueTraced(DELIVERY_QUEUE, requests.length, (trace) =>
      this.queue.addBulk(
        requests.map((request, index) => ({
          name: request.op,
          data: withTrace(data[index], trace),
          opts: {
            jobId: toJobId(request.key),
            attempts: this.attempts,
            backoff: { type: 'exponential', delay: this.backoffMs },
            removeOnComplete: { age: 3600, count: 10000 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        })),
      ),
    );
  }

  /** Every update of a message gets the next number, so the worker can skip all but the newest. */
  private async numberUpdates(requests: DeliveryRequest[]): Promise<Array<number | undefined>> {
    if (!requests.some((request) => request.op === 'update')) return requests.map(() => undefined);
    const pipeline = this.options.commands.pipeline();
    for (const request of requests) {
      if (request.op !== 'update' || request.onlyIfLost) continue;
      const key = updateSeqKey(this.options.prefix, request.of);
      pipeline.incr(key).expire(key, UPDATE_SEQ_TTL_SECONDS);
    }
    const results = (await pipeline.exec()) ?? [];
    let next = 0;
    return requests.map((request) => {
      // A fix for a lost message is not a newer state: it must not supersede the real updates.
      if (request.op !== 'update' || request.onlyIfLost) return undefined;
      const [error, value] = results[next];
      next += 2;
      if (error) throw error;
      return Number(value);
    });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export function updateSeqKey(prefix: string, targetKey: string): string {
  return `${prefix}:deliv:seq:${targetKey}`;
}

/** A malformed request is a bug in the caller: refuse it at once rather than retry it for minutes. */
function checkRequest(request: DeliveryRequest): void {
  if (!request.key) throw new BotError('bad-input', `a delivery request (${request.op}) has no key`);
  if (request.op === 'update') {
    if (!request.of) throw new BotError('bad-input', `update ${request.key} names no message to update`);
    return;
  }
  try {
    platformOfRequest(request);
  } catch (error) {
    throw new BotError('bad-input', `delivery ${request.key}: ${(error as Error).message}`, { cause: error });
  }
}
