import type { Card } from '../card';
import type { Review } from '../engine/store-ports';
import { levelName, type Flow } from '../flow';
import type { Gap, GapReport, Waiver } from '../gap-types';
import type { MessageAction, MessageBlock, OutboundMessage } from '../messages';
import type { ResolvedPerson } from '../people-resolver';
import { checklistSummary } from '../ethics-checklist';
import type { SystemLevel } from '../system-level';
import { encodeAction } from './action-values';
import { systemLevelLines } from './system-level';
import { cappedInline, cappedList, formatWhen, gapLabel, textOf, tr, type RenderEnv } from './format';

/** "Code repo & docs: still the template text (line 12)" */
export function gapLine(gap: Gap, env: RenderEnv): string {
  const reason = gapReasonText(gap, (key, params) => tr(env, key, params));
  return gap.line === undefined
    ? `${gapLabel(gap, env)}: ${reason}`
    : `${gapLabel(gap, env)}: ${reason} (${tr(env, 'line', { line: gap.line })})`;
}

/** The reason in words; checklist reasons are composed from their counts and parts. */
export function gapReasonText(
  gap: Gap,
  say: (key: string, params?: Record<string, string | number>) => string,
): string {
  if (gap.checklist) return checklistSummary(gap.checklist, (key, params) => say(`checklist.${key}`, params));
  if (gap.reason === 'checklist-missing' && gap.params) {
    return say('reason.checklist-missing', {
      path: gap.params.path,
      problem: say(`checklist.problem.${gap.params.problem}`),
    });
  }
  return say(`reason.${gap.reason}`, gap.params);
}

export function gateText(
  flow: Flow,
  gate: { from: number; to: number },
  env: RenderEnv,
  named = true,
): string {
  const name = levelName(flow, gate.to, env.locale);
  // Only the two levels: a whole gate (its rules and sections) as parameters would be translated anew each time.
  const { from, to } = gate;
  return named && name ? tr(env, 'gateNamed', { from, to, name }) : tr(env, 'gate', { from, to });
}

export function cardActions(
  input: { projectId: string; reviewId?: string; cardUrl?: string; snoozeDays: number },
  env: RenderEnv,
): MessageAction[] {
  const actions: MessageAction[] = [];
  if (input.cardUrl) {
    actions.push({
      type: 'button',
      actionId: 'open-card',
      label: tr(env, 'openCard'),
      value: 'open',
      url: input.cardUrl,
    });
  }
  actions.push({
    type: 'button',
    actionId: 'snooze',
    label: tr(env, input.snoozeDays >= 7 ? 'snoozeWeek' : 'snooze3'),
    value: encodeAction({
      kind: 'snooze',
      projectId: input.projectId,
      days: input.snoozeDays,
      reviewId: input.reviewId,
    }),
  });
  return actions;
}

export interface GapReportInput {
  review: Review;
  card: Card;
  flow: Flow;
  report: GapReport;
  owners: ResolvedPerson[];
  /** Everyone named on the card who could not be resolved on this platform. */
  unresolved: string[];
  waivers: Waiver[];
  /** The system level through coupled components, when the card names any. */
  system?: SystemLevel;
  nextReminder?: Date;
  cardUrl?: string;
}

/** The reply to `/mltrl review R07.2` while the card still lacks what the gate requires (UX.md). */
export function renderGapReport(input: GapReportInput, env: RenderEnv): OutboundMessage {
  const { review, card, report } = input;
  const blocks: MessageBlock[] = [
    {
      type: 'header',
      text: tr(env, 'gapReport.title', {
        name: card.name,
        id: card.projectId,
        gate: gateText(input.flow, review.gate, env),
      }),
    },
    {
      type: 'context',
      text: tr(env, 'gapReport.requested', { who: mentionOf(review.requestedBy), flow: input.flow.name }),
    },
  ];
  for (const line of systemLevelLines(input.system, env)) blocks.push({ type: 'context', text: line });
  if (report.required.length) {
    blocks.push(
      cappedList(
        report.required.map((gap) => gapLine(gap, env)),
        env,
        { title: tr(env, 'gapReport.needs') },
      ),
    );
  } else {
    blocks.push({ type: 'text', text: tr(env, 'gapReport.complete') });
  }
  if (report.recommended.length) {
    blocks.push(
      cappedList(
        report.recommended.map((gap) => gapLine(gap, env)),
        env,
        { title: tr(env, 'gapReport.recommended') },
      ),
    );
  }
  if (input.waivers.length) blocks.push(waiverList(input.waivers, card, env));
  if (report.required.length) {
    const owners = cappedInline(
      input.owners.map((owner) => owner.display),
      env,
    );
    blocks.push({
      type: 'text',
      text: input.nextReminder
        ? tr(env, 'gapReport.owners', { owners, next: formatWhen(input.nextReminder, env) })
        : tr(env, 'gapReport.ownersNoNext', { owners }),
    });
  }
  if (input.unresolved.length) {
    blocks.push({
      type: 'context',
      text: tr(env, 'gapReport.unresolved', { names: cappedInline(input.unresolved, env) }),
    });
  }
  blocks.push({
    type: 'actions',
    actions: cardActions(
      { projectId: card.projectId, reviewId: input.review.id, cardUrl: input.cardUrl, snoozeDays: 7 },
      env,
    ),
  });
  blocks.push({
    type: 'context',
    text: tr(env, 'gapReport.footer', { file: card.file, revision: card.revision }),
  });
  return { kind: 'gap-report', text: textOf(blocks), blocks, locale: env.locale };
}

/**
 * The waived sections of a gate, each with who waived it, until when and why: shown wherever the gate
 * is (gap report, vote message and its thread, status), so a waiver is never invisible.
 */
export function waiverList(waivers: Waiver[], card: Card, env: RenderEnv) {
  const lines = waivers.map((waiver) =>
    tr(env, 'gapReport.waiver', {
      label: card.fields[waiver.key]?.label ?? waiver.key,
      until: formatWhen(waiver.until, env),
      by: waiver.by,
      reason: waiver.reason,
    }),
  );
  return cappedList(lines, env, { title: tr(env, 'gapReport.waived') });
}

export function mentionOf(person: { userId: string; name?: string; platform: string }): string {
  return person.userId ? `<@${person.userId}>` : (person.name ?? '?');
}
