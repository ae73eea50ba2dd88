import type { types } from '@slack/bolt';
import type { MessageAction } from '../../../core/messages';
import { renderActionId } from './action-ids';
import { toPlainText } from './escape';
import { clip, SLACK_LIMITS } from './limits';

type ActionElement = types.Button | types.StaticSelect;

/**
 * One neutral action as a Block Kit element, or nothing when it cannot be sent intact (a value over
 * Slack's limit would be cut and then misread by the engine, so such a button is left out).
 */
export function renderAction(action: MessageAction, seen: Map<string, number>): ActionElement | undefined {
  if (action.type === 'button') {
    if (action.value.length > SLACK_LIMITS.buttonValue) return undefined;
    const button: types.Button = {
      type: 'button',
      action_id: renderActionId(action.actionId, Boolean(action.asksReason), seen),
      text: {
        type: 'plain_text',
        text: clip(toPlainText(action.label), SLACK_LIMITS.buttonText),
        emoji: true,
      },
      value: action.value,
    };
    if (action.style) button.style = action.style;
    if (action.url && action.url.length <= SLACK_LIMITS.buttonUrl) button.url = action.url;
    return button;
  }
  const options = action.options
    .filter((option) => option.value.length <= SLACK_LIMITS.optionValue)
    .slice(0, SLACK_LIMITS.selectOptions)
    .map((option) => ({
      text: {
        type: 'plain_text' as const,
        text: clip(toPlainText(option.label), SLACK_LIMITS.optionText),
        emoji: true,
      },
      value: option.value,
    }));
  if (options.length === 0) return undefined;
  return {
    type: 'static_select',
    action_id: renderActionId(action.actionId, Boolean(action.asksReason), seen),
    placeholder: {
      type: 'plain_text',
      text: clip(toPlainText(action.placeholder), SLACK_LIMITS.selectPlaceholder),
      emoji: true,
    },
    options,
  };
}

/** Neutral actions as actions blocks of at most 25 elements each. */
export function renderActionBlocks(
  actions: MessageAction[],
  seen: Map<string, number>,
): types.ActionsBlock[] {
  const elements = actions
    .map((action) => renderAction(action, seen))
    .filter((element) => element !== undefined);
  const blocks: types.ActionsBlock[] = [];
  for (let start = 0; start < elements.length; start += SLACK_LIMITS.actionsElements) {
    blocks.push({ type: 'actions', elements: elements.slice(start, start + SLACK_LIMITS.actionsElements) });
  }
  return blocks;
}
