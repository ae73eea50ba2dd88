import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { FakeBotConnector, type FakeMember } from '../support/fake-bot-connector';
import { cardInvoke, cardRefresh, channelMention, installInTeam } from './support/teams-activities';

/**
 * Reviewer groups and forged buttons on Teams, through the bot's /api/messages against the fake Bot
 * Connector: a Teams tag on a card (`<at>Ethics Board</at>`) expands to the people.yaml group of that name
 * (the Bot Connector cannot list tag members), a tag nothing can expand is named in one line, and
 * tampered Action.Execute values are answered with the refusal, audited, with nothing counted.
 */
const member = (key: string, name: string): FakeMember => ({
  id: `29:1${key}-aad`,
  name,
  aadObjectId: `00000000-0000-4000-8000-${key.padEnd(12, '0')}`,
  email: `${key}@example.org`,
  userPrincipalName: `${key}@example.org`,
  tenantId: '72f988bf-0000-4000-8000-000000000001',
});
const [ana, sam, priya, li, lee] = [
  member('ana', 'Ana Lima'),
  member('sam', 'Sam Okafor'),
  member('priya', 'Priya Nair'),
  member('li', 'Li Wei'),
  member('lee', 'Lee Martin'),
];

type Json = Record<string, unknown>;

let connector: FakeBotConnector;
let harness: AppHarness;

beforeEach(async () => {
  connector = await new FakeBotConnector([ana, sam, priya, li, lee]).start();
  harness = await startAppHarness({ env: { TEAMS_LOCAL: 'true', ADMINS: 'lee' } });
});

afterEach(async () => {
  await harness.stop();
  await connector.stop();
});

function retinaWithReviewers(cell: string): void {
  const file = join(harness.cardsDir, 'retina-lesion-detector.md');
  writeFileSync(
    file,
    readFileSync(file, 'utf8')
      .replace(/^\| Reviewer\(s\) .*$/m, `| Reviewer(s) | ${cell} |`)
      .replace('(*link to repo and docs*)', 'https://git.example.org/ml/retina-lesions')
      .replace(
        '### Testing status\n',
        '### Testing status\n\nUnit tests for preprocessing; held-out evaluation.\n',
      ),
  );
}

async function send(activity: unknown): Promise<Json> {
  const response = await fetch(`${harness.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  expect(response.status).toBe(200);
  const text = await response.text();
  return text ? (JSON.parse(text) as Json) : {};
}

/** Starts the review; returns the vote card's message id and text. */
async function startVote(): Promise<{ voteId: string; text: string }> {
  await send(installInTeam(connector.url, sam));
  await send(channelMention(connector.url, sam, 'review R07.2'));
  const isVote = (body: unknown) => JSON.stringify(body).includes('"verb":"refresh"');
  await connector.waitFor((calls) => calls.some((call) => call.kind === 'post' && isVote(call.body)), 15000);
  const post = connector.of('post').find((call) => isVote(call.body))!;
  return { voteId: post.responseId!, text: JSON.stringify(post.body) };
}

/** The approve button's value as a reviewer's refreshed card shows it. */
async function approveValue(voteId: string, who: FakeMember): Promise<string> {
  const refreshed = await send(cardRefresh(connector.url, who, voteId));
  return /"actionId":"vote-approve","value":"([^"]*)"/.exec(JSON.stringify(refreshed.value))![1];
}

async function click(
  voteId: string,
  who: FakeMember,
  value: string,
  conversationId?: string,
): Promise<string> {
  const activity = cardInvoke(connector.url, who, voteId, 'vote-approve', {
    mltrl: 'action',
    actionId: 'vote-approve',
    value,
  });
  if (conversationId) (activity.conversation as Json).id = conversationId;
  return JSON.stringify(await send(activity));
}

test('a Teams tag expands to the people.yaml group of its name; its members vote', async () => {
  retinaWithReviewers('<at>Ethics Board</at>, Li Wei <li@example.org>');
  const { voteId } = await startVote();
  // people.yaml: ethics-board: [priya, lee]. Lee is on no card, yet votes as a member.
  const value = await approveValue(voteId, lee);
  expect(await click(voteId, lee, value)).toContain('application/vnd.microsoft.card.adaptive');
  await send(channelMention(connector.url, ana, 'history R07.2'));
  await connector.waitFor(
    (calls) => calls.some((call) => /expanded \(directory\): priya, lee/.test(JSON.stringify(call.body))),
    15000,
  );
});

test('a tag nothing can expand: one line in the vote card; the others still vote', async () => {
  retinaWithReviewers('<at>ML Board</at>, Li Wei <li@example.org>');
  const { voteId, text } = await startVote();
  expect(text).toContain(
    'ML Board: I cannot read its members on this platform, so they cannot vote. To fix: add a group ml-board with its members to people.yaml.',
  );
  expect(await click(voteId, li, await approveValue(voteId, li))).toContain(
    'application/vnd.microsoft.card.adaptive',
  );
});

test('forged Action.Execute values are refused with the reason, audited, and count nothing', async () => {
  retinaWithReviewers('Priya Nair <priya@example.org>, Li Wei <li@example.org>');
  const { voteId } = await startVote();
  const value = await approveValue(voteId, priya);
  const [, reviewId, , , revision] = value.split('|');

  // The vote's value sent from the reviewer's 1:1 chat with the bot: a button of another conversation.
  expect(await click('not-a-vote-message', priya, value, `a:1personal-${priya.aadObjectId}`)).toContain(
    'That button belongs to the vote on R07.2 in another conversation; nothing was changed.',
  );
  expect(await click(voteId, priya, `v2|${reviewId}|approve||0123456789ab`)).toContain(
    'That button shows an older card of R07.2',
  );
  expect(await click(voteId, priya, `v2|${reviewId}|veto||${revision}`)).toContain(
    'That button is no longer valid. Run @mltrl status R07.2 for the current state.',
  );

  // Nothing was counted: Priya's real click is her first vote.
  await click(voteId, priya, value);
  await send(channelMention(connector.url, ana, 'history R07.2'));
  const isHistory = (call: { body: unknown }) => /unreadable-button/.test(JSON.stringify(call.body));
  await connector.waitFor((calls) => calls.some(isHistory), 15000);
  const text = JSON.stringify(connector.of('post').filter(isHistory));
  for (const reason of ['button-elsewhere', 'button-revision', 'unreadable-button'])
    expect(text).toContain(reason);
  expect(text).toContain('voted: approve');
  expect(text).not.toContain('changed their vote');
});

test('a reviewer outside the gate’s voter roles is refused with the reason', async () => {
  retinaWithReviewers('Priya Nair <priya@example.org> |\n| Product reviewer | Li Wei <li@example.org>');
  const file = join(harness.cardsDir, 'retina-lesion-detector.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace('| Reviewer(s) |', '| R&D reviewer |'));
  const { voteId } = await startVote();
  const value = await approveValue(voteId, priya);
  expect(await click(voteId, li, value)).toContain(
    'At the 3 -> 4 gate of R07.2 only R&D reviewers vote; your vote was not counted.',
  );
});
