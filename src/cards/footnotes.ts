import type { ExtraField } from '../core/card';

/**
 * Footnote definitions (`[^1]: Note the ID convention ...`, with indented continuation lines) anywhere on
 * the card outside code blocks. They are lifted out as notes and blanked in the text, line for line, so
 * they are never read as a section's content, a table row or a TL;DR, and every other line keeps its number.
 */
export function liftFootnotes(text: string): { text: string; notes: ExtraField[] } {
  if (!text.includes('[^')) return { text, notes: [] };
  const lines = text.split('\n');
  const notes: ExtraField[] = [];
  let fence: string | undefined;
  let note: ExtraField | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      if (!fence) fence = fenceMatch[1][0];
      else if (fenceMatch[1][0] === fence) fence = undefined;
      note = undefined;
      continue;
    }
    if (fence) continue;
    const definition = /^\s{0,3}\[\^([^\]\s]+)\]:\s?(.*)$/.exec(line);
    if (definition) {
      note = { label: `^${definition[1]}`, text: definition[2].trim(), line: index + 1, kind: 'note' };
      notes.push(note);
      lines[index] = '';
    } else if (note && /^(?:\s{2,}|\t)\S/.test(line)) {
      note.text = `${note.text}\n${line.trim()}`.trim();
      lines[index] = '';
    } else if (line.trim() !== '') {
      note = undefined;
    }
  }
  return { text: lines.join('\n'), notes };
}
