import type { DeliveryPort, DeliveryRequest } from '../../src/core/engine-api';
import type { ChatPort, PostedMessage } from '../../src/core/ports';

/**
 * Delivers the engine's requests at once through a platform's ChatPort, in order, instead of through the
 * delivery queue: for adapter tests that want the engine's real messages on the wire without workers. Like
 * the queue, a key is delivered once, threads and updates find their message by the key it was posted
 * under, and each post carries its key as the idempotency key.
 */
export class ChatDelivery implements DeliveryPort {
  /** Set once the adapter exists (the engine is built before it). */
  chat?: ChatPort;
  /** Where each delivered post or DM landed, by delivery key. */
  readonly posted = new Map<string, PostedMessage>();
  readonly requests: DeliveryRequest[] = [];
  private readonly done = new Set<string>();

  async send(requests: DeliveryRequest[]): Promise<void> {
    for (const request of requests) {
      if (this.done.has(request.key)) continue;
      this.done.add(request.key);
      this.requests.push(request);
      await this.deliver(request);
    }
  }

  private async deliver(request: DeliveryRequest): Promise<void> {
    const chat = this.chat;
    if (!chat) throw new Error('ChatDelivery.chat is not set');
    const options = { idempotencyKey: request.key };
    if (request.op === 'post') {
      const thread = request.threadOf ? this.posted.get(request.threadOf)?.messageId : undefined;
      this.posted.set(request.key, await chat.post(request.conversationId, request.message, thread, options));
    } else if (request.op === 'dm') {
      this.posted.set(request.key, await chat.directMessage(request.userId, request.message, options));
    } else if (request.op === 'update') {
      const known = this.posted.get(request.of);
      if (request.onlyIfLost && known) return;
      const target = known ?? request.seenAs;
      if (target) await chat.update(target, request.message);
    } else {
      await chat.ephemeral(request.conversationId, request.userId, request.message);
    }
  }
}
