import { expectGoldenText } from '../support/golden';
import { join } from 'node:path';
import type { MessageBlock, OutboundMessage } from '../../src/core/messages';
import { viewInReaderZone } from '../../src/platforms/playground/reader-times';
import {
  ceremonyPeople,
  GOLDEN_STEPS,
  goldenMessage,
  runCeremony,
  type CeremonyRun,
} from '../support/ceremony';

// The page's renderer is plain browser JavaScript (no build step); it also loads under require().
// eslint-disable-next-line @typescript-eslint/no-require-imports
const render = require('../../src/platforms/playground/public/render-blocks.js');

const ctx = {
  nameOf: (id: string) => ceremonyPeople().people.find((person) => person.id === id)?.name ?? id,
  formatTime: (iso: string) => `at ${iso.slice(11, 16)}`,
  plural: (key: string, count: number) => `${count} ${count === 1 ? 'reply' : 'replies'}`,
  strings: {
    bot: 'mltrl-bot',
    onlyVisibleToYou: 'Only visible to you',
    edited: 'updated',
    openThreadLabel: 'Open thread',
  },
};

const stored = (message: OutboundMessage, extra: Record<string, unknown> = {}) => ({
  id: 'pm-7',
  conversationId: 'playground:ml-reviews',
  postedAt: '2026-11-24T08:14:00.000Z',
  version: 1,
  message,
  replies: [],
  ...extra,
});

const READER = { tz: 'Europe/Berlin', defaultLocale: 'en' };

let run: CeremonyRun;
beforeAll(async () => {
  run = await runCeremony({ platform: 'playground' });
});

/**
 * Golden files: the HTML of each message a scripted review through the real engine emits in the
 * playground (test/support/ceremony.ts). `UPDATE_GOLDEN=1 npx jest test/playground/render-blocks`
 * rewrites them; a missing one fails.
 */
test.each(GOLDEN_STEPS)('the %s message renders as readable HTML (golden file)', (step) => {
  // As the API sends it to a reader in Berlin: times filled in that reader's zone (reader-times.ts).
  const shown = viewInReaderZone(stored(goldenMessage(run, step)), READER);
  const html = render.toHtml(render.renderMessage(shown, ctx));
  expectGoldenText(join(__dirname, 'golden', `${step}.html.txt`), html + '\n');
});

test('the goldens show every block type the engine emits (the card summary shows formatted card text)', () => {
  const types = new Set(
    [...GOLDEN_STEPS, 'card-summary'].flatMap((step) => goldenMessage(run, step).blocks.map((b) => b.type)),
  );
  const every: MessageBlock['type'][] = [
    'header',
    'text',
    'fields',
    'list',
    'context',
    'actions',
    'image',
    'rich',
  ];
  // `divider` is a block no engine message uses today: it is checked on its own below.
  expect([...types].sort()).toEqual([...every].sort());
});

test('a divider is a rule', () => {
  const divided: OutboundMessage = { kind: 'notice', text: '', blocks: [{ type: 'divider' }] };
  expect(render.toHtml(render.renderMessage(stored(divided), ctx))).toContain('<hr class="blk-divider">');
});

test('an edited message with replies says so and links its thread', () => {
  const html = render.toHtml(
    render.renderMessage(stored(goldenMessage(run, 'vote-tally'), { version: 2, replies: [{}, {}] }), ctx),
  );
  expect(html).toContain('(updated)');
  expect(html).toContain('2 replies');
});

test('hostile text stays text: markup, attribute breakouts and script URLs are neutralised', () => {
  const hostile: OutboundMessage = {
    kind: 'notice',
    text: '',
    blocks: [
      { type: 'text', text: '<img src=x onerror=alert(1)> & "quotes" <@<script>>' },
      { type: 'image', alt: 'x" onload="alert(1)', url: 'javascript:alert(1)' },
      {
        type: 'actions',
        actions: [
          { type: 'button', actionId: 'open-card', label: 'Open', value: '', url: 'javascript:alert(1)' },
        ],
      },
    ],
  };
  const html = render.toHtml(render.renderMessage(stored(hostile), ctx));
  expect(html).not.toMatch(/<img src=x|<script|javascript:/);
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
});

test('an ephemeral message says it is only visible to you, and a thread view has no replies link', () => {
  const html = render.toHtml(
    render.renderMessage(stored(goldenMessage(run, 'status'), { visibleTo: 'ana', replies: [{}] }), ctx, {
      inThread: true,
    }),
  );
  expect(html).toContain('Only visible to you');
  expect(html).not.toContain('1 reply');
});
