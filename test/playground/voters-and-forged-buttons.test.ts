import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAppHarness, type AppHarness } from '../support/app-harness';

/**
 * The playground API on the whole app (engine, Redis, queues): a reviewer outside the gate's voter roles
 * is refused with the reason, and a click whose value its message never offered (another review's id,
 * another revision, no such vote kind) is refused, audited by the engine, and changes nothing.
 */
type Message = {
  id: string;
  message: {
    kind: string;
    text: string;
    blocks: Array<{ type: string; actions?: Array<{ actionId: string; value: string }> }>;
  };
};

let harness: AppHarness;

beforeEach(async () => {
  harness = await startAppHarness();
});

afterEach(async () => {
  await harness.stop();
});

async function api(path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${harness.baseUrl}/playground/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function say(as: string, text: string): Promise<string> {
  const reply = await api('/conversations/playground:ml-reviews/commands', { as, text: `/mltrl ${text}` });
  return (reply.body.ephemeral as Message[]).map((entry) => entry.message.text).join('\n');
}

async function voteMessage(): Promise<Message> {
  for (let i = 0; i < 200; i++) {
    const { body } = await api('/conversations/playground:ml-reviews/messages?as=lee');
    const vote = (body.messages as Message[]).find((entry) => entry.message.kind === 'vote');
    if (vote) return vote;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no vote message');
}

function approveValue(vote: Message): string {
  return vote.message.blocks.flatMap((b) => b.actions ?? []).find((a) => a.actionId === 'vote-approve')!
    .value;
}

function click(as: string, vote: Message, value: string) {
  return api(`/messages/${vote.id}/actions`, { as, actionId: 'vote-approve', value });
}

/** The retina card complete for 3 -> 4, with split reviewer rows. */
function splitReviewers(): void {
  const file = join(harness.cardsDir, 'retina-lesion-detector.md');
  writeFileSync(
    file,
    readFileSync(file, 'utf8')
      .replace(
        /^\| Reviewer\(s\) .*$/m,
        '| R&D reviewer | Priya Nair <priya@example.org> |\n| Product reviewer | Li Wei |',
      )
      .replace('(*link to repo and docs*)', 'https://git.example.org/ml/retina')
      .replace('### Testing status\n', '### Testing status\n\nUnit tests and a held-out evaluation.\n'),
  );
}

test('a product reviewer at a research gate is refused with the reason; the R&D reviewer decides', async () => {
  splitReviewers();
  await say('sam', 'review R07.2');
  const vote = await voteMessage();
  expect(vote.message.text).toContain('At this gate R&D reviewers vote; not voting here: <@li>.');

  const refused = await click('li', vote, approveValue(vote));
  expect(refused.status).toBe(200);
  expect((refused.body.ephemeral as Message[])[0].message.text).toBe(
    'At the 3 -> 4 gate of R07.2 only R&D reviewers vote; your vote was not counted.',
  );
  expect(await say('ana', 'history R07.2')).toContain('(not-voter-role)');
  const counted = await click('priya', vote, approveValue(vote));
  expect((counted.body.ephemeral as Message[])[0].message.text).toContain('Your vote on R07.2 is recorded');
});

test('values the vote message never offered are refused, audited, and count nothing', async () => {
  splitReviewers();
  await say('sam', 'review R07.2');
  const vote = await voteMessage();
  const [, reviewId, , , revision] = approveValue(vote).split('|');
  for (const forged of [
    `v2|rOTHERREVIEW1|approve||${revision}`,
    `v2|${reviewId}|approve||0123456789ab`,
    `v2|${reviewId}|veto||${revision}`,
  ]) {
    const reply = await click('priya', vote, forged);
    expect(reply).toMatchObject({ status: 400, body: { error: { code: 'unknown-action' } } });
  }
  const history = await say('ana', 'history R07.2');
  // The value naming another review cannot be tied to this project; the two naming this review are.
  expect(history.match(/\(not-on-message\)/g)).toHaveLength(2);
  expect(await say('ana', 'status R07.2')).toContain('<@priya> pending');
});
