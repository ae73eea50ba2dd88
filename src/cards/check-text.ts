import { levelInfo } from '../core/flow';
import type { Gap } from '../core/gaps';
import { gapReasonText } from '../core/render/gap-report';
import type { Translate } from '../core/ports';
import type { CheckResult } from './check-cards';

/** `cards check` as text for a terminal: per card its project, level, gate and gaps; then skips, errors, a summary. */
export function checkToText(result: CheckResult, t: Translate, displayPath: (file: string) => string): string {
  const out: string[] = [];
  for (const { card, flow, report, system } of result.checks) {
    out.push(
      t('cards:check.cardLine', {
        mark: report.ok ? '✓' : '✗',
        file: displayPath(card.file),
        projectId: card.projectId,
        name: card.name,
        level: card.level,
        levelName: levelInfo(flow, card.level)?.name ?? '',
      }),
    );
    const counts = { required: report.required.length, recommended: report.recommended.length };
    const status =
      counts.required > 0
        ? t('cards:check.missingCount', counts)
        : counts.recommended > 0
          ? t('cards:check.readyButRecommended', counts)
          : t('cards:check.ready');
    const recurring = report.gate.from === report.gate.to ? t('cards:check.recurring') : '';
    out.push(`    ${t('cards:check.gateLine', { ...report.gate, recurring, status })}`);
    if (system.heldBy) {
      const component = `${system.heldBy.projectId} ${system.heldBy.name}`.trim();
      out.push(`    ${t('cards:check.systemLevel', { system: system.level, component })}`);
    }
    if (system.unknown.length) out.push(`    ${t('cards:check.unknownComponents', { components: system.unknown.join(', ') })}`);
    for (const cycle of system.cycles) out.push(`    ${t('cards:check.componentCycle', { cycle: cycle.join(' -> ') })}`);
    for (const gap of report.required) out.push(`      ${gapLine(gap, 'required', t)}`);
    for (const gap of report.recommended) out.push(`      ${gapLine(gap, 'recommended', t)}`);
  }
  for (const skip of result.skipped) {
    out.push(t('cards:check.skippedLine', { file: displayPath(skip.file), reason: skip.reason }));
  }
  for (const error of result.errors) {
    const line = error.line !== undefined ? t('cards:check.errorAtLine', { line: error.line }) : '';
    out.push(t('cards:check.errorLine', { message: error.message, line }));
  }
  const ready = result.checks.filter((check) => check.report.ok).length;
  out.push(
    '',
    t('cards:check.summary', {
      cards: t('cards:check.cardCount', { count: result.checks.length }),
      ready,
      gaps: result.checks.length - ready,
      errors: t('cards:check.errorCount', { count: result.errors.length }),
      skipped: t('cards:check.skippedCount', { count: result.skipped.length }),
    }),
  );
  return out.join('\n');
}

function gapLine(gap: Gap, kind: 'required' | 'recommended', t: Translate): string {
  return t('cards:check.gapLine', {
    kind: t(`cards:check.kind.${kind}`),
    label: gap.label,
    key: gap.key,
    line: gap.line !== undefined ? t('cards:check.atLine', { line: gap.line }) : '',
    reason: gapReasonText(gap, (key, params) => t(`cards:check.${key}`, params)),
  });
}
