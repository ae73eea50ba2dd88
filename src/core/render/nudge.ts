import type { Card } from '../card';
import type { Review } from '../engine/store-ports';
import type { Flow } from '../flow';
import type { Gap } from '../gap-types';
import type { MessageBlock, OutboundMessage } from '../messages';
import { cardActions, gateText, mentionOf } from './gap-report';
import { cappedInline, formatWhen, gapLabel, textOf, tr, type RenderEnv } from './format';
import { encodeAction } from './action-values';

export interface NudgeInput {
  review: Review;
  card: Card;
  flow: Flow;
  /** Gaps (owners) or undefined (a pending voter). */
  gaps?: Gap[];
  round: number;
  rounds: number;
  next?: Date;
  escalates: boolean;
  cardUrl?: string;
  /**
   * The review lead(s) as mentions (or names when not on the platform): the directory's `lead` role.
   * Empty or absent: the person who requested the review is the lead.
   */
  leads?: string[];
}

/** The review lead(s) to name: the given leads, else the requester. */
function leadsOf(review: Review, leads: string[] | undefined): string[] {
  return leads && leads.length > 0 ? leads : [mentionOf(review.requestedBy)];
}

/** The reminder DM to one owner or one pending voter (UX.md). */
export function renderNudge(input: NudgeInput, env: RenderEnv): OutboundMessage {
  const { review, card } = input;
  const gate = gateText(input.flow, review.gate, env, false);
  const blocks: MessageBlock[] = [
    { type: 'text', text: tr(env, 'nudge.title', { id: card.projectId, name: card.name, gate }) },
  ];
  if (input.gaps) {
    blocks.push({
      type: 'text',
      text: tr(env, 'nudge.missing', {
        items: cappedInline(
          input.gaps.map((gap) => gapLabel(gap, env)),
          env,
        ),
      }),
    });
    const actions = cardActions(
      { projectId: card.projectId, reviewId: review.id, cardUrl: input.cardUrl, snoozeDays: 3 },
      env,
    );
    actions.push({
      type: 'button',
      actionId: 'not-my-project',
      label: tr(env, 'notMyProject'),
      value: encodeAction({ kind: 'not-mine', reviewId: review.id }),
    });
    blocks.push({ type: 'actions', actions });
  } else {
    blocks.push({
      type: 'text',
      text: tr(env, 'nudge.voteText', { id: card.projectId, name: card.name, gate }),
    });
  }
  const leads = leadsOf(review, input.leads);
  const lead = { lead: cappedInline(leads, env), count: leads.length };
  const parts = [tr(env, 'nudge.round', { round: input.round, rounds: input.rounds })];
  if (input.next) parts.push(tr(env, 'nudge.next', { next: formatWhen(input.next, env) }));
  if (input.escalates) parts.push(input.next ? tr(env, 'nudge.lead', lead) : tr(env, 'nudge.last', lead));
  blocks.push({ type: 'context', text: parts.join(' · ') });
  return { kind: 'nudge', text: textOf(blocks), blocks, locale: env.locale };
}

export interface EscalationInput {
  review: Review;
  card: Card;
  flow: Flow;
  rounds: number;
  gaps?: Gap[];
  owners: string[];
  pendingVoters: string[];
  /** As in NudgeInput: the review lead(s); absent or empty, the requester is the lead. */
  leads?: string[];
  /** The requester is one of `leads` (then they are not named twice). */
  requesterIsLead?: boolean;
}

/** The one escalation to the review lead, in the review's channel; after it the bot is silent. */
export function renderEscalation(input: EscalationInput, env: RenderEnv): OutboundMessage {
  const { review, card } = input;
  const gate = gateText(input.flow, review.gate, env, false);
  const blocks: MessageBlock[] = [
    {
      type: 'text',
      text: tr(env, 'escalation.title', { id: card.projectId, name: card.name, gate, rounds: input.rounds }),
    },
  ];
  if (input.gaps) {
    blocks.push({
      type: 'text',
      text: tr(env, 'escalation.gaps', {
        items: cappedInline(
          input.gaps.map((gap) => gapLabel(gap, env)),
          env,
        ),
        owners: cappedInline(input.owners, env),
      }),
    });
  } else {
    blocks.push({
      type: 'text',
      text: tr(env, 'escalation.votes', { voters: cappedInline(input.pendingVoters, env) }),
    });
  }
  blocks.push({ type: 'text', text: escalationLeadLine(input, env) });
  return { kind: 'escalation', text: textOf(blocks), blocks, locale: env.locale };
}

/** Who is told: the requester as lead; or the role leads, naming the requester too so they stay informed. */
function escalationLeadLine(input: EscalationInput, env: RenderEnv): string {
  const requester = mentionOf(input.review.requestedBy);
  if (!input.leads || input.leads.length === 0) return tr(env, 'escalation.lead', { lead: requester });
  const params = { leads: cappedInline(input.leads, env), count: input.leads.length, who: requester };
  return input.requesterIsLead
    ? tr(env, 'escalation.leads', params)
    : tr(env, 'escalation.leadsAndRequester', params);
}
