import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { startFakeSlackApi, type FakeSlackApi, type RecordedCall } from '../support/fake-slack-api';
import { blockActionBody, FORM, sign, slashCommandBody } from '../support/slack-requests';

/**
 * Reviewer groups and forged buttons on Slack, through signed requests and the fake Web API: a Slack user
 * group on a card is expanded with usergroups.users.list when the vote opens (once: the stored
 * membership judges later votes), a group Slack will not list is named in one line, and tampered button
 * values are refused privately, audited, with nothing counted.
 */
const SECRET = 'groups-signing-secret';
const PEOPLE = ['ana', 'sam', 'priya', 'li', 'lee', 'max'];
const slackId = (name: string) => `U${name.toUpperCase()}`;

let fake: FakeSlackApi;
let harness: AppHarness;

beforeEach(async () => {
  fake = await startFakeSlackApi();
  for (const name of PEOPLE) {
    fake.addUser({
      id: slackId(name),
      name,
      realName: name,
      email: `${name}@example.org`,
      tz: 'Europe/Berlin',
    });
  }
  harness = await startAppHarness({
    env: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-groups', SLACK_API_URL: fake.apiUrl },
  });
});

afterEach(async () => {
  await harness.stop();
  await fake.close();
});

/** The retina card, complete for its 3 -> 4 gate, with this reviewer cell. */
function retinaWithReviewers(cell: string): void {
  const file = join(harness.cardsDir, 'retina-lesion-detector.md');
  const text = readFileSync(file, 'utf8')
    .replace(/^\| Reviewer\(s\) .*$/m, `| Reviewer(s) | ${cell} |`)
    .replace('(*link to repo and docs*)', 'https://git.example.org/ml/retina')
    .replace(
      '### Testing status\n',
      '### Testing status\n\nUnit tests and a held-out evaluation run nightly.\n',
    );
  writeFileSync(file, text);
}

async function post(body: string): Promise<void> {
  const signed = sign(SECRET, body, FORM);
  const response = await fetch(`${harness.baseUrl}/slack/events`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  expect(response.status).toBe(200);
}

async function command(name: string, text: string): Promise<string> {
  const responseUrl = fake.responseUrl(`${name}-${Date.now()}-${Math.random()}`);
  const path = new URL(responseUrl).pathname;
  await post(slashCommandBody({ text, userId: slackId(name), responseUrl }));
  const calls = await fake.waitFor((all) => all.some((call) => call.args.responseUrl === path));
  return String(calls.find((call) => call.args.responseUrl === path)!.args.text);
}

interface Vote {
  ts: string;
  channel: string;
  text: string;
  approve: string;
}

function voteOf(calls: RecordedCall[]): Vote | undefined {
  for (const call of calls) {
    if (call.method !== 'chat.postMessage' || call.failed) continue;
    const blocks = (call.args.blocks ?? []) as Array<{
      elements?: Array<{ action_id: string; value?: string }>;
    }>;
    const approve = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'mltrl:vote-approve');
    if (approve?.value)
      return {
        ts: String(call.result!.ts),
        channel: String(call.args.channel),
        text: String(call.args.text),
        approve: approve.value,
      };
  }
  return undefined;
}

async function startVote(): Promise<Vote> {
  await command('sam', 'review R07.2');
  return voteOf(await fake.waitFor((all) => voteOf(all) !== undefined))!;
}

/** A signed click; resolves with the private answer. */
async function click(name: string, vote: Vote, value: string, channelId = vote.channel): Promise<string> {
  const responseUrl = fake.responseUrl(`click-${name}-${Date.now()}-${Math.random()}`);
  const path = new URL(responseUrl).pathname;
  await post(
    blockActionBody({
      userId: slackId(name),
      actionId: 'mltrl:vote-approve',
      value,
      messageTs: vote.ts,
      channelId,
      responseUrl,
    }),
  );
  const calls = await fake.waitFor((all) => all.some((call) => call.args.responseUrl === path));
  return String(calls.find((call) => call.args.responseUrl === path)!.args.text);
}

test('a Slack user group is expanded through usergroups.users.list when the vote opens, once', async () => {
  fake.addUserGroup('S0BOARD', [slackId('li'), slackId('max')]);
  retinaWithReviewers('<!subteam^S0BOARD|@ml-board>, Priya Nair <priya@example.org>');
  const vote = await startVote();
  // The card edit above may also wake the card watcher, which races `review` to open the vote: both may
  // ask Slack (a read), but only the opener whose save wins stores and audits the membership.
  const listed = fake.calls('usergroups.users.list').map((call) => call.args.usergroup);
  expect(new Set(listed)).toEqual(new Set(['S0BOARD']));
  expect(vote.text).toContain('Reviewers: <@UPRIYA> pending, <@ULI> pending, <@UMAX> pending');
  expect(vote.text).not.toContain('Not found on this platform');

  // Max leaves the group on Slack: this vote keeps the membership it opened with.
  fake.addUserGroup('S0BOARD', [slackId('li')]);
  expect(await click('max', vote, vote.approve)).toContain('Your vote on R07.2 is recorded: approved');
  expect(fake.calls('usergroups.users.list')).toHaveLength(listed.length);
  const history = await command('ana', 'history R07.2');
  expect(history.split('group @ml-board expanded (slack): ULI, UMAX')).toHaveLength(2); // recorded once
});

test('a user group Slack will not list: one line in the vote message, audited; the others vote', async () => {
  fake.fail('usergroups.users.list', { error: 'missing_scope' });
  retinaWithReviewers('<!subteam^S0BOARD|@ml-board>, Priya Nair <priya@example.org>');
  const vote = await startVote();
  expect(vote.text).toContain(
    '@ml-board: the platform did not give me its members (missing_scope), so they cannot vote. To fix: let the bot read user groups (usergroups:read), or add a group ml-board to people.yaml.',
  );
  expect(vote.text).toContain('Reviewers: <@UPRIYA> pending');
  expect(await command('ana', 'history R07.2')).toContain(
    'group @ml-board could not be expanded (lookup-failed)',
  );
  expect(await click('priya', vote, vote.approve)).toContain('Your vote on R07.2 is recorded: approved');
});

test('forged button values are refused in one line, audited, and count nothing', async () => {
  retinaWithReviewers('Priya Nair <priya@example.org>, Li Wei <li@example.org>');
  const vote = await startVote();
  const [tag, reviewId, , level, revision] = vote.approve.split('|');
  expect([tag, level, revision.length]).toEqual(['v2', '', 12]);

  // The vote's value clicked in another channel: a button of another conversation's review.
  expect(await click('priya', vote, vote.approve, 'C0OTHER')).toBe(
    'That button belongs to the vote on R07.2 in another conversation; nothing was changed.',
  );
  expect(await click('priya', vote, `v2|${reviewId}|approve||0123456789ab`)).toMatch(
    /^That button shows an older card of R07\.2; the vote now binds to revision \w{12}\. Vote again/,
  );
  expect(await click('priya', vote, `v2|${reviewId}|veto||${revision}`)).toBe(
    'That button is no longer valid. Run /mltrl status R07.2 for the current state.',
  );
  expect(await click('priya', vote, `v2|${reviewId}|switchback|9|${revision}`)).toBe(
    'R07.2 never completed level 9, so it cannot switch back there (MLTRL).',
  );

  expect(fake.calls('chat.update').filter((call) => !call.failed)).toHaveLength(0);
  const status = await command('ana', 'status R07.2');
  expect(status).toContain('<@UPRIYA> pending');
  const history = await command('ana', 'history R07.2');
  for (const reason of [
    'button-elsewhere',
    'button-revision',
    'unreadable-button',
    'switchback-not-completed',
  ]) {
    expect(history).toContain(`(${reason})`);
  }
});

test('a reviewer outside the gate’s voter roles is refused with the reason', async () => {
  retinaWithReviewers('Priya Nair <priya@example.org> |\n| Product reviewer | Li Wei <li@example.org>');
  const file = join(harness.cardsDir, 'retina-lesion-detector.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace('| Reviewer(s) |', '| R&D reviewer |'));
  const vote = await startVote();
  expect(vote.text).toContain('At this gate R&amp;D reviewers vote; not voting here: <@ULI>.');
  // Slack's text escapes "&" and ">": Slack shows them as written.
  expect(await click('li', vote, vote.approve)).toBe(
    'At the 3 -&gt; 4 gate of R07.2 only R&amp;D reviewers vote; your vote was not counted.',
  );
  expect(await command('ana', 'history R07.2')).toContain('(not-voter-role)');
});
