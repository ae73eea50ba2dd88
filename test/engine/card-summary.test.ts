import { join } from 'node:path';
import type { Card } from '../../src/core/card';
import type { MessageBlock, OutboundMessage } from '../../src/core/messages';
import { cardExcerpt } from '../../src/core/render/card-excerpt';
import { renderMessage } from '../../src/platforms/slack/render/render-message';
import { renderTeamsCard } from '../../src/platforms/teams/render/adaptive-card';
import { defaultTranslator } from '../../src/i18n/translator';
import { expectGoldenText } from '../support/golden';
import { command, completeRetina, makeHarness } from './harness';

// The page's renderer is plain browser JavaScript; it also loads under require().
// eslint-disable-next-line @typescript-eslint/no-require-imports
const render = require('../../src/platforms/playground/public/render-blocks.js');

const FILE = 'retina-lesion-detector.md';
const GOLDEN = join(__dirname, '..', 'golden', 'card-summary');

/** A testing section the way people write them: emphasis, a link, a list, and more than fits. */
const TESTING = [
  'Unit tests and a **held-out evaluation** run _nightly_; see the [latest report](https://ci.example.org/retina/42).',
  '',
  '- sensitivity 0.91 on `eyepacs-val`',
  '- specificity 0.88',
  '',
  'The evaluation set was drawn from three clinics between 2024 and 2026 and is stratified by camera model, patient age and lesion grade, so that no single source dominates the figures reported above. A second, external set follows.',
  '',
].join('\n');

function withTesting(text: string): string {
  return completeRetina(text).replace('Unit tests and a held-out evaluation run nightly.\n', `${TESTING}`);
}

async function votingHarness() {
  const h = makeHarness();
  Object.assign(h.cards, {
    linkOf: (card: Card) => `https://forge.example.org/org/cards/blob/${card.revision}/${card.file}`,
  });
  h.cards.edit(FILE, withTesting);
  await command(h, 'sam', 'review R07.2');
  expect((await h.stores.reviews.openForProject('R07.2'))?.phase).toBe('voting');
  return h;
}

const richOf = (message: OutboundMessage, title: string) =>
  message.blocks.find(
    (b): b is Extract<MessageBlock, { type: 'rich' }> => b.type === 'rich' && b.title === title,
  );

describe('the card summary in the vote thread is readable', () => {
  it('renders the card markdown as lists, links and emphasis, cut at a sentence, with an "Open card" button', async () => {
    const h = await votingHarness();
    const summary = h.delivery.find('-vote-summary')[0]!.message;
    const testing = richOf(summary, 'Testing status')!;
    expect(testing.paragraphs[0].spans).toEqual([
      { text: 'Unit tests and a ' },
      { text: 'held-out evaluation', bold: true },
      { text: ' run ' },
      { text: 'nightly', italic: true },
      { text: '; see the ' },
      { text: 'latest report', url: 'https://ci.example.org/retina/42' },
      { text: '.' },
    ]);
    expect(testing.paragraphs[1]).toEqual({
      list: 'bullet',
      spans: [{ text: 'sensitivity 0.91 on ' }, { text: 'eyepacs-val', code: true }],
    });
    const cut = testing.paragraphs[3].spans.map((span) => span.text).join('');
    expect(cut.endsWith('…')).toBe(true);
    expect(TESTING).toContain(cut.slice(0, -1)); // cut between words, nothing invented
    expect(testing.paragraphs.at(-1)!.spans[0].text).toMatch(
      /^More in the card \(retina-lesion-detector\.md, line \d+\)\.$/,
    );
    const open = summary.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
    expect(open).toEqual([
      expect.objectContaining({
        actionId: 'open-card',
        label: 'Open card',
        url: expect.stringMatching(
          /^https:\/\/forge\.example\.org\/org\/cards\/blob\/\w+\/retina-lesion-detector\.md$/,
        ),
      }),
    ]);

    // The same engine output as each platform writes it (goldens; UPDATE_GOLDEN=1 rewrites them).
    const stable = JSON.parse(JSON.stringify(summary).replace(/[0-9a-f]{12}/g, 'REVISION'));
    const t = defaultTranslator();
    expectGoldenText(
      join(GOLDEN, 'slack.json'),
      `${JSON.stringify(renderMessage(stable, { t, locale: 'en' }), null, 2)}\n`,
    );
    const teams = renderTeamsCard(stable, {
      t,
      locale: 'en',
      nameOf: (id) => id,
      view: { audience: 'shared' },
    });
    expectGoldenText(join(GOLDEN, 'teams.json'), `${JSON.stringify(teams, null, 2)}\n`);
    const ctx = { nameOf: (id: string) => id, formatTime: () => 'at 10:30', plural: () => '', strings: {} };
    const html = render.toHtml(
      render.renderMessage({ id: 'pm-1', postedAt: '', message: stable, version: 1, replies: [] }, ctx),
    );
    expectGoldenText(join(GOLDEN, 'playground.html'), `${html}\n`);
    expect(html).toContain('<strong><span>held-out evaluation</span></strong>');
    expect(html).toContain(
      '<a href="https://ci.example.org/retina/42" target="_blank" rel="noopener noreferrer">',
    );
  });

  it('is updated in place when the card changes during the vote, once per revision', async () => {
    const h = await votingHarness();
    const first = h.delivery.find('-vote-summary')[0]!;
    h.cards.edit(FILE, (text) => text.replace('- specificity 0.88', '- specificity **0.90**'));
    await h.engine.cardsChanged([FILE]);
    await h.engine.cardsChanged([FILE]);
    const updates = h.delivery.requests.filter((r) => r.op === 'update' && r.of === first.key);
    expect(updates).toHaveLength(1);
    const testing = richOf(updates[0].message, 'Testing status')!;
    expect(testing.paragraphs[2].spans).toEqual([{ text: 'specificity ' }, { text: '0.90', bold: true }]);
  });
});

describe('cardExcerpt', () => {
  it('keeps short text whole, cuts long text at a word boundary, and never keeps unsafe links', () => {
    expect(cardExcerpt('Short and *sweet*.', 280)).toEqual({
      paragraphs: [{ spans: [{ text: 'Short and ' }, { text: 'sweet', italic: true }, { text: '.' }] }],
      cut: false,
    });
    const long = cardExcerpt('word '.repeat(100), 42);
    expect(long.cut).toBe(true);
    expect(long.paragraphs[0].spans[0].text).toBe(`${'word '.repeat(8).trim()}…`);
    const unsafe = cardExcerpt('[click](javascript:alert(1)) or [this](data:text/html,x)', 280);
    expect(unsafe.paragraphs[0].spans.every((span) => span.url === undefined)).toBe(true);
    expect(cardExcerpt('1. one\n2. two', 280).paragraphs.map((p) => [p.list, p.number])).toEqual([
      ['ordered', 1],
      ['ordered', 2],
    ]);
  });
});
