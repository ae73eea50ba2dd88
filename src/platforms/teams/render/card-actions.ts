import type { MessageAction } from '../../../core/messages';
import type { Translate } from '../../../core/ports';

/**
 * Input ids inside our cards; Teams merges every input's value into the action's data under its id. Ids
 * carry the action id because input ids must be unique in a card (one reason form per action).
 */
export const reasonInputId = (actionId: string) => `reason.${actionId}`;
export const choiceInputId = (actionId: string) => `choice.${actionId}`;
/** Marks data our cards sent, so a stray `Action.Submit` from another app is not mistaken for a vote. */
export const ACTION_MARK = 'mltrl';
export const REFRESH_VERB = 'refresh';

export type CardElement = Record<string, unknown>;

/** What a card action sends back (plus the inputs' values, merged in by Teams). */
export interface CardActionData {
  [ACTION_MARK]: 'action' | 'refresh';
  actionId?: string;
  value?: string;
}

/**
 * Universal Actions (`Action.Execute`, answered in place through the `adaptiveCard/action` invoke), with
 * an `Action.Submit` fallback for clients without Universal Actions (they send a message with the data).
 */
export function executeAction(
  title: string,
  verb: string,
  data: CardActionData,
  style?: string,
): CardElement {
  const action: CardElement = { type: 'Action.Execute', title, verb, data };
  if (style) action.style = style;
  const fallback: CardElement = { type: 'Action.Submit', title, data };
  if (style) fallback.style = style;
  action.fallback = fallback;
  return action;
}

export function refreshAction(t: Translate, locale: string | undefined): CardElement {
  return executeAction(t('teams:showMyButtons', undefined, locale), REFRESH_VERB, {
    [ACTION_MARK]: 'refresh',
  });
}

function reasonInput(actionId: string, t: Translate, locale: string | undefined): CardElement {
  return {
    type: 'Input.Text',
    id: reasonInputId(actionId),
    label: t('teams:reasonLabel', undefined, locale),
    placeholder: t('teams:reasonPlaceholder', undefined, locale),
    isMultiline: true,
    isRequired: true,
    maxLength: 1000,
    errorMessage: t('teams:reasonMissing', undefined, locale),
  };
}

const STYLES: Record<string, string> = { primary: 'positive', danger: 'destructive' };

/** One neutral action -> one Adaptive Card action (a reason or a choice opens an inline form first). */
export function renderAction(action: MessageAction, t: Translate, locale: string | undefined): CardElement {
  const send = t('teams:send', undefined, locale);
  if (action.type === 'select') {
    const body: CardElement[] = [
      {
        type: 'Input.ChoiceSet',
        id: choiceInputId(action.actionId),
        label: action.placeholder,
        placeholder: action.placeholder,
        style: 'compact',
        isRequired: true,
        errorMessage: t('teams:choiceMissing', undefined, locale),
        choices: action.options.map((option) => ({ title: option.label, value: option.value })),
      },
    ];
    if (action.asksReason) body.push(reasonInput(action.actionId, t, locale));
    const data: CardActionData = { [ACTION_MARK]: 'action', actionId: action.actionId };
    return {
      type: 'Action.ShowCard',
      title: action.placeholder,
      card: { type: 'AdaptiveCard', body, actions: [executeAction(send, action.actionId, data)] },
    };
  }
  if (action.url) return { type: 'Action.OpenUrl', title: action.label, url: action.url };
  const data: CardActionData = { [ACTION_MARK]: 'action', actionId: action.actionId, value: action.value };
  const style = action.style ? STYLES[action.style] : undefined;
  if (action.asksReason) {
    return {
      type: 'Action.ShowCard',
      title: action.label,
      card: {
        type: 'AdaptiveCard',
        body: [reasonInput(action.actionId, t, locale)],
        actions: [executeAction(send, action.actionId, data, style)],
      },
    };
  }
  return executeAction(action.label, action.actionId, data, style);
}
