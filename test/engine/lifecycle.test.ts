import { CHANNEL, click, command, completeRetina, directory, makeHarness, person } from './harness';

const textOf = (reply: { ephemeral: Array<{ text: string }> }) =>
  reply.ephemeral.map((m) => m.text).join('\n');

describe('review lifecycle (memory stores)', () => {
  it('runs a review from gaps through nudges to an advance', async () => {
    const h = makeHarness();
    const started = await command(h, 'sam', 'review R07.2');
    expect(textOf(started)).toContain('Started the 3 -> 4 review of R07.2');

    const report = h.delivery.find('-gaps-')[0];
    expect(report.op).toBe('post');
    expect(report.message.kind).toBe('gap-report');
    expect(report.message.text).toContain(
      'Gate review: Retina lesion detector (R07.2), level 3 -> 4 (Proof of concept',
    );
    expect(report.message.text).toContain('Code repo & docs: still the template text');
    expect(report.message.text).toContain('Testing status: empty');
    expect(report.message.text).toMatch(
      /Owners <@ana>, <@sam>: I will remind you on working days \(next: Tue/,
    );

    // A second `review` re-shows the open review instead of opening another.
    // It answers once, privately: the status view under an "already open" line, gaps included.
    const again = await command(h, 'ana', 'review R07.2');
    expect(again.ephemeral).toHaveLength(1);
    expect(again.ephemeral[0].kind).toBe('status');
    expect(textOf(again)).toContain('already open (gaps)');
    expect(textOf(again)).toContain('Missing for this gate:');
    expect(textOf(again)).toContain('Code repo & docs');
    expect((await h.stores.reviews.listOpen()).length).toBe(1);

    // Round 1 of the reminders: one DM per owner, inside working hours, once even if run twice.
    expect([...h.scheduler.jobs.keys()].filter((id) => id.startsWith('nudge-'))).toHaveLength(2);
    h.clock.set('2026-11-24T09:30:00Z');
    const ran = await h.scheduler.runDue(h.engine, h.clock.now());
    const dms = h.delivery.find('-nudge-owners-r1-');
    expect(dms.map((dm) => (dm.op === 'dm' ? dm.userId : '')).sort()).toEqual(['ana', 'sam']);
    expect(dms[0].message.text).toContain('Still missing: Code repo & docs, Testing status.');
    expect(dms[0].message.text).toContain('Reminder 1 of 3');
    await h.engine.runJob(ran[0]); // at-least-once: the same job again sends nothing new
    expect(h.delivery.find('-nudge-owners-r1-')).toHaveLength(2);

    // The owner fixes the card; the next reminder run re-checks it and opens the vote instead.
    h.cards.edit('retina-lesion-detector.md', completeRetina);
    h.clock.set('2026-11-26T09:30:00Z');
    await h.scheduler.runDue(h.engine, h.clock.now());
    expect(h.delivery.find('-nudge-owners-r2-')).toHaveLength(0);
    const vote = h.delivery.find('-vote')[0];
    expect(vote.message.kind).toBe('vote');
    expect(vote.message.text).toContain('Gate vote: R07.2 Retina lesion detector, level 3 -> 4');
    expect(vote.message.text).toContain('<@priya> pending');
    expect(vote.message.text).toContain('Needs 1 approval');
    expect(vote.message.text).toMatch(/Votes bind to card revision \w+/);
    expect([...(vote.message.actionableBy ?? [])].sort()).toEqual(['li', 'priya']);
    const summary = h.delivery.find('-vote-summary')[0];
    expect(summary.op === 'post' && summary.threadOf).toBe(vote.key);

    // Owners cannot vote on their own gate; strangers cannot vote at all.
    expect(textOf(await click(h, 'sam', 'vote-approve'))).toContain('Owners cannot vote on their own gate');
    expect(textOf(await click(h, 'lee', 'vote-approve'))).toContain('Only the reviewers named');

    const first = await click(h, 'priya', 'vote-approve');
    expect(textOf(first)).toContain('recorded: approved');
    expect(first.updated?.text).toContain('<@priya> approved');
    expect(first.updated?.text).toContain('<@li> pending');
    // `review` during the vote: one private answer with the votes so far, no second copy of the vote.
    const during = await command(h, 'sam', 'review R07.2');
    expect(during.ephemeral).toHaveLength(1);
    expect(during.ephemeral[0].kind).toBe('status');
    expect(textOf(during)).toContain('already open (voting)');
    expect(textOf(during)).toMatch(/<@priya> approved/);
    expect(textOf(during)).toMatch(/<@li> pending/);
    expect(during.ephemeral[0].blocks.some((block) => block.type === 'actions')).toBe(false);
    expect((await click(h, 'priya', 'vote-approve')).ephemeral[0].text).toContain('already recorded');

    const second = await click(h, 'li', 'vote-approve');
    expect(second.updated?.text).toContain('Voting closed: advanced');
    expect(await h.stores.levels.get('R07.2')).toBe(4);
    const outcome = h.delivery.find('-outcome')[0];
    expect(outcome.op === 'post' && outcome.threadOf).toBe(vote.key);
    expect(outcome.message.text).toContain('R07.2 advanced to level 4, Proof of concept');
    expect(outcome.message.text).toContain(
      'Approved by <@priya>, <@li> (2 approvals, 1 needed) · decided after 0 minutes.',
    );
    expect(h.delivery.find('-outcome-line')[0].message.text).toContain('(details in the thread)');
    expect(textOf(await click(h, 'li', 'vote-abstain'))).toContain('closed');

    const history = textOf(await command(h, 'ana', 'history R07.2'));
    for (const word of [
      'started the 3 -> 4 review',
      'reminder 1 sent',
      'vote opened',
      'voted: approve',
      'vote closed: advanced',
    ]) {
      expect(history).toContain(word);
    }
    const status = textOf(await command(h, 'ana', 'status R07.2'));
    expect(status).toContain('R07.2 Retina lesion detector: level 4');
    expect(status).toContain('Last outcome: advanced');
    expect(status).toContain('Recorded level 4, the card says 3.');
  });

  it('marks votes stale when a required section changes, and asks those reviewers again', async () => {
    const h = makeHarness();
    h.cards.edit('retina-lesion-detector.md', completeRetina);
    await command(h, 'sam', 'review R07.2');
    expect(h.delivery.find('-vote')).not.toHaveLength(0);
    await click(h, 'priya', 'vote-request-changes', { reason: 'Testing status lacks integration tests.' });
    h.cards.edit('retina-lesion-detector.md', (text) =>
      text.replace('run nightly.', 'run nightly, plus integration tests.'),
    );
    const reply = await click(h, 'li', 'vote-approve');
    const stale = h.delivery.find('-stale-')[0];
    expect(stale.message.kind).toBe('vote-stale');
    expect(stale.message.text).toBe(
      'The card changed (Testing status). Earlier votes are stale; <@priya>, please vote again.',
    );
    expect(reply.updated?.text).toContain('<@priya> vote stale');
    expect(reply.updated?.text).toContain('<@li> approved');
    // Priya's stale request no longer counts; her fresh approval decides it.
    expect((await click(h, 'priya', 'vote-approve')).updated?.text).toContain('Voting closed: advanced');
  });

  it('reports changes requested with reasons, offers switchback below the card level, refuses one to a level never completed', async () => {
    const h = makeHarness();
    h.cards.edit('retina-lesion-detector.md', completeRetina);
    await command(h, 'sam', 'review R07.2');
    const vote = h.delivery.find('-vote')[0];
    // First seen at level 3: the card is the evidence that levels 0-2 were completed, and the vote says so.
    const select = vote.message.blocks
      .flatMap((b) => (b.type === 'actions' ? b.actions : []))
      .find((a) => a.type === 'select');
    expect(select?.type === 'select' && select.options.map((o) => o.value.split('|')[3])).toEqual([
      '2',
      '1',
      '0',
    ]);
    expect(vote.message.text).toContain('Switchback is offered to levels below 3 per the card');
    const forged = await h.engine.handle({
      type: 'action',
      actor: person('priya'),
      conversationId: CHANNEL,
      actionId: 'vote-switchback',
      value: `v1|${vote.key.split('-')[1]}|switchback|3`,
      reason: 'back to research',
    });
    expect(textOf(forged)).toContain('never completed level 3');
    await click(h, 'priya', 'vote-request-changes', { reason: 'Testing status lacks integration tests.' });
    // The engine itself wants a reason, whatever the surface: none, or only blanks, is refused.
    expect(textOf(await click(h, 'li', 'vote-request-changes'))).toContain('need a reason');
    expect(textOf(await click(h, 'li', 'vote-request-changes', { reason: '   ' }))).toContain(
      'need a reason',
    );
    expect(await h.stores.votes.votes((await h.stores.reviews.listOpen())[0].id)).toHaveLength(1);
    const refused = (await h.stores.audit.listByProject('R07.2')).filter(
      (e) => e.type === 'refused' && e.actor === 'li',
    );
    expect(refused.map((e) => [e.actor, e.data?.reason])).toEqual([
      ['li', 'reason-required'],
      ['li', 'reason-required'],
    ]);
    await click(h, 'li', 'vote-request-changes', { reason: 'No bias audit.' });
    const outcome = h.delivery.find('-outcome')[0].message.text;
    expect(outcome).toContain('R07.2 stays at level 3: changes requested by <@priya>, <@li>.');
    expect(outcome).toContain('<@priya>: "Testing status lacks integration tests."');
  });

  it('expires at the deadline and lets owners cancel, reviewers waive, owners snooze', async () => {
    const h = makeHarness();
    await command(h, 'sam', 'review R07.2');
    expect(textOf(await command(h, 'priya', 'snooze R07.2 3d'))).toContain('Only owners');
    expect(textOf(await command(h, 'ana', 'snooze R07.2 3d'))).toContain('paused until');
    h.clock.set('2026-11-24T09:30:00Z');
    await h.scheduler.runDue(h.engine, h.clock.now());
    expect(h.delivery.find('-nudge-')).toHaveLength(0);

    expect(textOf(await command(h, 'ana', 'waive R07.2 code-repo 14 moving'))).toContain('Only reviewers');
    expect(textOf(await command(h, 'priya', 'waive R07.2 intended-use 14 x'))).toContain('not required');
    await command(h, 'priya', 'waive R07.2 code-repo 14 repo moves next week');
    expect((await h.stores.reviews.openForProject('R07.2'))?.phase).toBe('gaps');
    await command(h, 'priya', 'waive R07.2 testing-status 14 tests next sprint');
    const review = await h.stores.reviews.openForProject('R07.2');
    expect(review?.phase).toBe('voting');

    h.clock.set(review!.voteDeadline!);
    await h.scheduler.runDue(h.engine, h.clock.now());
    const closed = await h.stores.reviews.get(review!.id);
    expect(closed?.outcome).toBe('expired');
    expect(h.delivery.find('-outcome')[0].message.text).toContain('the vote expired without a decision');

    await command(h, 'sam', 'review R07.2');
    expect(textOf(await command(h, 'priya', 'cancel R07.2'))).toContain('Only owners and admins');
    expect(textOf(await command(h, 'lee', 'cancel R07.2'))).toContain('is cancelled');
    expect(await h.stores.reviews.openForProject('R07.2')).toBeUndefined();
  });

  it('escalates once to the review lead after the last reminder, then stays silent', async () => {
    const h = makeHarness();
    await command(h, 'lee', 'review R07.2');
    for (const day of ['2026-11-24', '2026-11-26', '2026-12-02', '2026-12-03', '2026-12-10']) {
      h.clock.set(`${day}T10:00:00Z`);
      await h.scheduler.runDue(h.engine, h.clock.now());
    }
    expect(h.delivery.find('-nudge-owners-r1-')).toHaveLength(2);
    expect(h.delivery.find('-nudge-owners-r3-')).toHaveLength(2);
    const escalation = h.delivery.find('-escalate-');
    expect(escalation).toHaveLength(1);
    expect(escalation[0].message.text).toContain('<@lee>, you requested this review');
    expect([...h.scheduler.jobs.keys()]).toEqual([]);
  });

  it('names the directory leads as review lead and keeps the requester informed', async () => {
    const withLeads = {
      people: [
        ...directory.people.map((p) => (p.id === 'lee' ? { ...p, roles: ['admin', 'lead'] } : p)),
        { id: 'kim', name: 'Kim Lo', handles: [], roles: ['lead'] }, // a lead the platform does not know
      ],
    };
    const h = makeHarness({ people: withLeads });
    await command(h, 'sam', 'review R07.2');
    for (const day of ['2026-11-24', '2026-11-26', '2026-12-02', '2026-12-03', '2026-12-10']) {
      h.clock.set(`${day}T10:00:00Z`);
      await h.scheduler.runDue(h.engine, h.clock.now());
    }
    expect(h.delivery.text('-nudge-owners-r1-')).toContain(
      'after that the review leads (<@lee>, <@kim>) are told.',
    );
    const escalation = h.delivery.find('-escalate-');
    expect(escalation).toHaveLength(1);
    expect(escalation[0].op === 'post' && escalation[0].conversationId).toBe(CHANNEL);
    expect(escalation[0].message.text).toContain(
      '<@lee>, <@kim> (review leads), please follow up; <@sam> requested this review.',
    );
    // Being a lead grants nothing: a lead who is not an admin still may not cancel.
    expect(textOf(await command(h, 'kim', 'cancel R07.2'))).toContain('Only owners and admins');
  });

  it('reminds only pending voters, each inside their own working hours', async () => {
    const h = makeHarness();
    h.cards.edit('retina-lesion-detector.md', completeRetina);
    await command(h, 'sam', 'review R07.2'); // Monday 10:30 Berlin: the vote opens at once
    await click(h, 'priya', 'vote-request-changes', { reason: 'Needs tests.' }); // not decided: Li could still approve
    // Tuesday 10:30 Berlin is 17:30 in Shanghai: Li's reminder waits for Wednesday 09:00 there.
    h.clock.set('2026-11-24T09:30:00Z');
    await h.scheduler.runDue(h.engine, h.clock.now());
    expect(h.delivery.find('-nudge-voters-')).toHaveLength(0);
    h.clock.set('2026-11-25T01:00:00Z');
    await h.scheduler.runDue(h.engine, h.clock.now());
    const dms = h.delivery.find('-nudge-voters-r1-');
    expect(dms.map((dm) => dm.op === 'dm' && dm.userId)).toEqual(['li']);
    expect(dms[0].message.text).toContain('Please vote on the level 3 -> 4 gate of R07.2');
  });

  it('lists owners it cannot find, and still tells the lead once when nobody can be reminded', async () => {
    const h = makeHarness();
    h.cards.edit('retina-lesion-detector.md', (text) =>
      text.replace('| Ana Lima, @sam ', '| Zed Unknown    '),
    );
    await command(h, 'lee', 'review R07.2');
    const report = h.delivery.find('-gaps-')[0].message.text;
    expect(report).toContain(
      'I could not find these people on this platform, so they get no reminders and cannot vote: Zed Unknown. To fix: add them to people.yaml',
    );
    expect([...h.scheduler.jobs.keys()].filter((id) => id.startsWith('nudge-'))).toEqual([]);
    h.clock.set('2026-12-03T10:00:00Z');
    await h.scheduler.runDue(h.engine, h.clock.now());
    expect(h.delivery.find('-escalate-owners')[0].message.text).toContain('Owners: Zed Unknown');
  });

  it('answers malformed commands with usage, unknown projects with a suggestion, and refuses strangers', async () => {
    const h = makeHarness();
    expect(textOf(await command(h, 'ana', 'snooze R07.2 soon'))).toContain('/mltrl snooze <project>');
    expect(textOf(await command(h, 'ana', 'review R7.2'))).toBe('No project R7.2. Did you mean R07.2?');
    expect(textOf(await command(h, 'nobody', 'review R07.2'))).toContain('Only owners, reviewers and admins');
    expect(textOf(await command(h, 'ana', 'help'))).toContain('A gate moves a project up one MLTRL level');
    expect(textOf(await command(h, 'ana', 'digest now'))).toContain('Only admins');
    expect(textOf(await command(h, 'lee', 'digest now'))).toContain('not set up');
    expect(textOf(await command(h, 'ana', 'status'))).toContain(
      'R07.2 Retina lesion detector: level 3, no open review',
    );
    const home = await h.engine.home(person('ana'));
    expect(home.text).toContain('Your projects');
  });
});
