import { channelVote } from '../support/channel-vote';
import { startPlayground, type RunningPlayground } from './playground-fixture';

let pg: RunningPlayground;
beforeEach(async () => {
  pg = await startPlayground();
});
afterEach(async () => {
  await pg.close();
});

/** The texts of the channel's newest message as `who` is shown it. */
async function textsSeenBy(who: string): Promise<string> {
  const response = await fetch(
    `${pg.url}/playground/api/conversations/playground:ml-reviews/messages?as=${who}`,
  );
  const body = (await response.json()) as { messages: Array<{ message: { blocks: unknown[] } }> };
  return JSON.stringify(body.messages.at(-1)!.message.blocks);
}

describe('times in a playground channel message', () => {
  test('each person reads the vote deadline in their own zone (people.yaml), with a date', async () => {
    const { vote } = await channelVote();
    await pg.platform.chat.post('playground:ml-reviews', vote);
    // Ana sits in Berlin, Priya in Kolkata (the fixture's people): one deadline, two clock times.
    const ana = await textsSeenBy('ana');
    const priya = await textsSeenBy('priya');
    expect(ana).toContain('closes Mon 30 Nov, 17:00 your time');
    expect(priya).toContain('closes Mon 30 Nov, 21:30 your time');
    // Lee has no zone in people.yaml: the bot's default (UTC here).
    expect(await textsSeenBy('lee')).toContain('closes Mon 30 Nov, 16:00 your time');
    expect(ana + priya).not.toContain('<!time');
  });
});
