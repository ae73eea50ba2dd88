import fc from 'fast-check';
import type { ActionId, MessageAction, MessageBlock, OutboundMessage } from '../../src/core/messages';
import { defaultTranslator } from '../../src/i18n/translator';
import { renderTeamsCard } from '../../src/platforms/teams/render/adaptive-card';
import { validateAdaptiveCard } from './support/validate-adaptive-card';

const t = defaultTranslator('en');
const USERS = ['29:1a', '29:1b', '29:1c', '00000000-aad'];
const ACTIONS: ActionId[] = [
  'vote-approve',
  'vote-request-changes',
  'vote-abstain',
  'snooze',
  'not-my-project',
];

const text = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom('**bold** _x_ [link](http://x)', '<b>html</b> & "quotes"', '/mltrl review R07.2', '• item'),
  fc
    .tuple(fc.string({ maxLength: 20 }), fc.constantFrom(...USERS))
    .map(([words, id]) => `${words} <@${id}> ${words}`),
);

const button: fc.Arbitrary<MessageAction> = fc.record({
  type: fc.constant('button' as const),
  actionId: fc.constantFrom(...ACTIONS),
  label: fc.string({ minLength: 1, maxLength: 30 }),
  value: fc.string({ maxLength: 100 }),
  style: fc.option(fc.constantFrom('primary' as const, 'danger' as const), { nil: undefined }),
  asksReason: fc.option(fc.boolean(), { nil: undefined }),
});
const link: fc.Arbitrary<MessageAction> = fc.record({
  type: fc.constant('button' as const),
  actionId: fc.constant('open-card' as const),
  label: fc.string({ minLength: 1, maxLength: 30 }),
  value: fc.constant('x'),
  url: fc.constant('https://git.example.org/cards/x.md'),
});
const select: fc.Arbitrary<MessageAction> = fc.record({
  type: fc.constant('select' as const),
  actionId: fc.constant('vote-switchback' as const),
  placeholder: fc.string({ minLength: 1, maxLength: 30 }),
  options: fc.array(
    fc.record({
      label: fc.string({ minLength: 1, maxLength: 20 }),
      value: fc.string({ minLength: 1, maxLength: 20 }),
    }),
    {
      minLength: 1,
      maxLength: 5,
    },
  ),
  asksReason: fc.option(fc.boolean(), { nil: undefined }),
});

const block: fc.Arbitrary<MessageBlock> = fc.oneof(
  text.map((value) => ({ type: 'header' as const, text: value })),
  text.map((value) => ({ type: 'text' as const, text: value })),
  text.map((value) => ({ type: 'context' as const, text: value })),
  fc
    .array(fc.record({ label: text, value: text }), { minLength: 1, maxLength: 6 })
    .map((fields) => ({ type: 'fields' as const, fields })),
  fc
    .record({
      title: fc.option(text, { nil: undefined }),
      items: fc.array(text, { maxLength: 8 }),
      more: fc.option(text, { nil: undefined }),
    })
    .map((list) => ({ type: 'list' as const, ...list })),
  fc.constant({ type: 'divider' as const }),
  fc.constant({ type: 'image' as const, alt: 'chart', url: 'https://bot.example.org/chart.png' }),
  fc
    .array(fc.oneof(button, link, select), { minLength: 1, maxLength: 5 })
    .map((actions) => ({ type: 'actions' as const, actions })),
);

const message: fc.Arbitrary<OutboundMessage> = fc.record({
  kind: fc.constantFrom('vote' as const, 'nudge' as const, 'notice' as const),
  // The fallback text is never empty (messages.ts), so every card says something.
  text: text.filter((value) => value.trim() !== ''),
  blocks: fc.array(block, { maxLength: 10 }),
  actionableBy: fc.option(fc.subarray(USERS), { nil: undefined }),
});

/** Every string a person can see (action data is opaque and left out). */
function visibleTexts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(visibleTexts);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === 'data' || key === 'fallback' ? [] : visibleTexts(child),
  );
}

/** The engine puts one form (reason or choice) per action id on a message; input ids rely on it. */
function oneFormPerAction(neutral: OutboundMessage): boolean {
  const forms = neutral.blocks
    .flatMap((entry) => (entry.type === 'actions' ? entry.actions : []))
    .filter((action) => action.type === 'select' || (action.asksReason && !action.url))
    .map((action) => action.actionId);
  return new Set(forms).size === forms.length;
}

test('any neutral message renders a valid Adaptive Card 1.5, for everyone and for each user', () => {
  fc.assert(
    fc.property(message.filter(oneFormPerAction), fc.constantFrom(...USERS), (neutral, viewer) => {
      for (const view of [{ audience: 'shared' as const }, { audience: 'user' as const, userId: viewer }]) {
        const card = renderTeamsCard(neutral, {
          t,
          locale: 'en',
          nameOf: (id) => (id === '29:1a' ? 'Ana <Lima>' : undefined),
          view,
        });
        expect(validateAdaptiveCard(card)).toEqual([]);
        expect(visibleTexts(card).filter((value) => /<@[^>\s]+>/.test(value))).toEqual([]);
      }
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 150) },
  );
});
