import type { Translate } from '../core/ports';
import type { CheckResult } from './check-cards';
import type { Gap } from '../core/gaps';
import { gapReasonText } from '../core/render/gap-report';

/**
 * `cards check --format github`: one workflow command per gap and per broken card, so the pull request
 * shows each on its own line. Required gaps and unreadable cards are errors, recommended gaps warnings.
 */
export function checkToGithub(result: CheckResult, t: Translate, displayPath: (file: string) => string): string {
  const out: string[] = [];
  for (const { card, report } of result.checks) {
    const file = displayPath(card.file);
    const title = `${card.projectId}: gate ${report.gate.from} -> ${report.gate.to}`;
    for (const [kind, gaps] of [['error', report.required], ['warning', report.recommended]] as const) {
      for (const gap of gaps) {
        out.push(annotation(kind, { file, line: gap.line ?? card.titleLine, title }, gapText(gap, t)));
      }
    }
  }
  for (const error of result.errors) {
    out.push(annotation('error', { file: displayPath(error.file), line: error.line ?? 1, title: 'card' }, error.message));
  }
  return out.join('\n');
}

/** "Testing status (testing-status): empty" */
function gapText(gap: Gap, t: Translate): string {
  return `${gap.label} (${gap.key}): ${gapReasonText(gap, (key, params) => t(`cards:check.${key}`, params))}`;
}

/** `::error file=a.md,line=3,title=...::message`, escaped as GitHub's workflow commands expect. */
function annotation(kind: string, props: { file: string; line: number; title: string }, message: string): string {
  const data = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (text: string) => data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const list = `file=${prop(props.file)},line=${props.line},title=${prop(props.title)}`;
  return `::${kind} ${list}::${data(message)}`;
}

/**
 * `cards check --format junit`: JUnit XML, one test case per card (failed when required gaps remain, with
 * each gap and its line) and one erroring case per file that could not be read.
 */
export function checkToJunit(result: CheckResult, t: Translate, displayPath: (file: string) => string): string {
  const cases: string[] = [];
  let failures = 0;
  for (const { card, report } of result.checks) {
    const file = displayPath(card.file);
    const name = `${card.projectId} ${card.name}: gate ${report.gate.from} -> ${report.gate.to}`;
    const open = `    <testcase classname="${xml(file)}" name="${xml(name)}" file="${xml(file)}" line="${card.titleLine}"`;
    if (report.ok) {
      const notes = report.recommended.map((gap) => gapText(gap, t));
      cases.push(notes.length ? `${open}>\n      <system-out>${xml(notes.join('\n'))}</system-out>\n    </testcase>` : `${open}/>`);
      continue;
    }
    failures++;
    const lines = report.required.map((gap) => `${file}:${gap.line ?? card.titleLine}: ${gapText(gap, t)}`);
    const message = `${report.required.length} required section(s) missing for gate ${report.gate.from} -> ${report.gate.to}`;
    cases.push(
      `${open}>\n      <failure message="${xml(message)}" type="gaps">${xml(lines.join('\n'))}</failure>\n    </testcase>`,
    );
  }
  for (const error of result.errors) {
    const file = displayPath(error.file);
    cases.push(
      `    <testcase classname="${xml(file)}" name="${xml(file)}" file="${xml(file)}" line="${error.line ?? 1}">\n` +
        `      <error message="${xml(error.message)}" type="${xml(error.code)}"/>\n    </testcase>`,
    );
  }
  const counts = `tests="${cases.length}" failures="${failures}" errors="${result.errors.length}" skipped="0"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mltrl-bot cards check" ${counts}>`,
    `  <testsuite name="cards" ${counts}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n');
}

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Characters XML 1.0 cannot hold at all.
    .replace(/\p{Cc}/gu, (char) => (char === '\n' || char === '\t' || char === '\r' ? char : ''));
}
