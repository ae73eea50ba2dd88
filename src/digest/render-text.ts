import { mapMessageText, plainTimes, type OutboundMessage } from '../core/messages';

/**
 * A neutral message as terminal text (the CLI preview): headers, indented bullet lists with their
 * "...and N more" line, text, context. Images become their alt text in brackets; times their fallback.
 */
export function renderMessageText(message: OutboundMessage): string {
  const lines: string[] = [];
  // A terminal has no reader's zone: times as their fallback, which names the zone.
  for (const block of mapMessageText(message, plainTimes).blocks) {
    switch (block.type) {
      case 'header':
        lines.push(block.text, '');
        break;
      case 'text':
        lines.push(block.text, '');
        break;
      case 'list':
        if (block.title) lines.push(block.title);
        for (const item of block.items) lines.push(`  • ${item}`);
        if (block.more) lines.push(`  • ${block.more}`);
        lines.push('');
        break;
      case 'fields':
        for (const field of block.fields) lines.push(`${field.label}: ${field.value}`);
        lines.push('');
        break;
      case 'context':
        lines.push(block.text, '');
        break;
      case 'image':
        lines.push(`[chart: ${block.alt}]`, '');
        break;
      case 'divider':
        lines.push('---', '');
        break;
      case 'actions':
        lines.push(
          block.actions
            .map((action) => `[${action.type === 'button' ? action.label : action.placeholder}]`)
            .join('  '),
          '',
        );
        break;
    }
  }
  return lines.join('\n').trimEnd() + '\n';
}
