import type { OutboundMessage } from '../../src/core/messages';
import { deepFreeze } from '../../src/core/deep-freeze';
import { defaultTranslator } from '../../src/i18n/translator';
import { TeamsCards } from '../../src/platforms/teams/teams-cards';
import type { TeamsProfile, TeamsStore } from '../../src/platforms/teams/teams-store';

/** A store that knows two profiles and counts its reads. */
function countingStore() {
  const known = new Map<string, TeamsProfile>([
    ['29:1priya', { userId: '29:1priya', name: 'Priya Nair' }],
    ['29:1li', { userId: '29:1li', name: 'Li Wei' }],
  ]);
  const asked: string[][] = [];
  const store = {
    async profiles(ids: string[]) {
      asked.push(ids);
      return new Map(ids.filter((id) => known.has(id)).map((id) => [id, known.get(id)!]));
    },
  } as unknown as TeamsStore;
  return { store, asked, known };
}

const message = (text: string): OutboundMessage => ({ kind: 'vote', text, blocks: [{ type: 'text', text }] });
const view = { audience: 'shared' as const };

test('a card naming only people read ahead is rendered without reading profiles again', async () => {
  const { store, asked, known } = countingStore();
  const cards = new TeamsCards(store, { people: [] } as never, defaultTranslator('en'), 'en');
  const ahead = cards.mentionedProfiles(message('<@29:1priya> pending, <@29:1li> pending'));
  await ahead;
  expect(asked).toHaveLength(1);
  known.set('29:1li', { userId: '29:1li', name: 'Li Renamed' }); // read ahead: the earlier name stands

  const card = await cards.render(message('<@29:1priya> approved, <@29:1li> pending'), view, 'en', ahead);
  expect(asked).toHaveLength(1);
  expect(JSON.stringify(card)).toContain('Li Wei');

  // Someone the read-ahead did not cover: read now.
  const more = await cards.render(message('<@29:1sam> approved'), view, 'en', ahead);
  expect(asked).toEqual([['29:1priya', '29:1li'], ['29:1sam']]);
  expect(JSON.stringify(more)).not.toContain('Li Wei');
});

test('a read-ahead that failed is read again when rendering', async () => {
  const { store, asked } = countingStore();
  const cards = new TeamsCards(store, { people: [] } as never, defaultTranslator('en'), 'en');
  const failed = Promise.reject(new Error('Redis is down'));
  const card = await cards.render(message('<@29:1priya> approved'), view, 'en', failed);
  expect(asked).toEqual([['29:1priya']]);
  expect(JSON.stringify(card)).toContain('Priya Nair');
});

test('a frozen message is rendered once per viewer and language while the names on it stay the same', async () => {
  const { store, known } = countingStore();
  const cards = new TeamsCards(store, { people: [] } as never, defaultTranslator('en'), 'en');
  const shown = deepFreeze(message('<@29:1priya> approved, <@29:1li> pending'));
  const priya = { audience: 'user' as const, userId: '29:1priya' };

  const first = await cards.render(shown, priya, 'en');
  expect(await cards.render(shown, priya, 'en')).toBe(first);
  expect(Object.isFrozen(first)).toBe(true);
  // Another viewer, another language: rendered for them.
  expect(await cards.render(shown, { audience: 'user', userId: '29:1li' }, 'en')).not.toBe(first);
  expect(JSON.stringify(await cards.render({ ...shown, locale: 'de' }, priya))).toContain('Li Wei');

  // A name that changed is shown at once.
  known.set('29:1li', { userId: '29:1li', name: 'Li Renamed' });
  const renamed = await cards.render(shown, priya, 'en');
  expect(renamed).not.toBe(first);
  expect(JSON.stringify(renamed)).toContain('Li Renamed');
  // A message that is not frozen (it may change) is always rendered afresh.
  const open = message('<@29:1priya> approved');
  expect(await cards.render(open, priya, 'en')).not.toBe(await cards.render(open, priya, 'en'));
});
