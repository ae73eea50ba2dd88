import type { MessageAction, OutboundMessage } from '../../core/messages';

/**
 * The action of a message that matches a click: a button with this id and value, or a select with this
 * id offering this value. Link buttons send nothing back, so they never match.
 */
export function findAction(
  message: OutboundMessage,
  actionId: string,
  value: string,
): MessageAction | undefined {
  for (const block of message.blocks) {
    if (block.type !== 'actions') continue;
    for (const action of block.actions) {
      if (action.actionId !== actionId) continue;
      if (action.type === 'button' && !action.url && action.value === value) return action;
      if (action.type === 'select' && action.options.some((option) => option.value === value)) return action;
    }
  }
  return undefined;
}
