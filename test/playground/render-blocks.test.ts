import { expectGoldenText } from '../support/golden';
import { join } from 'node:path';
import type { OutboundMessage } from '../../src/core/messages';

// The page's renderer is plain browser JavaScript (no build step); it also loads under require().
// eslint-disable-next-line @typescript-eslint/no-require-imports
const render = require('../../src/platforms/playground/public/render-blocks.js');

const ctx = {
  nameOf: (id: string) => ({ ana: 'Ana Lima', priya: 'Priya Nair' })[id] ?? id,
  formatTime: (iso: string) => `at ${iso.slice(11, 16)}`,
  plural: (key: string, count: number) => `${count} ${count === 1 ? 'reply' : 'replies'}`,
  strings: {
    bot: 'mltrl-bot',
    onlyVisibleToYou: 'Only visible to you',
    edited: 'updated',
    openThreadLabel: 'Open thread',
  },
};

const everyBlock: OutboundMessage = {
  kind: 'gap-report',
  text: 'fallback',
  blocks: [
    { type: 'header', text: 'Gate review: Retina lesion detector (R07.2), level 3 -> 4' },
    { type: 'text', text: 'Requested by <@ana> · flow mltrl' },
    { type: 'fields', fields: [{ label: 'Owners', value: '<@ana>, <@sam>' }] },
    {
      type: 'list',
      title: 'Before reviewers can vote, the card needs:',
      items: ['Testing status: empty (line 31)'],
      more: '...and 4 more: /mltrl portfolio',
    },
    { type: 'divider' },
    { type: 'image', alt: 'Portfolio chart', pngBase64: 'iVBORw0KGgo=' },
    { type: 'context', text: 'Card cards/retina.md · revision a1b2c3' },
    {
      type: 'actions',
      actions: [
        {
          type: 'button',
          actionId: 'open-card',
          label: 'Open card',
          value: '',
          url: 'https://git.example.org/retina.md',
        },
        { type: 'button', actionId: 'snooze', label: 'Snooze a week', value: 'r1:7d' },
        {
          type: 'button',
          actionId: 'vote-request-changes',
          label: 'Request changes',
          value: 'r1:c',
          style: 'danger',
          asksReason: true,
        },
        {
          type: 'select',
          actionId: 'vote-switchback',
          placeholder: 'Switch back to...',
          options: [{ label: 'Level 2', value: 'r1:s2' }],
        },
      ],
    },
  ],
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

test('every block type renders as readable HTML (golden file)', () => {
  const html = render.toHtml(
    render.renderMessage(stored(everyBlock, { version: 2, replies: [{}, {}] }), ctx),
  );
  const golden = join(__dirname, 'golden', 'every-block.html.txt');
  expectGoldenText(golden, html + '\n');
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
    render.renderMessage(stored(everyBlock, { visibleTo: 'ana', replies: [{}] }), ctx, { inThread: true }),
  );
  expect(html).toContain('Only visible to you');
  expect(html).not.toContain('1 reply');
});
