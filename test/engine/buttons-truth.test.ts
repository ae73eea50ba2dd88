import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeliveryRequest } from '../../src/core/engine-api';
import {
  CHANNEL,
  click,
  command,
  completeRetina,
  directory,
  makeHarness,
  person,
  type Harness,
} from './harness';

/** Buttons say only what is true: closed reviews, ended reminders, "Not my project", reasons in history. */
const textOf = (reply: { ephemeral: Array<{ text: string }> }) =>
  reply.ephemeral.map((m) => m.text).join('\n');

function buttonOf(request: DeliveryRequest, actionId: string): string {
  if (request.op === 'update' || request.op === 'ephemeral') throw new Error('not a post');
  const actions = request.message.blocks.flatMap((block) => (block.type === 'actions' ? block.actions : []));
  const action = actions.find((a) => a.actionId === actionId);
  if (!action || action.type !== 'button') throw new Error(`no ${actionId} button`);
  return action.value;
}

const press = (h: Harness, who: string, actionId: string, value: string) =>
  h.engine.handle({ type: 'action', actor: person(who), conversationId: 'dm', actionId, value });

async function remindedOnce(h: Harness) {
  await command(h, 'sam', 'review R07.2');
  h.clock.set('2026-11-24T10:00:00Z');
  await h.scheduler.runDue(h.engine, h.clock.now());
  return h.delivery.find('-nudge-owners-r1-sam')[0];
}

describe('buttons of closed or finished reviews', () => {
  it("a closed review's buttons only say it closed, and when; nothing is paused or counted", async () => {
    const h = makeHarness();
    const nudge = await remindedOnce(h);
    h.cards.edit('retina-lesion-detector.md', completeRetina);
    await command(h, 'sam', 'review R07.2');
    await click(h, 'priya', 'vote-approve');
    await click(h, 'li', 'vote-approve');
    expect((await h.stores.reviews.listOpen()).length).toBe(0);

    const snooze = await press(h, 'sam', 'snooze', buttonOf(nudge, 'snooze'));
    expect(textOf(snooze)).toMatch(
      /^This 3 -> 4 review of R07.2 closed on Tue 24 Nov, \d\d:\d\d your time \(advanced\)/,
    );
    expect(await h.stores.snoozes.get('R07.2', h.clock.now())).toBeUndefined();
    expect(textOf(await click(h, 'li', 'vote-abstain'))).toContain('closed on Tue 24 Nov');
    expect(textOf(await press(h, 'sam', 'not-my-project', buttonOf(nudge, 'not-my-project')))).toContain(
      'closed on',
    );
  });

  it("a click on a vote's stale buttons tells the delivery worker where that message is", async () => {
    const h = makeHarness();
    h.cards.edit('retina-lesion-detector.md', completeRetina);
    await command(h, 'sam', 'review R07.2');
    const vote = h.delivery
      .find('-vote')
      .find((request) => request.op === 'post' && request.message.kind === 'vote')!;
    const onMessage = (who: string, actionId: string) =>
      h.engine.handle({
        type: 'action',
        actor: person(who),
        conversationId: CHANNEL,
        messageId: '1700000000.000100',
        actionId,
        value: buttonOf(vote, actionId),
      });
    await onMessage('priya', 'vote-approve');
    // Each tally update says where the clicked message is, in case the vote's own post was lost.
    const tally = h.delivery.find('-vote-u').at(-1)!;
    expect(tally).toMatchObject({
      op: 'update',
      seenAs: { conversationId: CHANNEL, messageId: '1700000000.000100' },
    });
    expect(tally).not.toHaveProperty('onlyIfLost');
    await onMessage('li', 'vote-approve');
    expect((await h.stores.reviews.listOpen()).length).toBe(0);
    const before = h.delivery.requests.length;
    expect(textOf(await onMessage('li', 'vote-abstain'))).toContain('closed on');
    const [fix] = h.delivery.requests.slice(before);
    expect(fix).toMatchObject({
      op: 'update',
      of: expect.stringMatching(/-vote$/),
      seenAs: { conversationId: CHANNEL, messageId: '1700000000.000100' },
      onlyIfLost: true,
    });
    expect(fix.op === 'update' && fix.message.text).toMatch(
      /^This 3 -> 4 review of R07.2 closed on .+ \(advanced\)\. \/mltrl status R07\.2 shows where it stands\.$/,
    );
    expect(fix.op === 'update' && fix.message.blocks.some((block) => block.type === 'actions')).toBe(false);
    // Without the message (a click from elsewhere), nothing to fix.
    const after = h.delivery.requests.length;
    await click(h, 'li', 'vote-abstain');
    expect(h.delivery.requests.length).toBe(after);
  });

  it('after the escalation, snoozing is refused with the reason', async () => {
    const h = makeHarness();
    const nudge = await remindedOnce(h);
    for (const day of ['2026-11-26', '2026-12-02', '2026-12-03']) {
      h.clock.set(`${day}T10:00:00Z`);
      await h.scheduler.runDue(h.engine, h.clock.now());
    }
    expect(h.delivery.find('-escalate-')).toHaveLength(1);
    const refused = await press(h, 'sam', 'snooze', buttonOf(nudge, 'snooze'));
    expect(textOf(refused)).toContain('the review lead has been told, so there is nothing to snooze');
    expect(textOf(await command(h, 'ana', 'snooze R07.2 3d'))).toContain('nothing to snooze');
    expect(await h.stores.snoozes.get('R07.2', h.clock.now())).toBeUndefined();
  });
});

describe('"Not my project" and history', () => {
  it('tells the review lead, says so truthfully to the clicker, and is in history', async () => {
    const people = {
      people: directory.people.map((p) => (p.id === 'lee' ? { ...p, roles: ['admin', 'lead'] } : p)),
    };
    const h = makeHarness({ people });
    const nudge = await remindedOnce(h);
    const reply = await press(h, 'sam', 'not-my-project', buttonOf(nudge, 'not-my-project'));
    expect(textOf(reply)).toBe('Thanks: I told the review lead (<@lee>) that you are not an owner of R07.2.');
    const told = h.delivery.find('-notmine-');
    expect(told.map((dm) => dm.op === 'dm' && dm.userId)).toEqual(['lee']);
    expect(told[0].message.text).toContain('says they are not an owner of R07.2');
    expect(textOf(await command(h, 'ana', 'history R07.2'))).toContain(
      'sam said they are not an owner; the review lead was told',
    );
  });

  it('history shows the reason of every request-changes and switchback vote', async () => {
    const h = makeHarness();
    h.cards.edit('retina-lesion-detector.md', completeRetina);
    await command(h, 'sam', 'review R07.2');
    await click(h, 'priya', 'vote-request-changes', { reason: 'No integration tests yet.' });
    const history = textOf(await command(h, 'ana', 'history R07.2'));
    expect(history).toMatch(/voted: request-changes \(revision \w+\): "No integration tests yet\."/);
  });
});

describe('waivers are visible and can be withdrawn', () => {
  it('the vote, its thread and status list each waiver; `waive ... off` withdraws it, audited', async () => {
    const h = makeHarness();
    h.cards.edit('retina-lesion-detector.md', (text) =>
      completeRetina(text).replace('https://git.example.org/ml/retina', '(*link to repo and docs*)'),
    );
    await command(h, 'sam', 'review R07.2');
    await command(h, 'priya', 'waive R07.2 code-repo 14 repo moves next week');
    const review = await h.stores.reviews.openForProject('R07.2');
    expect(review?.phase).toBe('voting');
    const line = /Code repo & docs: waived until \w{3} 7 Dec, 10:30 \S+ by priya \(repo moves next week\)/;
    expect(h.delivery.find('-vote')[0].message.text).toMatch(line);
    expect(h.delivery.find('-vote-summary')[0].message.text).toMatch(line);
    expect(textOf(await command(h, 'li', 'status R07.2'))).toMatch(/Code repo & docs: waived until/);

    expect(textOf(await command(h, 'ana', 'waive R07.2 code-repo off'))).toContain('Only reviewers');
    expect(textOf(await command(h, 'priya', 'waive R07.2 code-repo off'))).toBe(
      'The waiver of Code repo & docs for the 3 -> 4 gate of R07.2 is withdrawn: the gate needs it again.',
    );
    expect(textOf(await command(h, 'priya', 'waive R07.2 code-repo off'))).toContain('no waiver');
    expect(textOf(await command(h, 'li', 'status R07.2'))).not.toContain('waived until');
    expect(textOf(await command(h, 'ana', 'history R07.2'))).toContain(
      'priya withdrew the waiver of code-repo',
    );
  });
});

describe('switchback per the card', () => {
  it('a project first seen at level 9 gets the monitoring switchbacks to 7 and 4, and the vote says why', async () => {
    const h = makeHarness();
    const text = readFileSync(join(__dirname, '..', '..', 'cards', 'retina-image-quality-gate.md'), 'utf8');
    h.cards.set('retina-image-quality-gate.md', text);
    const id = /\((R\d+\.\d+)\)/.exec(text)![1];
    await command(h, 'lee', `review ${id}`);
    const vote = h.delivery.find('-vote').find((r) => r.op === 'post' && r.message.kind === 'vote');
    expect(vote).toBeDefined();
    const select = vote!.message.blocks
      .flatMap((b) => (b.type === 'actions' ? b.actions : []))
      .find((a) => a.type === 'select');
    expect(select?.type === 'select' && select.options.map((o) => o.value.split('|')[3])).toEqual(['7', '4']);
    expect(vote!.message.text).toContain('Switchback is offered to levels below 9 per the card');
  });
});
