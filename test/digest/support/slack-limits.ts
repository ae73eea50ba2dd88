import type { OutboundMessage } from '../../../src/core/messages';

/**
 * Slack's published message limits, checked on the neutral message (each block renders to at most one
 * Block Kit block, a list to one section): at most 50 blocks, section / context text at most 3,000
 * characters, header text at most 150, image alt text at most 2,000, fields at most 10 of 2,000 each,
 * the notification text well under 40,000 (we keep it under 4,000 as Slack recommends).
 */
export function slackLimitProblems(message: OutboundMessage): string[] {
  const problems: string[] = [];
  if (message.blocks.length > 50) problems.push(`${message.blocks.length} blocks (max 50)`);
  if (message.text.length > 4000) problems.push(`text fallback ${message.text.length} chars (max 4,000)`);
  message.blocks.forEach((block, index) => {
    const at = `block ${index} (${block.type})`;
    switch (block.type) {
      case 'header':
        if (block.text.length > 150) problems.push(`${at}: ${block.text.length} chars (max 150)`);
        break;
      case 'text':
      case 'context':
        if (block.text.length > 3000) problems.push(`${at}: ${block.text.length} chars (max 3,000)`);
        break;
      case 'list': {
        const rendered = [
          block.title ?? '',
          ...block.items.map((item) => `• ${item}`),
          block.more ?? '',
        ].join('\n');
        if (rendered.length > 3000) problems.push(`${at}: ${rendered.length} chars (max 3,000)`);
        break;
      }
      case 'fields':
        if (block.fields.length > 10) problems.push(`${at}: ${block.fields.length} fields (max 10)`);
        for (const field of block.fields) {
          if (field.label.length + field.value.length + 1 > 2000)
            problems.push(`${at}: a field over 2,000 chars`);
        }
        break;
      case 'image':
        if (block.alt.length > 2000) problems.push(`${at}: alt ${block.alt.length} chars (max 2,000)`);
        if (!block.pngBase64 && !block.url) problems.push(`${at}: neither pngBase64 nor url`);
        break;
      default:
        break;
    }
  });
  return problems;
}
