import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppHarness, type AppHarness } from '../support/app-harness';

/**
 * Identity through the playground API on the whole app: a display name never authorizes a vote, and the
 * digest's "waiting on" names whom the reminders chase (a reviewer written as an e-mail drops out once
 * they voted).
 */
type Json = {
  id: string;
  message: { kind: string; text: string; blocks: Array<{ type: string; actions?: Json2[] }> };
};
type Json2 = { actionId: string; value: string };

let harness: AppHarness;

afterEach(async () => {
  await harness?.stop();
});

async function api<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${harness.baseUrl}/playground/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function say(as: string, text: string): Promise<string> {
  const reply = await api<{ ephemeral: Json[] }>('/conversations/playground:ml-reviews/commands', {
    as,
    text: `/mltrl ${text}`,
  });
  return reply.ephemeral.map((entry) => entry.message.text).join('\n');
}

async function voteMessage(): Promise<Json> {
  for (let i = 0; i < 200; i++) {
    const { messages } = await api<{ messages: Json[] }>(
      '/conversations/playground:ml-reviews/messages?as=lee',
    );
    const vote = messages.find((entry) => entry.message.kind === 'vote');
    if (vote) return vote;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no vote message');
}

async function click(as: string, vote: Json, actionId: string): Promise<string> {
  const action = vote.message.blocks
    .flatMap((block) => block.actions ?? [])
    .find((candidate) => candidate.actionId === actionId)!;
  const reply = await api<{ ephemeral: Json[] }>(`/messages/${vote.id}/actions`, {
    as,
    actionId,
    value: action.value,
  });
  return reply.ephemeral.map((entry) => entry.message.text).join('\n');
}

function setReviewers(cell: string): void {
  const file = join(harness.cardsDir, 'retina-lesion-detector.md');
  writeFileSync(
    file,
    readFileSync(file, 'utf8')
      .replace(/\| Reviewer\(s\)\s+\|[^|]*\|/, `| Reviewer(s) | ${cell} |`)
      .replace('(*link to repo and docs*)', 'https://git.example.org/ml/retina')
      .replace('### Testing status\n', '### Testing status\n\nUnit tests and a held-out evaluation.\n'),
  );
}

test('a name two directory people share names nobody: neither can vote, and the message says how to fix it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mltrl-people-'));
  const people = join(dir, 'people.yaml');
  // The example directory plus a second "Li Wei" (added to the parsed list: the file has sections after it).
  const directory = parseYaml(readFileSync(join(__dirname, '..', '..', 'people.yaml'), 'utf8')) as {
    people: object[];
  };
  directory.people.push({ id: 'li2', name: 'Li Wei', email: 'li.wei@example.org', handles: [], roles: [] });
  writeFileSync(people, stringifyYaml(directory));
  harness = await startAppHarness({ peopleFrom: people });
  setReviewers('Priya Nair <priya@example.org>, Li Wei');
  expect(await say('sam', 'review R07.2')).toContain('Started');
  const vote = await voteMessage();
  expect(vote.message.text).toContain('Not found on this platform, so they cannot vote: Li Wei');
  expect(vote.message.text).toContain('add them to people.yaml');
  expect(await click('li', vote, 'vote-approve')).toContain('Only the reviewers named');
  expect(await click('li2', vote, 'vote-approve')).toContain('Only the reviewers named');
  expect(await click('priya', vote, 'vote-approve')).toContain('recorded');
});

test('the digest stops listing a reviewer written as an e-mail once they voted', async () => {
  harness = await startAppHarness();
  setReviewers('priya@example.org, li@example.org');
  await say('sam', 'review R07.2');
  const vote = await voteMessage();
  const waiting = async () => {
    const reply = await api<{ ephemeral: Json[] }>('/conversations/playground:ml-reviews/commands', {
      as: 'lee',
      text: '/mltrl portfolio',
    });
    return /R07\.2[^"]*vote waiting on [^"]*/.exec(JSON.stringify(reply.ephemeral))?.[0] ?? '';
  };
  expect(await waiting()).toMatch(/R07\.2.*vote waiting on <@priya>, <@li>/);
  expect(await click('priya', vote, 'vote-abstain')).toContain('recorded');
  expect(await waiting()).toMatch(/R07\.2.*vote waiting on <@li> for/);
});
