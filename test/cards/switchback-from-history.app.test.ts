import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { waitFor } from '../jobs/support/recording-chat-port';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { createGitRemote, git, type GitRemote } from '../support/git-remote';

/**
 * Completed levels from a card's git history, in the whole app: two projects first seen at level 9 get
 * the monitoring gate's switchback targets 7 and 4. The one whose commits stated levels 4 and 7 is told
 * so, with the commit the history was read at; the one whose history only ever said 9 falls back to
 * "levels below 9 per the card". The wording names the evidence, so the two cannot be confused.
 */
const gate = readFileSync(resolve(__dirname, '..', '..', 'cards', 'retina-image-quality-gate.md'), 'utf8');
const at = (text: string, level: number) =>
  text.replace(/\| Current Level(\s+)\| 9 /, `| Current Level$1| ${level} `);
/** The same card under another project ID, added at level 9 in one commit. */
const twin = gate.replace('Retina image quality gate (R03.1)', 'Retina image quality twin (R03.9)');

type Action = { actionId: string; options?: Array<{ value: string }> };
type Row = { message: { kind: string; text: string; blocks: Array<{ actions?: Action[] }> } };

let remote: GitRemote;
let harness: AppHarness;

beforeAll(async () => {
  remote = createGitRemote({ 'cards/quality.md': at(gate, 4) });
  remote.commit({ 'cards/quality.md': at(gate, 7) }, 'quality gate at level 7');
  remote.commit({ 'cards/quality.md': gate }, 'quality gate deployed (level 9)');
  remote.commit({ 'cards/twin.md': twin }, 'the twin, first recorded at level 9');
  harness = await startAppHarness({
    env: { CARDS_GIT_URL: remote.url, CARDS_GIT_PATH: 'cards', CARDS_GIT_POLL_SECONDS: '0' },
  });
}, 60_000);
afterAll(async () => {
  await harness.stop();
  remote.cleanup();
});

async function api(path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${harness.baseUrl}/playground/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

async function voteOf(id: string): Promise<Row> {
  await api('/conversations/playground:ml-reviews/commands', { as: 'ana', text: `/mltrl review ${id}` });
  return waitFor(
    async () =>
      ((await api('/conversations/playground:ml-reviews/messages?as=lee')).messages as Row[]).find(
        (row) => row.message.kind === 'vote' && row.message.text.startsWith(`Gate vote: ${id} `),
      ),
    20_000,
    `the vote of ${id}`,
  );
}

/** The switchback levels the vote message's select offers (the level is the value's 4th field). */
function offered(vote: Row): number[] {
  const select = vote.message.blocks
    .flatMap((block) => block.actions ?? [])
    .find((action) => action.actionId === 'vote-switchback');
  return (select?.options ?? []).map((option) => Number(option.value.split('|')[3]));
}

test('history evidence: levels 4 and 7 stated in earlier commits, named with the commit read', async () => {
  const vote = await voteOf('R03.1');
  expect(offered(vote)).toEqual([7, 4]);
  // The card's revision: the last commit that touched its file (the deploy to 9, not the twin's commit).
  const revision = git(remote.bare, ['log', '-1', '--format=%H', 'main', '--', 'cards/quality.md']).slice(0, 7);
  expect(vote.message.text).toContain(
    `Switchback to 7, 4 is offered per the card's history at ${revision}: its earlier commits state level 4, 7.`,
  );
  expect(vote.message.text).not.toContain('per the card: the bot first saw');
});

test('no history evidence: the same targets, offered per the card (first seen at level 9)', async () => {
  const vote = await voteOf('R03.9');
  expect(offered(vote)).toEqual([7, 4]);
  expect(vote.message.text).toContain(
    'Switchback is offered to levels below 9 per the card: the bot first saw this project at level 9.',
  );
  expect(vote.message.text).not.toContain("per the card's history");
});
