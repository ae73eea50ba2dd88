import type { Card } from '../card';
import type { Review, Snooze } from '../engine/store-ports';
import { levelName, type Flow } from '../flow';
import type { GapReport } from '../gap-types';
import type { MessageBlock, OutboundMessage } from '../messages';
import { cappedList, formatDateTime, formatWhen, textOf, tr, type RenderEnv } from './format';
import type { SystemLevel } from '../system-level';
import { gapLine, gateText, waiverList } from './gap-report';
import type { Waiver } from '../gap-types';
import { systemLevelLines } from './system-level';

export interface StatusInput {
  card: Card;
  flow: Flow;
  level: number;
  recordedLevel?: number;
  open?: Review;
  /** A line shown under the title, e.g. "The 3 -> 4 review of R07.2 is already open (gaps)." */
  notice?: string;
  report?: GapReport;
  /** The system level through coupled components, when the card names any. */
  system?: SystemLevel;
  /** "@priya approved" lines, when voting. */
  voterLines: string[];
  lastClosed?: Review;
  snooze?: Snooze;
  nextGate?: { from: number; to: number };
  /** Sections waived for the open (or next) gate. */
  waivers?: Waiver[];
  /** Where the flow came from (card row, channel choice, default). */
  flowSource?: 'card' | 'channel' | 'default';
}

/** `status <project>`, only to the caller (UX.md). */
export function renderStatus(input: StatusInput, env: RenderEnv): OutboundMessage {
  const { card, flow, open } = input;
  const blocks: MessageBlock[] = [
    {
      type: 'header',
      text: tr(env, 'statusView.title', {
        id: card.projectId,
        name: card.name,
        level: input.level,
        levelName: levelName(flow, input.level, env.locale),
      }),
    },
  ];
  if (input.notice) blocks.push({ type: 'text', text: input.notice });
  for (const line of systemLevelLines(input.system, env)) blocks.push({ type: 'text', text: line });
  if (!open) {
    if (input.nextGate)
      blocks.push({
        type: 'text',
        text: tr(env, 'statusView.noReview', { gate: gateText(flow, input.nextGate, env) }),
      });
  } else if (open.phase === 'gaps') {
    blocks.push({
      type: 'text',
      text: tr(env, 'statusView.phaseGaps', {
        gate: gateText(flow, open.gate, env),
        since: formatDateTime(open.openedAt, env),
      }),
    });
  } else {
    blocks.push({
      type: 'text',
      text: tr(env, 'statusView.phaseVoting', {
        gate: gateText(flow, open.gate, env),
        since: formatDateTime(open.voteOpenedAt ?? open.openedAt, env),
        deadline: open.voteDeadline ? formatWhen(open.voteDeadline, env) : '-',
      }),
    });
  }
  if (input.report?.required.length) {
    blocks.push(
      cappedList(
        input.report.required.map((gap) =>
          gap.firstSeen
            ? tr(env, 'statusView.gapSince', {
                gap: gapLine(gap, env),
                since: formatWhen(gap.firstSeen, env),
              })
            : gapLine(gap, env),
        ),
        env,
        { title: tr(env, 'statusView.gaps') },
      ),
    );
  }
  if (input.voterLines.length)
    blocks.push(cappedList(input.voterLines, env, { title: tr(env, 'statusView.votes') }));
  if (input.waivers?.length) blocks.push(waiverList(input.waivers, card, env));
  if (input.snooze)
    blocks.push({
      type: 'context',
      text: tr(env, 'statusView.snoozed', { until: formatWhen(input.snooze.until, env) }),
    });
  if (input.lastClosed?.outcome && input.lastClosed.closedAt) {
    blocks.push({
      type: 'context',
      text: tr(env, 'statusView.lastOutcome', {
        outcome: tr(env, `outcomeWord.${input.lastClosed.outcome}`),
        when: formatDateTime(input.lastClosed.closedAt, env),
      }),
    });
  }
  if (input.recordedLevel !== undefined && input.recordedLevel !== card.level) {
    blocks.push({
      type: 'context',
      text: tr(env, 'statusView.levels', { recorded: input.recordedLevel, stated: card.level }),
    });
  }
  const source = tr(env, `statusView.flowSource.${input.flowSource ?? 'default'}`);
  blocks.push({
    type: 'context',
    text: `${tr(env, 'statusView.card', { file: card.file, revision: card.revision })} · ${tr(env, 'statusView.flow', { flow: flow.name, source })}`,
  });
  return { kind: 'status', text: textOf(blocks), blocks, locale: env.locale };
}
