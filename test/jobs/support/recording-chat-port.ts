import type Redis from 'ioredis';
import type { PlatformName } from '../../../src/core/events';
import type { OutboundMessage } from '../../../src/core/messages';
import type { ChatPort, DeliveryOptions, PostedMessage } from '../../../src/core/ports';

/**
 * A ChatPort that records every call in Redis (so several processes, and the test, see one log), like a
 * platform that keeps messages. `beforeAnswer` runs after the message is stored and before the call
 * returns: a child process killed there leaves a message the platform has but the worker never recorded.
 */
export interface RecordedCall {
  op: 'post' | 'dm' | 'update' | 'ephemeral';
  conversationId?: string;
  userId?: string;
  threadId?: string;
  messageId?: string;
  key?: string;
  text: string;
  /** How many buttons (not links) the message carried. */
  buttons?: number;
  at: number;
  pid: number;
}

export class RecordingChatPort implements ChatPort {
  findPosted?: ChatPort['findPosted'];

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly platform: PlatformName = 'playground',
    private readonly hooks: {
      /** Throw here to make the platform refuse a call (before anything is stored). */
      before?: (call: Omit<RecordedCall, 'at' | 'pid'>) => Promise<void> | void;
      beforeAnswer?: () => Promise<void>;
      lookup?: boolean;
    } = {},
  ) {
    if (hooks.lookup !== false) {
      this.findPosted = async (key: string) => {
        const raw = await this.redis.hget(`${this.prefix}:chat:by-key`, key);
        return raw ? (JSON.parse(raw) as PostedMessage) : undefined;
      };
    }
  }

  private async record(call: Omit<RecordedCall, 'at' | 'pid'>): Promise<PostedMessage | undefined> {
    await this.hooks.before?.(call);
    let posted: PostedMessage | undefined;
    if (call.op === 'post' || call.op === 'dm') {
      const id = await this.redis.incr(`${this.prefix}:chat:seq`);
      posted = {
        conversationId: call.conversationId ?? `${this.platform}:dm-${call.userId}`,
        messageId: `m${id}`,
      };
      call.messageId = posted.messageId;
    }
    const multi = this.redis
      .multi()
      .rpush(`${this.prefix}:chat:log`, JSON.stringify({ ...call, at: Date.now(), pid: process.pid }));
    if (posted && call.key) multi.hset(`${this.prefix}:chat:by-key`, call.key, JSON.stringify(posted));
    await multi.exec();
    await this.hooks.beforeAnswer?.();
    return posted;
  }

  async post(conversationId: string, message: OutboundMessage, threadId?: string, options?: DeliveryOptions) {
    return (await this.record({
      op: 'post',
      conversationId,
      threadId,
      key: options?.idempotencyKey,
      text: message.text,
    }))!;
  }

  async directMessage(userId: string, message: OutboundMessage, options?: DeliveryOptions) {
    return (await this.record({ op: 'dm', userId, key: options?.idempotencyKey, text: message.text }))!;
  }

  async update(target: PostedMessage, message: OutboundMessage) {
    await this.record({
      op: 'update',
      conversationId: target.conversationId,
      messageId: target.messageId,
      text: message.text,
      buttons: countButtons(message),
    });
  }

  async ephemeral(conversationId: string, userId: string, message: OutboundMessage) {
    await this.record({ op: 'ephemeral', conversationId, userId, text: message.text });
  }
}

export async function readCalls(redis: Redis, prefix: string): Promise<RecordedCall[]> {
  return (await redis.lrange(`${prefix}:chat:log`, 0, -1)).map((raw) => JSON.parse(raw) as RecordedCall);
}

function countButtons(message: OutboundMessage): number {
  return message.blocks
    .flatMap((block) => (block.type === 'actions' ? block.actions : []))
    .filter((action) => !(action.type === 'button' && action.url)).length;
}

export function textMessage(text: string): OutboundMessage {
  return { kind: 'notice', text, blocks: [{ type: 'text', text }] };
}

export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
