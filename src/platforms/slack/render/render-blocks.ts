import type { types } from '@slack/bolt';
import type { MessageBlock, RichSpan } from '../../../core/messages';
import { renderActionBlocks } from './render-actions';
import { toMrkdwn, toPlainText } from './escape';
import { chunkText, clip, SLACK_LIMITS } from './limits';

/**
 * A rendered Block Kit block with what the budget needs to know: how many list items or parts it
 * carries (counted in "...and N more" when it is left out) and whether it must survive the cut
 * (header, buttons and the closing context line).
 */
export interface RenderedPiece {
  block: types.KnownBlock;
  items: number;
  essential: boolean;
}

/** Files already uploaded for image blocks with PNG bytes, by the image block's index in the message. */
export type UploadedImages = Map<number, string>;

function section(text: string, items = 1): RenderedPiece {
  return { block: { type: 'section', text: { type: 'mrkdwn', text } }, items, essential: false };
}

/** Items as bullet sections of at most 3,000 characters each, so nothing is cut inside a section. */
function renderList(block: Extract<MessageBlock, { type: 'list' }>): RenderedPiece[] {
  const pieces: RenderedPiece[] = [];
  let lines: string[] = block.title ? [`*${toMrkdwn(block.title)}*`] : [];
  let length = lines.join('\n').length;
  let items = 0;
  const flush = () => {
    if (lines.length > 0) pieces.push(section(lines.join('\n'), Math.max(items, 1)));
    lines = [];
    length = 0;
    items = 0;
  };
  for (const item of block.items) {
    const line = clip(`• ${toMrkdwn(item)}`, SLACK_LIMITS.sectionText);
    if (length + line.length + 1 > SLACK_LIMITS.sectionText) flush();
    lines.push(line);
    length += line.length + 1;
    items += 1;
  }
  if (block.more) {
    const more = clip(toMrkdwn(block.more), SLACK_LIMITS.sectionText);
    if (length + more.length + 1 > SLACK_LIMITS.sectionText) flush();
    lines.push(more);
  }
  flush();
  return pieces;
}

/** Card text in Slack's mrkdwn: *bold*, _italic_, `code`, <url|links>, "•" and "1." list lines. */
function richMrkdwn(block: Extract<MessageBlock, { type: 'rich' }>): string {
  const lines = block.title ? [`*${toMrkdwn(block.title)}*`] : [];
  for (const paragraph of block.paragraphs) {
    const marker = paragraph.list === 'ordered' ? `${paragraph.number ?? 1}. ` : paragraph.list ? '• ' : '';
    lines.push(marker + paragraph.spans.map(spanMrkdwn).join(''));
  }
  return lines.join('\n');
}

function spanMrkdwn(span: RichSpan): string {
  // Slack's markers must hug the text: "* a *" is not bold; the spaces go outside them.
  const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(span.text)!;
  if (!core) return span.text;
  let text = span.code ? `\`${core.replace(/`/g, "'")}\`` : toMrkdwn(core);
  if (span.url) text = `<${span.url.replace(/[<>|]/g, encodeURIComponent)}|${text.replace(/\|/g, '¦')}>`;
  if (span.italic && !span.code) text = `_${text}_`;
  if (span.bold && !span.code) text = `*${text}*`;
  return lead + text + trail;
}

function renderFields(block: Extract<MessageBlock, { type: 'fields' }>): RenderedPiece[] {
  const pieces: RenderedPiece[] = [];
  for (let start = 0; start < block.fields.length; start += SLACK_LIMITS.sectionFields) {
    const fields = block.fields.slice(start, start + SLACK_LIMITS.sectionFields).map((field) => ({
      type: 'mrkdwn' as const,
      text: clip(`*${toMrkdwn(field.label)}*\n${toMrkdwn(field.value)}`, SLACK_LIMITS.fieldText),
    }));
    pieces.push({ block: { type: 'section', fields }, items: fields.length, essential: false });
  }
  return pieces;
}

function renderImage(
  block: Extract<MessageBlock, { type: 'image' }>,
  uploadedFileId: string | undefined,
): RenderedPiece {
  const alt = clip(toPlainText(block.alt), SLACK_LIMITS.imageAlt) || 'image';
  if (uploadedFileId) {
    return {
      block: { type: 'image', slack_file: { id: uploadedFileId }, alt_text: alt },
      items: 1,
      essential: false,
    };
  }
  if (block.url && block.url.length <= SLACK_LIMITS.imageUrl) {
    return { block: { type: 'image', image_url: block.url, alt_text: alt }, items: 1, essential: false };
  }
  // No picture Slack can fetch: keep its description, so the reader still learns what it showed.
  return {
    block: {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: clip(toMrkdwn(block.alt), SLACK_LIMITS.contextText) }],
    },
    items: 1,
    essential: false,
  };
}

/** Every neutral block of a message as Block Kit pieces, in order. Pure. */
export function renderBlocks(blocks: MessageBlock[], uploaded: UploadedImages = new Map()): RenderedPiece[] {
  const seenActionIds = new Map<string, number>();
  const pieces: RenderedPiece[] = [];
  blocks.forEach((block, index) => {
    switch (block.type) {
      case 'header': {
        const text = clip(toPlainText(block.text).replace(/\s+/g, ' ').trim(), SLACK_LIMITS.headerText);
        if (text)
          pieces.push({
            block: { type: 'header', text: { type: 'plain_text', text, emoji: true } },
            items: 1,
            essential: true,
          });
        break;
      }
      case 'text':
        for (const chunk of chunkText(toMrkdwn(block.text), SLACK_LIMITS.sectionText))
          pieces.push(section(chunk));
        break;
      case 'fields':
        pieces.push(...renderFields(block));
        break;
      case 'rich':
        for (const chunk of chunkText(richMrkdwn(block), SLACK_LIMITS.sectionText))
          pieces.push(section(chunk));
        break;
      case 'list':
        pieces.push(...renderList(block));
        break;
      case 'context': {
        const text = clip(toMrkdwn(block.text), SLACK_LIMITS.contextText);
        if (text.trim())
          pieces.push({
            block: { type: 'context', elements: [{ type: 'mrkdwn', text }] },
            items: 1,
            essential: false,
          });
        break;
      }
      case 'actions':
        for (const actions of renderActionBlocks(block.actions, seenActionIds)) {
          pieces.push({ block: actions, items: 1, essential: true });
        }
        break;
      case 'image':
        pieces.push(renderImage(block, uploaded.get(index)));
        break;
      case 'divider':
        pieces.push({ block: { type: 'divider' }, items: 0, essential: false });
        break;
    }
  });
  return pieces;
}
