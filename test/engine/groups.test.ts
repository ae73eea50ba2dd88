import type { PeopleDirectory } from '../../src/core/people';
import { encodeAction } from '../../src/core/render';
import { cardText } from '../gaps/complete-card';
import { CHANNEL, makeHarness, person, type Harness } from './harness';

/**
 * Reviewer groups and per-gate voters, through the engine with the default flow (flows/mltrl.yaml):
 * who may vote at a gate, groups expanded once when the vote opens, required group approvals, and
 * forged button values. Every refusal is one line, changes nothing and is audited.
 */

const person_ = (id: string, name: string, roles: string[] = []) => ({
  id,
  name,
  email: `${id}@example.org`,
  handles: [id],
  tz: 'Europe/Berlin',
  roles,
});

function people(): PeopleDirectory {
  return {
    people: [
      person_('ana', 'Ana Lima'),
      person_('sam', 'Sam Okoro'),
      person_('priya', 'Priya Nair'),
      person_('li', 'Li Wei'),
      person_('yarin', 'Yarin Gal', ['product']),
      person_('eve', 'Eve Adler'),
      person_('lee', 'Lee Park', ['admin']),
      person_('max', 'Max Weber'),
    ],
    groups: { 'ethics-board': ['eve', 'lee'] },
  };
}

const text = (reply: { ephemeral: Array<{ text: string }> }) => reply.ephemeral.map((m) => m.text).join('\n');

/** The probe card at `level`, complete for its gate, with these reviewer rows instead of one. */
function probe(level: number, rows: string[]): string {
  return cardText(level).replace(/^\| Reviewer\(s\) \|.*$/m, rows.join('\n'));
}

async function openVote(h: Harness, cardText: string, conversationId = CHANNEL) {
  h.cards.set('probe.md', cardText);
  const started = await h.engine.handle({
    type: 'command',
    actor: person('sam'),
    conversationId,
    text: 'review P1',
  });
  const review = await h.stores.reviews.openForProject('P1');
  expect(review?.phase).toBe('voting');
  return { started, review: review! };
}

/** The latest version of the vote message (the post, or its newest update). */
function voteText(h: Harness, reviewId: string): string {
  const versions = h.delivery.requests.filter(
    (request) =>
      (request.op === 'post' && request.key === `review-${reviewId}-vote`) ||
      (request.op === 'update' && request.of === `review-${reviewId}-vote`),
  );
  return versions[versions.length - 1].message.text;
}

function vote(
  h: Harness,
  who: string,
  value: Parameters<typeof encodeAction>[0] | string,
  options: { conversationId?: string; reason?: string } = {},
) {
  return h.engine.handle({
    type: 'action',
    actor: person(who),
    conversationId: options.conversationId ?? CHANNEL,
    actionId: 'vote-approve',
    value: typeof value === 'string' ? value : encodeAction(value),
    reason: options.reason,
  });
}

async function refusals(h: Harness) {
  return (await h.stores.audit.listByProject('P1')).filter((event) => event.type === 'refused');
}

describe('per-gate voter roles (flows/mltrl.yaml)', () => {
  it('below level 5 R&D reviewers vote; a product reviewer is refused with the reason', async () => {
    const h = makeHarness({ people: people() });
    const { review } = await openVote(
      h,
      probe(3, ['| R&D reviewer | Priya Nair <priya@example.org> |', '| Product reviewer | @yarin |']),
    );
    const message = voteText(h, review.id);
    expect(message).toContain('Reviewers: <@priya> pending');
    expect(message).toContain('At this gate R&D reviewers vote; not voting here: <@yarin>.');

    const refused = await vote(h, 'yarin', {
      kind: 'vote',
      reviewId: review.id,
      choice: 'approve',
      revision: review.voteRevision,
    });
    expect(text(refused)).toBe(
      'At the 3 -> 4 gate of P1 only R&D reviewers vote; your vote was not counted.',
    );
    expect(await h.stores.votes.votes(review.id)).toEqual([]);
    expect((await refusals(h)).map((event) => event.data?.reason)).toEqual(['not-voter-role']);

    const counted = await vote(h, 'priya', {
      kind: 'vote',
      reviewId: review.id,
      choice: 'approve',
      revision: review.voteRevision,
    });
    expect(counted.updated?.text).toContain('Voting closed: advanced');
    expect(await h.stores.levels.get('P1')).toBe(4);
  });

  it('from the 5 -> 6 gate on product reviewers vote (a directory role counts too); R&D reviewers are refused', async () => {
    const h = makeHarness({ people: people() });
    const { review } = await openVote(
      h,
      probe(5, ['| R&D reviewer | Priya Nair <priya@example.org>, @yarin |', '| Product reviewer | @li |']),
    );
    const message = voteText(h, review.id);
    // Yarin sits in the R&D row but carries the people.yaml role `product`.
    expect(message).toContain('Reviewers: <@yarin> pending, <@li> pending');
    expect(message).toContain('quorum 2 of 2');
    expect(message).toContain('At this gate product reviewers vote; not voting here: <@priya>.');
    const value = { kind: 'vote' as const, reviewId: review.id, choice: 'approve' as const };
    expect(text(await vote(h, 'priya', { ...value, revision: review.voteRevision }))).toBe(
      'At the 5 -> 6 gate of P1 only product reviewers vote; your vote was not counted.',
    );
    expect(text(await vote(h, 'li', { ...value, revision: review.voteRevision }))).toContain(
      'Your vote on P1 is recorded',
    );
    expect((await h.stores.votes.votes(review.id)).map((v) => v.voter.key)).toEqual(['li']);
  });
});

describe('reviewer groups', () => {
  it('a people.yaml group is expanded when the vote opens; later votes use that membership', async () => {
    const directory = people();
    const h = makeHarness({ people: directory });
    const { review } = await openVote(h, probe(3, ['| Reviewer(s) | @ethics-board, Priya Nair |']));
    expect(review.groups?.['directory:ethics-board']).toMatchObject({
      source: 'directory',
      people: ['eve', 'lee'],
      users: [],
    });
    expect(voteText(h, review.id)).toContain('Reviewers: <@priya> pending, <@eve> pending, <@lee> pending');
    const expanded = (await h.stores.audit.listByProject('P1')).find((e) => e.type === 'group-expanded');
    expect(expanded?.data).toMatchObject({ group: 'ethics-board', source: 'directory', members: 'eve, lee' });
    expect(
      text(
        await h.engine.handle({
          type: 'command',
          actor: person('ana'),
          conversationId: CHANNEL,
          text: 'history P1',
        }),
      ),
    ).toContain('group ethics-board expanded (directory): eve, lee');

    // The board changes after the vote opened: this vote keeps the membership it opened with.
    directory.groups!['ethics-board'] = ['max'];
    const value = {
      kind: 'vote' as const,
      reviewId: review.id,
      choice: 'abstain' as const,
      revision: review.voteRevision,
    };
    expect(text(await vote(h, 'max', value))).toContain('Only the reviewers named on the P1 card can vote');
    expect(text(await vote(h, 'eve', value))).toContain('Your vote on P1 is recorded: abstained');
  });

  it('a Slack user group outside Slack falls back to the people.yaml group of the same name', async () => {
    const h = makeHarness({ people: people() });
    const { review } = await openVote(h, probe(3, ['| Reviewer(s) | <!subteam^S0ETHICS|@ethics-board> |']));
    expect(review.groups?.['slack:S0ETHICS']).toMatchObject({ source: 'directory', people: ['eve', 'lee'] });
    expect(voteText(h, review.id)).toContain('Reviewers: <@eve> pending, <@lee> pending');
    // Never read as an e-mail address or an unresolved person.
    expect(voteText(h, review.id)).not.toContain('Not found on this platform');
  });

  it('a group that cannot be expanded: one line in the vote message, audited, the others still vote', async () => {
    const h = makeHarness({ people: people() });
    const { review } = await openVote(h, probe(3, ['| Reviewer(s) | <at>ML Board</at>, Priya Nair |']));
    const message = voteText(h, review.id);
    expect(message).toContain(
      'ML Board: I cannot read its members on this platform, so they cannot vote. To fix: add a group ml-board with its members to people.yaml.',
    );
    expect(message).toContain('Reviewers: <@priya> pending');
    const failed = (await h.stores.audit.listByProject('P1')).find((e) => e.type === 'group-not-expanded');
    expect(failed?.data).toMatchObject({ group: 'ML Board', source: 'teams', problem: 'no-member-list' });
    const reply = await vote(h, 'priya', {
      kind: 'vote',
      reviewId: review.id,
      choice: 'approve',
      revision: review.voteRevision,
    });
    expect(reply.updated?.text).toContain('Voting closed: advanced');
  });
});

describe('required group approval (the ethics board at 8 -> 9)', () => {
  it('the gate waits for an ethics-board approval; its members vote without being on the card', async () => {
    const h = makeHarness({ people: people() });
    const { review } = await openVote(h, probe(8, ['| Reviewer(s) | Priya Nair, Li Wei |']));
    expect(voteText(h, review.id)).toContain('<@eve> pending, <@lee> pending');
    expect(voteText(h, review.id)).toContain('an approval from ethics-board');
    const value = {
      kind: 'vote' as const,
      reviewId: review.id,
      choice: 'approve' as const,
      revision: review.voteRevision,
    };
    await vote(h, 'priya', value);
    await vote(h, 'li', value);
    // Past minOpenHours (24 h at this gate): two approvals, but none from the board, so no decision.
    h.clock.set('2026-11-25T10:00:00Z');
    await h.scheduler.runDue(h.engine, h.clock.now());
    expect((await h.stores.reviews.get(review.id))?.phase).toBe('voting');
    expect(voteText(h, review.id)).toContain('an approval from ethics-board');

    const board = await vote(h, 'eve', value);
    expect(board.updated?.text).toContain('Voting closed: advanced');
    expect(await h.stores.levels.get('P1')).toBe(9);
  });

  it('a required group people.yaml does not define: said in the vote, audited, and the gate cannot pass', async () => {
    const h = makeHarness({
      people: { ...people(), groups: {} },
    });
    const { review } = await openVote(h, probe(8, ['| Reviewer(s) | Priya Nair, Li Wei |']));
    const message = voteText(h, review.id);
    expect(message).toContain(
      'ethics-board: people.yaml has no such group, so nobody from it can vote. To fix: add ethics-board under groups: in people.yaml.',
    );
    const value = {
      kind: 'vote' as const,
      reviewId: review.id,
      choice: 'approve' as const,
      revision: review.voteRevision,
    };
    await vote(h, 'priya', value);
    await vote(h, 'li', value);
    h.clock.set(review.voteDeadline!);
    await h.scheduler.runDue(h.engine, h.clock.now());
    const closed = await h.stores.reviews.get(review.id);
    expect(closed?.outcome).toBe('expired');
    expect(await h.stores.levels.get('P1')).toBe(8);
    const failed = (await h.stores.audit.listByProject('P1')).find((e) => e.type === 'group-not-expanded');
    expect(failed?.data).toMatchObject({ group: 'ethics-board', problem: 'unknown-group' });
  });
});

describe('forged and tampered button values', () => {
  async function twoVotes() {
    const h = makeHarness({ people: people() });
    const { review } = await openVote(h, probe(3, ['| Reviewer(s) | Priya Nair, Li Wei |']));
    return { h, review };
  }

  async function unchanged(h: Harness, reviewId: string) {
    expect(await h.stores.votes.votes(reviewId)).toEqual([]);
    expect((await h.stores.reviews.get(reviewId))?.phase).toBe('voting');
  }

  it("another review's id (a vote of another conversation) is refused", async () => {
    const { h, review } = await twoVotes();
    const reply = await vote(
      h,
      'priya',
      { kind: 'vote', reviewId: review.id, choice: 'approve', revision: review.voteRevision },
      { conversationId: 'playground:ml-leads' },
    );
    expect(text(reply)).toBe(
      'That button belongs to the vote on P1 in another conversation; nothing was changed.',
    );
    await unchanged(h, review.id);
    expect((await refusals(h)).map((event) => event.data?.reason)).toEqual(['button-elsewhere']);
  });

  it('another card revision is refused', async () => {
    const { h, review } = await twoVotes();
    const reply = await vote(h, 'priya', {
      kind: 'vote',
      reviewId: review.id,
      choice: 'approve',
      revision: 'abcdef123456',
    });
    expect(text(reply)).toBe(
      `That button shows an older card of P1; the vote now binds to revision ${review.voteRevision}. Vote again on the updated message; nothing was counted.`,
    );
    await unchanged(h, review.id);
    expect((await refusals(h)).map((event) => event.data?.reason)).toEqual(['button-revision']);
  });

  it('a vote kind the gate does not allow, or no vote kind at all, is refused', async () => {
    const { h, review } = await twoVotes();
    // Level 3 -> 4: the project never completed level 7, and "veto" is no vote kind.
    const switchback = await vote(
      h,
      'priya',
      { kind: 'vote', reviewId: review.id, choice: 'switchback', level: 7, revision: review.voteRevision },
      { reason: 'Back to 7.' },
    );
    expect(text(switchback)).toBe('P1 never completed level 7, so it cannot switch back there (MLTRL).');
    const veto = await vote(h, 'priya', `v2|${review.id}|veto||${review.voteRevision}`);
    expect(text(veto)).toBe('That button is no longer valid. Run /mltrl status P1 for the current state.');
    await unchanged(h, review.id);
    expect((await refusals(h)).map((event) => event.data?.reason)).toEqual([
      'switchback-not-completed',
      'unreadable-button',
    ]);
  });
});
