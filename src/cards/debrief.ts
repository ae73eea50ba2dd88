import type { DebriefQuestion } from '../core/card';
import type { CardSynonyms } from '../core/card-synonyms';
import { hasContent, isOnlyPlaceholder } from '../core/placeholders';

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
  /** MLTRL's four questions and their key words in every language the team writes (flows/labels). */
  synonyms: CardSynonyms,
): DebriefQuestion[] {
  const known = synonyms.debrief;
  // Plain loops: this runs for every card, and most debrief lines are answers.
  const found: Hit[] = [];
  const byQuestion: Array<Hit | undefined> = [undefined, undefined, undefined, undefined];
  for (let at = 0; at < lines.length; at++) {
    const index = questionIndex(lines[at], found.length > 0 ? found[found.length - 1].index : -1, known);
    if (index < 0) continue;
    const split = splitQuestion(lines[at].replace(LIST_MARKER, '').replace(/^#+\s*/, ''), synonyms.followUp);
    const hit: Hit = { index, at, question: split.question, inline: split.answer, order: found.length };
    found.push(hit);
    byQuestion[index] = hit;
  }

  const questions: DebriefQuestion[] = [];
  for (let index = 0; index < known.length; index++) {
    const hit = byQuestion[index];
    if (!hit) {
      const question = known[index].question;
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
function questionIndex(line: string, previous: number, known: CardSynonyms['debrief']): number {
  // Most lines are answers: skip them before any regex work.
  if (!line.includes('?') && !line.includes('**') && !line.includes('__') && !line.includes('#')) return -1;
  const body = line.replace(LIST_MARKER, '');
  const head = body.includes('?') ? body.slice(0, body.indexOf('?')) : body;
  if (head.length > 120) return -1;
  const isQuestionShaped = body.includes('?') || /^\s*[*_]{2}/.test(body) || /^#{1,6}\s/.test(body);
  if (!isQuestionShaped) return -1;
  for (let index = previous + 1; index < known.length; index++) {
    if (known[index].match.test(head)) return index;
  }
  return -1;
}

function splitQuestion(body: string, followUp: RegExp | undefined): { question: string; answer: string } {
  const mark = body.indexOf('?');
  if (mark < 0) return { question: body.replace(/[*_]/g, '').trim(), answer: '' };
  // "What tech debt was gained? Mitigated?" keeps its second short question.
  let end = mark + 1;
  const second = followUp?.exec(body.slice(end));
  if (second) end += second[0].length;
  const closing = /^[*_]+/.exec(body.slice(end));
  if (closing) end += closing[0].length;
  return { question: body.slice(0, end).replace(/[*_]/g, '').trim(), answer: body.slice(end).trim() };
}
