import type { DigestPort } from '../../src/core/engine-api';
import type { OutboundMessage } from '../../src/core/messages';
import { CHANNEL, command, makeHarness } from './harness';

type SubscribeInput = Parameters<DigestPort['subscribe']>[0];

/** Records what the engine asks of the digest; answers with a plain line. */
class RecordingDigest implements DigestPort {
  readonly subscribed: SubscribeInput[] = [];
  private line(text: string): OutboundMessage {
    return { kind: 'notice', text, blocks: [{ type: 'text', text }] };
  }
  async subscribe(input: SubscribeInput): Promise<OutboundMessage> {
    this.subscribed.push(input);
    return this.line('subscribed');
  }
  async unsubscribe(): Promise<OutboundMessage> {
    return this.line('unsubscribed');
  }
  async postNow(): Promise<OutboundMessage> {
    return this.line('posted');
  }
  async portfolio(): Promise<OutboundMessage> {
    return this.line('portfolio');
  }
}

describe('digest subscribe', () => {
  it('passes skip-quiet on as quietWeek "skip", and nothing without it', async () => {
    const digest = new RecordingDigest();
    const h = makeHarness({ digest });
    await command(h, 'lee', 'digest subscribe weekly fri 16:00 Europe/London skip-quiet');
    await command(h, 'lee', 'digest subscribe daily 08:30');
    expect(digest.subscribed).toEqual([
      expect.objectContaining({
        conversationId: CHANNEL,
        schedule: 'weekly fri 16:00',
        tz: 'Europe/London',
        quietWeek: 'skip',
      }),
      expect.objectContaining({ schedule: 'daily 08:30', quietWeek: undefined }),
    ]);
    // Still admins only.
    await command(h, 'ana', 'digest subscribe skip-quiet');
    expect(digest.subscribed).toHaveLength(2);
  });
});
