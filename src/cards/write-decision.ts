import type { CardDecision } from '../core/ports';
import { isCardError } from './card-error';
import { parseCard } from './parse-card';

const marker = (reviewId: string) => `<!-- mltrl-bot decision ${reviewId} -->`;

export type DecisionEdit =
  | { ok: true; text: string }
  | { ok: false; reason: 'already-recorded' | 'not-a-card' | 'no-level-cell' };

/**
 * The card with the decision written in, every other byte as it was: the number in the "Current Level"
 * cell becomes the new level, and a dated decision record is appended at the end of the stage debrief
 * section (or of the file when the card has none). A card that already holds this review's record is
 * left alone, so a retried write-back never records twice.
 */
export function writeDecision(text: string, decision: CardDecision): DecisionEdit {
  if (text.includes(marker(decision.reviewId))) return { ok: false, reason: 'already-recorded' };
  const card = parseCard(text, decision.file);
  if (isCardError(card)) return { ok: false, reason: 'not-a-card' };
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(newline);
  const levelLine = card.fields['current-level']?.line;
  if (!levelLine) return { ok: false, reason: 'no-level-cell' };
  const row = lines[levelLine - 1]!;
  // The cell after the label: the first number in it is the level (links to prior cards stay as they are).
  const cellStart = row.indexOf('|', row.indexOf('|') + 1) + 1;
  const cell = row.slice(cellStart);
  if (cellStart <= 0 || !/\d/.test(cell)) return { ok: false, reason: 'no-level-cell' };
  const updated = cell.replace(/\d+/, String(decision.level));
  lines[levelLine - 1] = row.slice(0, cellStart) + updated;

  const debrief = card.fields['stage-debrief']?.line;
  let insertAt = lines.length;
  if (debrief) {
    const depth = /^(#+)/.exec(lines[debrief - 1]!)?.[1]?.length ?? 3;
    const next = lines.findIndex((line, index) => index >= debrief && /^(#+)\s/.exec(line) !== null && /^(#+)/.exec(line)![1]!.length <= depth);
    insertAt = next < 0 ? lines.length : next;
  }
  // Keep the blank lines that end the section (or the file's final newline) after the record.
  while (insertAt > 0 && lines[insertAt - 1] === '') insertAt--;
  lines.splice(insertAt, 0, '', ...recordLines(decision));
  return { ok: true, text: lines.join(newline) };
}

function recordLines(decision: CardDecision): string[] {
  const date = decision.at.slice(0, 10);
  const result =
    decision.outcome === 'advanced'
      ? `advanced to level ${decision.level}`
      : `switched back to level ${decision.level}`;
  const where = decision.threadUrl ?? `${decision.conversationId}, review ${decision.reviewId}`;
  const votes = decision.votes.map((vote) => {
    const target = vote.switchbackTo !== undefined ? ` to level ${vote.switchbackTo}` : '';
    const reason = vote.reason ? `: "${vote.reason.replace(/\s+/g, ' ')}"` : '';
    return `- ${vote.voter}: ${vote.choice}${target}${reason}`;
  });
  return [
    marker(decision.reviewId),
    `**Gate ${decision.gate.from} -> ${decision.gate.to}, ${date}: ${result}.** Voted on card revision ` +
      `${decision.revision}; vote thread: ${where}.`,
    '',
    ...(votes.length ? votes : ['- (no votes)']),
  ];
}
