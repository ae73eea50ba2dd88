import { isCardError, parseCard } from '../../src/cards';
import type { Card } from '../../src/core/card';
import type { Review } from '../../src/core/engine/store-ports';
import { renderEscalation, renderNudge, type RenderEnv } from '../../src/core/render';
import { loadDefaultFlow } from '../../src/flows';
import { defaultTranslator } from '../../src/i18n/translator';
import { retinaCard } from '../engine/harness';

const env: RenderEnv = { t: defaultTranslator(), locale: 'en', tz: 'Europe/Berlin' };
const flow = loadDefaultFlow();
const card = parseCard(retinaCard(), 'retina.md') as Card;
const review: Review = {
  id: 'rabc',
  projectId: 'R07.2',
  flowName: 'mltrl',
  gate: { from: 3, to: 4 },
  phase: 'gaps',
  requestedBy: { key: 'sam', platform: 'slack', userId: 'USAM' },
  conversationId: 'slack:T:C',
  openedAt: '2026-11-23T09:00:00Z',
  cardFile: 'retina.md',
  cardRevision: 'abc',
  nudges: { target: 'owners', round: 1, escalated: false },
};

function nudge(leads: string[] | undefined, next?: Date) {
  return renderNudge({ review, card, flow, gaps: [], round: 2, rounds: 3, next, escalates: true, leads }, env)
    .text;
}

function escalation(leads: string[] | undefined, requesterIsLead = false) {
  return renderEscalation(
    { review, card, flow, rounds: 3, owners: ['<@UANA>'], pendingVoters: [], leads, requesterIsLead },
    env,
  ).text;
}

describe('review lead in reminders and the escalation', () => {
  it('names the role leads in the reminder, else the requester', () => {
    expect(isCardError(card)).toBe(false);
    const next = new Date('2026-11-27T08:00:00Z');
    expect(nudge(['<@ULEE>'], next)).toContain(
      'Reminder 2 of 3 · next Fri 27 Nov, 09:00 your time · after that the review lead (<@ULEE>) is told.',
    );
    expect(nudge(['<@ULEE>', 'Kim Lo'], next)).toContain('the review leads (<@ULEE>, Kim Lo) are told.');
    expect(nudge(undefined, next)).toContain('after that the review lead (<@USAM>) is told.');
    expect(nudge([], undefined)).toContain('the review lead (<@USAM>) is told next.');
    expect(nudge(['<@ULEE>'], undefined)).toContain(
      'This was the last reminder; the review lead (<@ULEE>) is told next.',
    );
  });

  it('tells the role leads in the channel and keeps a requester who is not a lead informed', () => {
    expect(escalation(['<@ULEE>'])).toContain(
      '<@ULEE> (review lead), please follow up; <@USAM> requested this review. I will not remind anyone again.',
    );
    const asLead = escalation(['<@ULEE>', '<@USAM>'], true);
    expect(asLead).toContain('<@ULEE>, <@USAM> (review leads), please follow up; I will not remind');
    expect(asLead).not.toContain('requested this review');
    expect(escalation(undefined)).toContain(
      '<@USAM>, you requested this review; I will not remind anyone again.',
    );
  });
});
