import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCardError, parseCard } from '../../src/cards';
import type { Card } from '../../src/core/card';
import { plainTimes, splitTimes } from '../../src/core/messages';
import type { Review } from '../../src/core/engine/store-ports';
import type { ResolvedPerson } from '../../src/core/people-resolver';
import {
  cappedList,
  decodeAction,
  encodeAction,
  formatDuration,
  formatWhen,
  renderHelp,
  renderUsage,
  renderVoteMessage,
  type RenderEnv,
} from '../../src/core/render';
import { tallyVotes } from '../../src/core/vote-policy';
import { loadDefaultFlow } from '../../src/flows';
import { defaultTranslator } from '../../src/i18n/translator';
import { retinaCard } from '../engine/harness';

const env: RenderEnv = { t: defaultTranslator(), locale: 'en', tz: 'Europe/Berlin' };
const flow = loadDefaultFlow();

function voter(i: number): ResolvedPerson {
  return {
    key: `p${i}`,
    ref: { text: `P${i}`, kind: 'name', name: `P${i}` },
    userId: i < 14 ? `U${i}` : undefined,
    display: i < 14 ? `<@U${i}>` : `P${i}`,
    name: `P${i}`,
    tz: 'UTC',
    locale: 'en',
    roles: [],
    via: i < 14 ? 'directory' : 'unresolved',
  };
}

describe('renderers', () => {
  it('caps lists and says how many were left out', () => {
    const block = cappedList(
      Array.from({ length: 14 }, (_, i) => `item ${i}`),
      env,
      { hint: '/mltrl portfolio' },
    );
    expect(block.items).toHaveLength(10);
    expect(block.more).toBe('...and 4 more: /mltrl portfolio');
  });

  it('writes times in the reader zone and durations in words', () => {
    // One format for every deadline: a date, and the reader's zone (or, in a channel, its name).
    expect(formatWhen('2026-12-14T16:00:00Z', env)).toBe('Mon 14 Dec, 17:00 your time');
    // In a channel: a time token for the renderers (each reader's own zone), its fallback naming the zone.
    const shared = formatWhen('2026-12-14T16:00:00Z', { ...env, shared: true });
    expect(splitTimes(shared)).toEqual([
      {
        time: {
          at: '2026-12-14T16:00:00Z',
          reader: '{date}, {time} your time',
          fallback: expect.stringMatching(/^Mon 14 Dec, 17:00 (CET|GMT\+1)$/),
        },
      },
    ]);
    expect(plainTimes(`closes ${shared}.`)).toMatch(/^closes Mon 14 Dec, 17:00 (CET|GMT\+1)\.$/);
    expect(formatWhen('2026-12-14T16:00:00Z', { ...env, tz: 'Asia/Tokyo' })).toBe(
      'Tue 15 Dec, 01:00 your time',
    );
    expect(formatWhen('2026-12-14T16:00:00Z', { ...env, locale: 'de' })).toBe(
      'Mo., 14. Dez., 17:00 Ihre Zeit',
    );
    expect(formatDuration(28 * 3_600_000, env)).toBe('1 day 4 hours');
    expect(formatDuration(60_000, env)).toBe('1 minute');
  });

  it('round-trips action values and refuses forged ones', () => {
    const value = encodeAction({ kind: 'vote', reviewId: 'rabc', choice: 'switchback', level: 2 });
    expect(decodeAction(value)).toEqual({ kind: 'vote', reviewId: 'rabc', choice: 'switchback', level: 2 });
    for (const forged of [
      '',
      'v1|rabc|delete',
      'v1|../x|approve',
      'v1|r|switchback|12',
      's1|R07.2|0',
      // Past the 90-day snooze cap of the command.
      's1|R07.2|91',
      's1|R07.2|99',
      'x'.repeat(400),
    ]) {
      expect(decodeAction(forged)).toBeUndefined();
    }
    expect(decodeAction('s1|R07.2|90')).toEqual({ kind: 'snooze', projectId: 'R07.2', days: 90 });
  });

  it('vote buttons carry the card revision (v2); a value without a well-formed one does not decode', () => {
    const value = encodeAction({
      kind: 'vote',
      reviewId: 'rabc',
      choice: 'approve',
      revision: 'db53413a6396',
    });
    expect(value).toBe('v2|rabc|approve||db53413a6396');
    expect(decodeAction(value)).toEqual({
      kind: 'vote',
      reviewId: 'rabc',
      choice: 'approve',
      level: undefined,
      revision: 'db53413a6396',
    });
    for (const forged of ['v2|rabc|approve|', 'v2|rabc|approve||not-hex!', 'v2|rabc|veto||db53413a6396']) {
      expect(decodeAction(forged)).toBeUndefined();
    }
  });

  it('builds the vote message: status words, capped reviewers, buttons, eligible voters only', () => {
    const card = parseCard(retinaCard(), 'retina.md') as Card;
    expect(isCardError(card)).toBe(false);
    const gate = flow.gates.find((g) => g.from === 3)!;
    const voters = Array.from({ length: 16 }, (_, i) => voter(i));
    const review: Review = {
      id: 'rabc',
      projectId: 'R07.2',
      flowName: 'mltrl',
      gate: { from: 3, to: 4 },
      phase: 'voting',
      requestedBy: { key: 'sam', platform: 'slack', userId: 'USAM' },
      conversationId: 'slack:T:C',
      openedAt: '2026-11-23T09:00:00Z',
      voteOpenedAt: '2026-11-23T09:00:00Z',
      voteDeadline: '2026-11-30T16:00:00Z',
      cardFile: 'retina.md',
      cardRevision: 'abc',
      voteRevision: 'abc',
      nudges: { target: 'voters', round: 0, escalated: false },
    };
    const votes = [
      {
        voter: { key: 'p0', platform: 'slack' as const, userId: 'U0' },
        choice: 'approve' as const,
        revision: 'abc',
        at: '',
      },
    ];
    const tally = tallyVotes({
      policy: gate.vote,
      eligible: voters.map((v) => ({ key: v.key, roles: [] })),
      votes: votes.map((v) => ({ voterKey: v.voter.key, choice: v.choice, revision: v.revision })),
      revision: 'abc',
    });
    const message = renderVoteMessage(
      {
        review,
        card,
        flow,
        gate,
        voters,
        unresolvedVoters: ['P14', 'P15'],
        votes,
        tally,
        switchbackLevels: [2],
      },
      { ...env, shared: true },
    );
    expect(message.kind).toBe('vote');
    expect(message.text).toContain('Reviewers: <@U0> approved, <@U1> pending');
    expect(message.text).toContain('...and 6 more');
    expect(message.text).toContain(
      'Not found on this platform, so they cannot vote: P14, P15. To fix: add them to people.yaml',
    );
    expect(message.text).toMatch(/closes Mon 30 Nov, 17:00 (CET|GMT\+1) or as soon as it is decided/);
    expect(message.text).toContain('1 approve · 0 request changes · 0 abstain · 0 switchback · 15 pending');
    expect(message.text).toContain('Votes bind to card revision abc');
    expect(message.actionableBy).toHaveLength(14);
    const actions = message.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
    expect(actions.map((a) => a.actionId)).toEqual([
      'vote-approve',
      'vote-request-changes',
      'vote-abstain',
      'vote-switchback',
    ]);
    expect(actions.find((a) => a.actionId === 'vote-request-changes')).toMatchObject({ asksReason: true });

    // The example card wraps its TL;DR over two source lines; the vote shows it as one sentence.
    const wrapped = parseCard(
      readFileSync(join(__dirname, '..', '..', 'cards', 'retina-lesion-detector.md'), 'utf8'),
      'retina-lesion-detector.md',
    ) as Card;
    expect(wrapped.fields.tldr?.text).toContain('\n');
    const flowing = renderVoteMessage(
      { review, card: wrapped, flow, gate, voters, unresolvedVoters: [], votes, tally, switchbackLevels: [] },
      env,
    );
    const tldrBlock = flowing.blocks.find((b) => b.type === 'text' && b.text.startsWith('TL;DR'));
    expect(tldrBlock).toMatchObject({
      text: expect.stringMatching(/^TL;DR: A convolutional detector .*photographs, so that graders see/),
    });
  });

  it('help lists every command and explains MLTRL once; usage names the problem', () => {
    const help = renderHelp(env).text;
    for (const name of [
      'review',
      'status',
      'portfolio',
      'digest',
      'snooze',
      'cancel',
      'history',
      'waive',
      'help',
    ]) {
      expect(help).toContain(`/mltrl ${name}`);
    }
    // The MLTRL words, each explained once.
    for (const word of ['Level (0-9):', 'Gate:', 'Card:', 'Switchback:'])
      expect(help.split(word)).toHaveLength(2);
    const usage = renderUsage({ command: 'waive', problem: 'missing-reason' }, env);
    expect(usage.kind).toBe('usage');
    expect(usage.text).toBe(
      'Give a reason for the waiver.\nUsage:\n• /mltrl waive <project> <section-key> <days> <reason> · /mltrl waive <project> <section-key> off',
    );
  });
});
