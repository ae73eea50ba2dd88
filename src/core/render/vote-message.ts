import { cardExcerpt } from './card-excerpt';
import type { Card } from '../card';
import type { Review, VoteRecord } from '../engine/store-ports';
import { levelName, type Flow, type Gate } from '../flow';
import type { MessageAction, MessageBlock, OutboundMessage } from '../messages';
import type { ResolvedPerson } from '../people-resolver';
import type { VoteTally } from '../vote-policy';
import type { Waiver } from '../gap-types';
import { encodeAction } from './action-values';
import { LIST_CAP, cappedInline, formatWhen, textOf, tr, type RenderEnv } from './format';
import { gateText, waiverList } from './gap-report';
import { missingGroupsText, voterRuleBlocks } from './voter-rules';
import type { GroupSnapshot } from '../groups';

export interface VoteMessageInput {
  review: Review;
  card: Card;
  flow: Flow;
  gate: Gate;
  voters: ResolvedPerson[];
  unresolvedVoters: string[];
  votes: VoteRecord[];
  tally: VoteTally;
  switchbackLevels: number[];
  /** Switchback levels below this one count as completed because the card says the project is there. */
  switchbackPerCard?: number;
  /**
   * The offered switchback levels are completed per the card's own git history: the levels it stated
   * before, read at commit `at` (short SHA). Said instead of `switchbackPerCard`.
   */
  switchbackPerHistory?: { levels: number[]; at: string };
  /** Set once the vote is closed: the outcome words; the buttons go away. */
  closedOutcome?: string;
  /** Sections waived for this gate (who, until when, why). */
  waivers?: Waiver[];
  /** Card reviewers the gate's voter roles leave out. */
  outsideRoles?: ResolvedPerson[];
  /** The review's group expansions (those that failed get a line each). */
  groups?: GroupSnapshot;
  /** Platform ids of voters' delegates in force: they may click too. */
  delegates?: string[];
}

/** "@priya approved", "@li pending": the status is always a word, never an emoji alone. */
export function voterStatus(
  voter: ResolvedPerson,
  input: Pick<VoteMessageInput, 'votes' | 'tally'>,
  env: RenderEnv,
): string {
  const vote = input.votes.find((v) => v.voter.key === voter.key);
  if (!vote) return `${voter.display} ${tr(env, 'status.pending')}`;
  // A vote a delegate cast reads "Priya for @sam approved": who decided is never hidden.
  const who = vote.by
    ? tr(env, 'delegation.for', { delegate: vote.by.name ?? vote.by.key, voter: voter.display })
    : voter.display;
  if (input.tally.stale.includes(voter.key)) return `${who} ${tr(env, 'status.stale')}`;
  return `${who} ${tr(env, `status.${vote.choice}`, { level: vote.switchbackTo })}`;
}

/** The vote's parent message in the channel; updated in place after every vote (UX.md). */
export function renderVoteMessage(input: VoteMessageInput, env: RenderEnv): OutboundMessage {
  const { review, card, gate, tally } = input;
  const blocks: MessageBlock[] = [
    {
      type: 'header',
      text: tr(env, 'vote.title', {
        id: card.projectId,
        name: card.name,
        gate: gateText(input.flow, gate, env, false),
      }),
    },
  ];
  const tldr = card.fields.tldr?.text;
  if (tldr)
    blocks.push({
      type: 'text',
      text: tr(env, 'vote.tldr', {
        // The card's hard line breaks are source formatting, not meaning: one flowing sentence reads better.
        tldr: tldr.replace(/^\**\s*TL;DR\s*\**\s*[-:]?\s*/i, '').replace(/\s*\n\s*/g, ' '),
      }),
    });
  blocks.push({
    type: 'text',
    text: input.voters.length
      ? tr(env, 'vote.reviewers', {
          list: cappedInline(
            // Only the shown names need their status words; the rest are counted.
            input.voters.map((voter, i) => (i < LIST_CAP ? voterStatus(voter, input, env) : voter.display)),
            env,
          ),
        })
      : tr(env, 'vote.noReviewers'),
  });
  if (input.unresolvedVoters.length) {
    blocks.push({
      type: 'context',
      text: tr(env, 'vote.unresolved', { names: cappedInline(input.unresolvedVoters, env) }),
    });
  }
  blocks.push(
    ...voterRuleBlocks(
      { voterRoles: gate.vote.voterRoles, outsideRoles: input.outsideRoles, groups: input.groups },
      env,
    ),
  );
  const needs = [tr(env, 'vote.needs', { count: gate.vote.minApprovals })];
  if (!input.closedOutcome) needs.push(...missingGroupsText(tally.missingGroups, env));
  if (tally.quorumNeeded > 0)
    needs.push(tr(env, 'vote.quorum', { needed: tally.quorumNeeded, eligible: tally.eligible }));
  if (input.closedOutcome) needs.push(tr(env, 'vote.closed', { outcome: input.closedOutcome }));
  else if (review.voteDeadline) {
    const deadline = formatWhen(review.voteDeadline, env);
    needs.push(tr(env, gate.vote.earlyClose ? 'vote.closes' : 'vote.closesAt', { deadline }));
    if (gate.vote.minOpenHours > 0 && review.voteOpenedAt) {
      const time = new Date(Date.parse(review.voteOpenedAt) + gate.vote.minOpenHours * 3_600_000);
      needs.push(tr(env, 'vote.opensDecision', { time: formatWhen(time, env) }));
    }
  }
  blocks.push({ type: 'text', text: needs.join(' · ') });
  if (input.waivers?.length) blocks.push(waiverList(input.waivers, input.card, env));
  if (input.switchbackPerHistory && !input.closedOutcome) {
    blocks.push({
      type: 'context',
      text: tr(env, 'vote.switchbackPerHistory', {
        offered: input.switchbackLevels.join(', '),
        levels: input.switchbackPerHistory.levels.join(', '),
        sha: input.switchbackPerHistory.at,
      }),
    });
  } else if (input.switchbackPerCard !== undefined && !input.closedOutcome) {
    blocks.push({
      type: 'context',
      text: tr(env, 'vote.switchbackPerCard', { level: input.switchbackPerCard }),
    });
  }
  blocks.push({
    type: 'context',
    text: tr(env, 'vote.tally', {
      approve: tally.approve,
      changes: tally.requestChanges,
      abstain: tally.abstain,
      switchback: tally.switchback,
      pending: tally.pending.length,
    }),
  });
  if (!input.closedOutcome) blocks.push({ type: 'actions', actions: voteActions(input, env) });
  blocks.push({
    type: 'context',
    text: tr(env, 'vote.binds', { revision: review.voteRevision ?? card.revision }),
  });
  const voterIds = input.voters.map((voter) => voter.userId).filter((id): id is string => !!id);
  const actionableBy = [...new Set([...voterIds, ...(input.delegates ?? [])])];
  return { kind: 'vote', text: textOf(blocks), blocks, actionableBy, locale: env.locale };
}

function voteActions(input: VoteMessageInput, env: RenderEnv): MessageAction[] {
  const reviewId = input.review.id;
  // Each button carries the revision the message shows: a vote counts only for the card it was cast on.
  const revision = input.review.voteRevision;
  const actions: MessageAction[] = [
    {
      type: 'button',
      actionId: 'vote-approve',
      label: tr(env, 'vote.approve'),
      style: 'primary',
      value: encodeAction({ kind: 'vote', reviewId, choice: 'approve', revision }),
    },
    {
      type: 'button',
      actionId: 'vote-request-changes',
      label: tr(env, 'vote.requestChanges'),
      style: 'danger',
      asksReason: true,
      value: encodeAction({ kind: 'vote', reviewId, choice: 'request-changes', revision }),
    },
    {
      type: 'button',
      actionId: 'vote-abstain',
      label: tr(env, 'vote.abstain'),
      value: encodeAction({ kind: 'vote', reviewId, choice: 'abstain', revision }),
    },
  ];
  if (input.switchbackLevels.length) {
    actions.push({
      type: 'select',
      actionId: 'vote-switchback',
      placeholder: tr(env, 'vote.switchback'),
      asksReason: true,
      options: input.switchbackLevels.map((level) => ({
        label: tr(env, 'vote.switchbackOption', { level, name: levelName(input.flow, level, env.locale) }),
        value: encodeAction({ kind: 'vote', reviewId, choice: 'switchback', level, revision }),
      })),
    });
  }
  return actions;
}

/** Each section's excerpt in the card summary: short enough to scan, the rest is one click away. */
const SUMMARY_CHARS = 280;

/** The card summary posted in the vote's thread: who, what, and the gate's required sections. */
export function renderVoteSummary(
  input: {
    card: Card;
    gate: Gate;
    flow: Flow;
    owners: ResolvedPerson[];
    voters: ResolvedPerson[];
    waivers?: Waiver[];
    /** The card at the voted revision (CARDS_WEB_URL) or its main page: the "Open card" button. */
    cardUrl?: string;
    /** `cardUrl` opens the card file itself (a git source's link), not the project's main page. */
    cardUrlIsCard?: boolean;
  },
  env: RenderEnv,
): OutboundMessage {
  const { card } = input;
  const blocks: MessageBlock[] = [
    {
      type: 'header',
      text: tr(env, 'vote.summaryTitle', { name: card.name, id: card.projectId, level: card.level }),
    },
    {
      type: 'fields',
      fields: [
        {
          label: tr(env, 'vote.summaryOwners'),
          value: cappedInline(
            input.owners.map((p) => p.display),
            env,
          ),
        },
        {
          label: tr(env, 'vote.summaryReviewers'),
          value: cappedInline(
            input.voters.map((p) => p.display),
            env,
          ),
        },
      ],
    },
  ];
  for (const requirement of input.gate.required) {
    const field = card.fields[requirement.key];
    if (!field || ['owners', 'reviewers', 'current-level', 'tech-name'].includes(requirement.key)) continue;
    const excerpt = cardExcerpt(field.text, SUMMARY_CHARS);
    if (excerpt.cut) {
      excerpt.paragraphs.push({
        spans: [{ text: tr(env, 'vote.summaryMore', { file: card.file, line: field.line }), italic: true }],
      });
    }
    blocks.push({ type: 'rich', title: field.label, paragraphs: excerpt.paragraphs });
  }
  if (input.waivers?.length) blocks.push(waiverList(input.waivers, card, env));
  if (input.cardUrl) {
    blocks.push({
      type: 'actions',
      actions: [
        {
          type: 'button',
          actionId: 'open-card',
          label: tr(env, input.cardUrlIsCard ? 'openCardFile' : 'openCard'),
          value: 'open',
          url: input.cardUrl,
        },
      ],
    });
  }
  blocks.push({
    type: 'context',
    text: `${card.file} · ${card.revision} · ${levelName(input.flow, card.level, env.locale)}`,
  });
  // The whole summary as the fallback text: clients without rich rendering still see the card.
  return { kind: 'notice', text: textOf(blocks), blocks, locale: env.locale };
}
