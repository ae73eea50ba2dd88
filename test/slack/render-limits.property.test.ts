import fc from 'fast-check';
import type { MessageBlock, OutboundMessage } from '../../src/core/messages';
import { defaultTranslator } from '../../src/i18n/translator';
import { renderHomeView, renderMessage } from '../../src/platforms/slack/render/render-message';
import { blockKitViolations } from './support/block-kit-limits';

const t = defaultTranslator();
const anyText = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ maxLength: 5000 }),
  fc.constantFrom('<@U123ABC>', '&<>', ''),
);
const actionId = fc.constantFrom(
  'vote-approve',
  'vote-request-changes',
  'vote-abstain',
  'vote-switchback',
  'snooze',
  'not-my-project',
  'open-card' as const,
);

const block: fc.Arbitrary<MessageBlock> = fc.oneof(
  fc.record({ type: fc.constant('header' as const), text: anyText }),
  fc.record({ type: fc.constant('text' as const), text: anyText }),
  fc.record({ type: fc.constant('context' as const), text: anyText }),
  fc.record({ type: fc.constant('divider' as const) }),
  fc.record({
    type: fc.constant('fields' as const),
    fields: fc.array(fc.record({ label: anyText, value: anyText }), { maxLength: 30 }),
  }),
  fc.record({
    type: fc.constant('list' as const),
    title: fc.option(anyText, { nil: undefined }),
    items: fc.array(anyText, { maxLength: 300 }),
    more: fc.option(anyText, { nil: undefined }),
  }),
  fc.record({
    type: fc.constant('actions' as const),
    actions: fc.array(
      fc.oneof(
        fc.record({
          type: fc.constant('button' as const),
          actionId,
          label: anyText,
          value: fc.string({ maxLength: 2100 }),
          asksReason: fc.boolean(),
        }),
        fc.record({
          type: fc.constant('select' as const),
          actionId,
          placeholder: anyText,
          options: fc.array(fc.record({ label: anyText, value: fc.string({ maxLength: 200 }) }), {
            maxLength: 120,
          }),
        }),
      ),
      { maxLength: 30 },
    ),
  }),
);

const message: fc.Arbitrary<OutboundMessage> = fc.record({
  kind: fc.constant('digest' as const),
  text: anyText.map((text) => text || 'fallback'),
  blocks: fc.array(block, { maxLength: 80 }),
});

test('any neutral message renders within Slack limits, as a message and as App Home', () => {
  fc.assert(
    fc.property(message, (input) => {
      const rendered = renderMessage(input, { t });
      expect(blockKitViolations(rendered.blocks as unknown as Record<string, unknown>[], 50)).toEqual([]);
      const home = renderHomeView(input, { t });
      expect(blockKitViolations(home.blocks as unknown as Record<string, unknown>[], 100)).toEqual([]);
    }),
    { numRuns: 150 },
  );
});
