import type { DebriefQuestion } from '../core/card';
import { hasContent, isOnlyPlaceholder } from '../core/placeholders';

/** MLTRL's four stage-debrief questions, recognised by their key words in any wording. */
const QUESTIONS: Array<{ question: string; pattern: RegExp }> = [
  { question: 'What was accomplished, and by whom?', pattern: /accomplish|achiev/i },
  { question: 'What was punted and/or de-scoped?', pattern: /punted|de-?scoped|descop|postponed/i },
  { question: 'What was learned?', pattern: /\blearn(ed|t)?\b|lessons?/i },
  { question: 'What tech debt was gained? Mitigated?', pattern: /tech(nical)?\s+debt/i },
];

const LIST_MARKER = /^\s*(?:>\s*)?(?:\d+[.)]|[-*+])?\s*/;

/**
 * Reads the debrief section line by line: a line naming a question starts it; its answer is the rest of
 * that line after the question mark plus the lines up to the next question. Questions that are missing
 * are listed as unanswered at `fallbackLine` (the section heading, or the title when there is no section).
 */
export function parseDebrief(
  lines: readonly string[],
  firstLine: number,
  fallbackLine: number,
  placeholders: readonly RegExp[],
): DebriefQuestion[] {
  // Plain loops: this runs for every card, and most debrief lines are answers.
  const found: Hit[] = [];
  const byQuestion: Array<Hit | undefined> = [undefined, undefined, undefined, undefined];
  for (let at = 0; at < lines.length; at++) {
    const index = questionIndex(lines[at], found.length > 0 ? found[found.length - 1].index : -1);
    if (index < 0) continue;
    const split = splitQuestion(lines[at].replace(LIST_MARKER, '').replace(/^#+\s*/, ''));
    const hit: Hit = { index, at, question: split.question, inline: split.answer, order: found.length };
    found.push(hit);
    byQuestion[index] = hit;
  }

  const questions: DebriefQuestion[] = [];
  for (let index = 0; index < QUESTIONS.length; index++) {
    const hit = byQuestion[index];
    if (!hit) {
      const question = QUESTIONS[index].question;
      questions.push({ number: index + 1, question, answer: '', answered: false, line: fallbackLine });
      continue;
    }
    const end = hit.order + 1 < found.length ? found[hit.order + 1].at : lines.length;
    let answer = hit.inline;
    for (let at = hit.at + 1; at < end; at++) answer += `\n${lines[at]}`;
    answer = answer.trim();
    const answered = hasContent(answer) && !isOnlyPlaceholder(answer, placeholders);
    questions.push({ number: index + 1, question: hit.question, answer, answered, line: firstLine + hit.at });
  }
  return questions;
}

interface Hit {
  index: number;
  at: number;
  question: string;
  inline: string;
  order: number;
}

/** Which question a line asks, if it looks like a question line (short, or ending at a "?"). */
function questionIndex(line: string, previous: number): number {
  // Most lines are answers: skip them before any regex work.
  if (!line.includes('?') && !line.includes('**') && !line.includes('__') && !line.includes('#')) return -1;
  const body = line.replace(LIST_MARKER, '');
  const head = body.includes('?') ? body.slice(0, body.indexOf('?')) : body;
  if (head.length > 120) return -1;
  const isQuestionShaped = body.includes('?') || /^\s*[*_]{2}/.test(body) || /^#{1,6}\s/.test(body);
  if (!isQuestionShaped) return -1;
  for (let index = previous + 1; index < QUESTIONS.length; index++) {
    if (QUESTIONS[index].pattern.test(head)) return index;
  }
  return -1;
}

function splitQuestion(body: string): { question: string; answer: string } {
  const mark = body.indexOf('?');
  if (mark < 0) return { question: body.replace(/[*_]/g, '').trim(), answer: '' };
  // "What tech debt was gained? Mitigated?" keeps its second short question.
  let end = mark + 1;
  const second = /^\s*[*_]*\s*(mitigated|and by who(m)?)\s*\?/i.exec(body.slice(end));
  if (second) end += second[0].length;
  const closing = /^[*_]+/.exec(body.slice(end));
  if (closing) end += closing[0].length;
  return { question: body.slice(0, end).replace(/[*_]/g, '').trim(), answer: body.slice(end).trim() };
}
