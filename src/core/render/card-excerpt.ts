import MarkdownIt from 'markdown-it';
import type { RichParagraph, RichSpan } from '../messages';

/**
 * A card section's markdown as rich paragraphs (lists, links, emphasis, code), cut to a short excerpt at
 * a sentence end when one is close, else at a word boundary, with "…" where it was cut. Headings, tables,
 * images and HTML are not card summary material: their text reads as plain paragraphs.
 */
const markdown = new MarkdownIt('zero', { linkify: true }).enable([
  'paragraph',
  'list',
  'emphasis',
  'link',
  'linkify',
  'autolink',
  'backticks',
  'newline',
]);

type Token = MarkdownIt.Token;

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

export function cardExcerpt(text: string, maxChars: number): { paragraphs: RichParagraph[]; cut: boolean } {
  const paragraphs = parseParagraphs(text);
  let left = maxChars;
  const kept: RichParagraph[] = [];
  for (const paragraph of paragraphs) {
    const length = lengthOf(paragraph);
    if (length <= left) {
      kept.push(paragraph);
      left -= length;
      continue;
    }
    // Too short a remainder for a readable piece: stop before this paragraph.
    if (left >= 40 || kept.length === 0) kept.push({ ...paragraph, spans: cutSpans(paragraph.spans, left) });
    else if (kept.length > 0) markCut(kept[kept.length - 1]);
    return { paragraphs: kept, cut: true };
  }
  return { paragraphs: kept, cut: false };
}

function parseParagraphs(text: string): RichParagraph[] {
  const tokens = markdown.parse(text, {});
  const paragraphs: RichParagraph[] = [];
  const lists: Array<{ kind: 'bullet' | 'ordered'; next: number }> = [];
  let item: { kind: 'bullet' | 'ordered'; number: number } | undefined;
  for (const token of tokens) {
    if (token.type === 'bullet_list_open') lists.push({ kind: 'bullet', next: 1 });
    else if (token.type === 'ordered_list_open')
      lists.push({ kind: 'ordered', next: Number(token.attrGet('start') ?? 1) });
    else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') lists.pop();
    else if (token.type === 'list_item_open') {
      const list = lists[lists.length - 1];
      item = list && { kind: list.kind, number: list.next++ };
    } else if (token.type === 'inline') {
      const spans = spansOf(token.children ?? []);
      if (spans.length === 0) continue;
      const paragraph: RichParagraph = { spans };
      if (item) {
        paragraph.list = item.kind;
        if (item.kind === 'ordered') paragraph.number = item.number;
        item = undefined; // a second paragraph in the same item reads as a plain line under it
      }
      paragraphs.push(paragraph);
    }
  }
  return paragraphs;
}

function spansOf(children: Token[]): RichSpan[] {
  const spans: RichSpan[] = [];
  let bold = 0;
  let italic = 0;
  let url: string | undefined;
  const push = (text: string, code = false) => {
    if (!text) return;
    const span: RichSpan = { text };
    if (bold) span.bold = true;
    if (italic) span.italic = true;
    if (code) span.code = true;
    if (url) span.url = url;
    const last = spans[spans.length - 1];
    if (last && sameStyle(last, span)) last.text += text;
    else spans.push(span);
  };
  for (const child of children) {
    switch (child.type) {
      case 'strong_open':
        bold += 1;
        break;
      case 'strong_close':
        bold -= 1;
        break;
      case 'em_open':
        italic += 1;
        break;
      case 'em_close':
        italic -= 1;
        break;
      case 'link_open': {
        const href = String(child.attrGet('href') ?? '');
        url = SAFE_URL.test(href) ? href : undefined;
        break;
      }
      case 'link_close':
        url = undefined;
        break;
      case 'code_inline':
        push(child.content, true);
        break;
      case 'softbreak':
      case 'hardbreak':
        push(' ');
        break;
      default:
        push(child.content);
    }
  }
  if (spans.length > 0) spans[spans.length - 1].text = spans[spans.length - 1].text.trimEnd();
  return spans.filter((span) => span.text);
}

function sameStyle(a: RichSpan, b: RichSpan): boolean {
  return a.bold === b.bold && a.italic === b.italic && a.code === b.code && a.url === b.url;
}

function lengthOf(paragraph: RichParagraph): number {
  return paragraph.spans.reduce((sum, span) => sum + span.text.length, 0);
}

/**
 * The spans cut to `max` characters: at the last sentence end in the second half, else the last space,
 * never inside a link's text (a link is kept whole or dropped).
 */
function cutSpans(spans: RichSpan[], max: number): RichSpan[] {
  const plain = spans.map((span) => span.text).join('');
  const limit = Math.max(max, 1);
  const head = plain.slice(0, limit);
  const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf('! '), head.lastIndexOf('? '));
  const space = head.lastIndexOf(' ');
  const at = sentence >= limit / 2 ? sentence + 1 : space > 0 ? space : limit;
  const kept: RichSpan[] = [];
  let used = 0;
  for (const span of spans) {
    if (used >= at) break;
    const room = at - used;
    if (span.text.length <= room) kept.push({ ...span });
    else if (!span.url) kept.push({ ...span, text: span.text.slice(0, room).trimEnd() });
    used += span.text.length;
  }
  const result = kept.filter((span) => span.text);
  markCut({ spans: result });
  return result;
}

/** Ends the paragraph with "…" (after its last character, outside code and links). */
function markCut(paragraph: RichParagraph): void {
  const last = paragraph.spans[paragraph.spans.length - 1];
  if (last && !last.code && !last.url) last.text = `${last.text.replace(/[\s.,;:]+$/, '')}…`;
  else paragraph.spans.push({ text: '…' });
}
