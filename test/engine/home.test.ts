import type { MessageBlock, OutboundMessage } from '../../src/core/messages';
import { completeRetina, makeHarness, person, type Harness } from './harness';

/**
 * Home (Slack App Home, the playground's Home): each of the viewer's projects with the next step and who
 * takes it, the digest's chart by level, and the viewer's own portfolio link. Engine-level, memory stores.
 */
const linksFor: string[] = [];
const links = {
  linkFor: (viewer: { userId: string }) => {
    linksFor.push(viewer.userId);
    return `https://bot.example.org/portfolio?t=for-${viewer.userId}`;
  },
};

function projectLine(home: OutboundMessage, id: string): string {
  const list = home.blocks.find(
    (block): block is Extract<MessageBlock, { type: 'list' }> =>
      block.type === 'list' && block.items.some((item) => item.startsWith(`${id} `)),
  );
  const line = list?.items.find((item) => item.startsWith(`${id} `));
  if (!line) throw new Error(`no line for ${id} in: ${home.text}`);
  return line;
}

const home = (h: Harness, who: string) => h.engine.home(person(who));

test('each project names its next step and who takes it, through gaps and the vote', async () => {
  const h = makeHarness({ portfolioLinks: links });
  // No review yet: how to start the next gate.
  expect(projectLine(await home(h, 'ana'), 'R07.2')).toBe(
    'R07.2 Retina lesion detector: level 3, no open review. Next: start the 3 -> 4 gate review: /mltrl review R07.2',
  );

  await h.engine.handle({
    type: 'command',
    actor: person('sam'),
    conversationId: 'playground:ml-reviews',
    text: 'review R07.2',
  });
  // Gaps: the owners fill the named sections; a reviewer waits on the owners, by name.
  expect(projectLine(await home(h, 'ana'), 'R07.2')).toBe(
    'R07.2 Retina lesion detector: level 3, gate 3 -> 4 gaps. Next: fill Code repo & docs, Testing status',
  );
  expect(projectLine(await home(h, 'priya'), 'R07.2')).toBe(
    'R07.2 Retina lesion detector: level 3, gate 3 -> 4 gaps. Next: waiting on Ana Lima, Sam Okoro',
  );

  // The card is complete: the vote opens; a pending voter is asked to vote, the owners wait on them.
  h.cards.edit('retina-lesion-detector.md', completeRetina);
  await h.engine.cardsChanged(['retina-lesion-detector.md']);
  expect((await h.stores.reviews.openForProject('R07.2'))?.phase).toBe('voting');
  expect(projectLine(await home(h, 'priya'), 'R07.2')).toMatch(/\. Next: vote on R07\.2$/);
  expect(projectLine(await home(h, 'sam'), 'R07.2')).toMatch(
    /\. Next: waiting on (Priya Nair, Li Wei|Li Wei, Priya Nair)$/,
  );

  // Someone named on no card has no project lines, and no "next".
  expect((await home(h, 'lee')).text).toContain('You are not named on any card.');
});

test("Home shows the per-level chart as text bars (and the picture when one can be drawn), and the viewer's own link", async () => {
  linksFor.length = 0;
  const h = makeHarness({ portfolioLinks: links, renderChart: (svg) => Buffer.from(svg).toString('base64') });
  const view = await home(h, 'ana');
  const bars = view.blocks.find((block) => block.type === 'text' && block.text.startsWith('L0 '));
  expect(bars && bars.type === 'text' && bars.text.split('\n')).toContainEqual(
    expect.stringMatching(/^L3 █+·* 1 {2}System development$/),
  );
  const image = view.blocks.find((block) => block.type === 'image');
  expect(image).toMatchObject({ alt: expect.stringContaining('Bar chart of 1 projects by MLTRL level') });
  const svg = Buffer.from((image as { pngBase64: string }).pngBase64, 'base64').toString('utf8');
  expect(svg).toContain('<svg');
  const button = view.blocks
    .flatMap((block) => (block.type === 'actions' ? block.actions : []))
    .find((action) => action.actionId === 'open-portfolio');
  expect(button).toMatchObject({
    label: 'Open the portfolio',
    url: 'https://bot.example.org/portfolio?t=for-ana',
  });
  expect(linksFor).toEqual(['ana']);
});

test('without a link port or chart renderer, Home has text bars and no button', async () => {
  const h = makeHarness();
  const view = await home(h, 'ana');
  expect(view.blocks.some((block) => block.type === 'actions')).toBe(false);
  expect(view.blocks.some((block) => block.type === 'image')).toBe(false);
  expect(view.text).toMatch(/L3 █+/);
});
