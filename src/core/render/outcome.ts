import type { Card } from '../card';
import type { Review, VoteRecord } from '../engine/store-ports';
import { levelName as nameOfLevel, type Flow } from '../flow';
import type { Gap } from '../gap-types';
import type { MessageBlock, OutboundMessage } from '../messages';
import type { VoteTally } from '../vote-policy';
import { cappedInline, cappedList, formatDuration, gapLabel, textOf, tr, type RenderEnv } from './format';
import { gateText, mentionOf } from './gap-report';

export interface OutcomeInput {
  review: Review;
  card: Card;
  flow: Flow;
  votes: VoteRecord[];
  tally: VoteTally;
  minApprovals: number;
  /** Gaps of the next gate (after an advance), to say what comes next. */
  nextGaps?: Gap[];
  nextGate?: { from: number; to: number };
  /**
   * The card's Current Level disagrees with the level just recorded (and the bot does not write cards
   * back): its owners are asked to update it.
   */
  cardLevel?: { stated: number; owners: string[] };
}

const who = (vote: VoteRecord) =>
  vote.voter.userId ? `<@${vote.voter.userId}>` : (vote.voter.name ?? vote.voter.key);

/** The outcome in the vote's thread (UX.md); `outcomeLine` is its first line for the channel. */
export function renderOutcome(input: OutcomeInput, env: RenderEnv): OutboundMessage {
  const { review, card, flow } = input;
  const id = card.projectId;
  // In the order they were cast, not the store's: a Redis hash lists its fields in no set order.
  const fresh = input.votes
    .filter((vote) => vote.revision === review.voteRevision)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const byChoice = (choice: VoteRecord['choice']) => fresh.filter((vote) => vote.choice === choice);
  const blocks: MessageBlock[] = [];
  const level = review.outcomeLevel ?? review.gate.from;
  const levelName = nameOfLevel(flow, level, env.locale);
  switch (review.outcome) {
    case 'advanced': {
      const recurring = review.gate.from === review.gate.to;
      blocks.push({
        type: 'header',
        text: tr(env, recurring ? 'outcome.recurring' : 'outcome.advanced', { id, level, name: levelName }),
      });
      const approvers = byChoice('approve').map(who);
      const after = formatDuration(
        Date.parse(review.closedAt!) - Date.parse(review.voteOpenedAt ?? review.openedAt),
        env,
      );
      blocks.push({
        type: 'text',
        text: tr(
          env,
          approvers.length > input.minApprovals ? 'outcome.approvedByMore' : 'outcome.approvedBy',
          { who: cappedInline(approvers, env), count: approvers.length, needed: input.minApprovals, after },
        ),
      });
      if (!recurring) blocks.push(...whatNext(input, level, env));
      break;
    }
    case 'changes-requested': {
      const requesters = byChoice('request-changes');
      blocks.push({
        type: 'header',
        text: tr(env, 'outcome.changes-requested', {
          id,
          level,
          who: cappedInline(requesters.map(who), env),
        }),
      });
      const reasons = requesters
        .filter((vote) => vote.reason)
        .map((vote) => tr(env, 'outcome.reasonLine', { who: who(vote), reason: vote.reason }));
      if (reasons.length) blocks.push(cappedList(reasons, env, { hint: `/mltrl history ${id}` }));
      break;
    }
    case 'switchback': {
      const proposers = byChoice('switchback').filter((vote) => vote.switchbackTo === level);
      blocks.push({
        type: 'header',
        text: tr(env, 'outcome.switchback', { id, level, who: cappedInline(proposers.map(who), env) }),
      });
      const reasons = proposers
        .filter((vote) => vote.reason)
        .map((vote) => tr(env, 'outcome.reasonLine', { who: who(vote), reason: vote.reason }));
      if (reasons.length) blocks.push(cappedList(reasons, env, { hint: `/mltrl history ${id}` }));
      blocks.push(...whatNext(input, level, env));
      break;
    }
    case 'expired':
      blocks.push({
        type: 'header',
        text: tr(env, 'outcome.expired', {
          id,
          level,
          voted: input.tally.voted,
          eligible: input.tally.eligible,
          approve: input.tally.approve,
        }),
      });
      break;
    case 'cancelled':
      blocks.push({
        type: 'header',
        text: tr(env, 'outcome.cancelled', {
          id,
          gate: gateText(flow, review.gate, env, false),
          who: review.closedBy ? mentionOf(review.closedBy) : '?',
        }),
      });
      break;
    default:
      break;
  }
  return { kind: 'outcome', text: textOf(blocks), blocks, locale: env.locale };
}

/**
 * After a new level is recorded: the next gate and the sections of the card it still lacks, and, when
 * the card's Current Level says otherwise, a request to its owners to update it.
 */
function whatNext(input: OutcomeInput, level: number, env: RenderEnv): MessageBlock[] {
  const id = input.card.projectId;
  const blocks: MessageBlock[] = [];
  if (input.nextGate) {
    const gate = gateText(input.flow, input.nextGate, env, false);
    const items = (input.nextGaps ?? []).map((gap) => gapLabel(gap, env));
    blocks.push({
      type: 'text',
      text: items.length
        ? tr(env, 'outcome.next', { gate, items: cappedInline(items, env), id })
        : tr(env, 'outcome.nextNothing', { gate, id }),
    });
  }
  if (input.cardLevel) {
    blocks.push({
      type: 'text',
      text: tr(env, 'outcome.updateCard', {
        owners: cappedInline(input.cardLevel.owners, env),
        stated: input.cardLevel.stated,
        level,
        file: input.card.file,
      }),
    });
  }
  return blocks;
}

/** The one-line reply in the channel. */
export function renderOutcomeLine(outcome: OutboundMessage, env: RenderEnv): OutboundMessage {
  const first = outcome.blocks.find((block) => block.type === 'header');
  const text = tr(env, 'outcome.channelLine', { text: first && 'text' in first ? first.text : outcome.text });
  return { kind: 'outcome', text, blocks: [{ type: 'text', text }], locale: env.locale };
}
