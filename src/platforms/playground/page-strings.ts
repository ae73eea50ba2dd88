import type { Translate } from '../../core/ports';

/** The page's words, from i18n/<lang>/playground.json (`page.*`). Placeholders stay `{{name}}` templates. */
const PAGE_KEYS = [
  'title',
  'actingAs',
  'clock',
  'plusHour',
  'plusDay',
  'plusWeek',
  'advanceLabel',
  'channels',
  'directMessages',
  'conversations',
  'messages',
  'thread',
  'closeThread',
  'replies_one',
  'replies_other',
  'openThreadLabel',
  'actionsLabel',
  'onlyVisibleToYou',
  'edited',
  'noMessages',
  'composerLabel',
  'composerPlaceholder',
  'composerHint',
  'threadComposerLabel',
  'send',
  'reasonTitle',
  'reasonLabel',
  'reasonRequired',
  'cancel',
  'submit',
  'chooseOption',
  'live',
  'offline',
  'bot',
  'newActivity',
  'home',
  'firstRunTitle',
  'firstRunSteps',
  'firstRunGeneric',
  'firstRunStart',
  'firstRunDismiss',
  'reset',
  'resetTitle',
  'resetText',
  'resetConfirm',
] as const;

const TEMPLATE_PARAMS = {
  name: '{{name}}',
  step: '{{step}}',
  count: '{{count}}',
  project: '{{project}}',
};

export function pageStrings(t: Translate, locale?: string): Record<string, string> {
  return Object.fromEntries(
    PAGE_KEYS.map((key) => [key, t(`playground:page.${key}`, TEMPLATE_PARAMS, locale)]),
  );
}
