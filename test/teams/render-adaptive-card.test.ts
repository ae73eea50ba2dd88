import { join } from 'node:path';
import type { OutboundMessage } from '../../src/core/messages';
import { defaultTranslator } from '../../src/i18n/translator';
import {
  MAX_CARD_BYTES,
  renderTeamsCard,
  type CardView,
} from '../../src/platforms/teams/render/adaptive-card';
import {
  ceremonyPeople,
  GOLDEN_STEPS,
  goldenMessage,
  PLATFORM_IDS,
  runCeremony,
  type CeremonyRun,
} from '../support/ceremony';
import { validateAdaptiveCard } from './support/validate-adaptive-card';
import { expectGoldenJson } from '../support/golden';

/**
 * Golden files: the Adaptive Card of each message a scripted review through the real engine emits on
 * Teams (test/support/ceremony.ts), compared with test/golden/teams/<step>.json; `UPDATE_GOLDEN=1 npx
 * jest test/teams/render-adaptive-card` rewrites them; a missing one fails.
 */
const t = defaultTranslator('en');
const GOLDEN_DIR = join(__dirname, '..', 'golden', 'teams');
const IDS = PLATFORM_IDS.teams;
const NAMES = new Map(ceremonyPeople().people.map((person) => [person.teamsId, person.name]));
const render = (message: OutboundMessage, view: CardView = { audience: 'shared' }) =>
  renderTeamsCard(message, { t, locale: 'en', nameOf: (id) => NAMES.get(id), view });

function expectGolden(name: string, value: unknown): void {
  expectGoldenJson(join(GOLDEN_DIR, `${name}.json`), value);
}

type Json = Record<string, unknown>;
const actionTypes = (card: Json): string[] => JSON.stringify(card).match(/"type":"Action\.[A-Za-z]+"/g) ?? [];
const verbs = (card: Json): string[] =>
  [...JSON.stringify(card).matchAll(/"verb":"([^"]+)"/g)].map((match) => match[1]);

let run: CeremonyRun;
beforeAll(async () => {
  run = await runCeremony({ platform: 'teams' });
});

describe.each(GOLDEN_STEPS)('the %s message', (step) => {
  test('renders a valid Adaptive Card 1.5 matching its golden file', () => {
    const card = render(goldenMessage(run, step));
    expect(validateAdaptiveCard(card)).toEqual([]);
    expectGolden(step, card);
  });

  test('the version with buttons, for someone allowed to act, is valid too', () => {
    const message = goldenMessage(run, step);
    const userId = message.actionableBy?.[0] ?? IDS.max;
    const card = render(message, { audience: 'user', userId });
    expect(validateAdaptiveCard(card)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
  });
});

describe('vote card', () => {
  test('shared card: read-only, refresh lists exactly the eligible reviewers', () => {
    const card = render(goldenMessage(run, 'vote'));
    expect(card.refresh).toMatchObject({
      userIds: [IDS.priya, IDS.li],
      action: { type: 'Action.Execute', verb: 'refresh' },
    });
    expect(verbs(card)).toEqual(['refresh']);
  });

  test('a reviewer gets Action.Execute votes with Action.Submit fallbacks, a reason form and the switchback choice', () => {
    const card = render(goldenMessage(run, 'vote'), { audience: 'user', userId: IDS.li });
    expectGolden('vote-for-reviewer', card);
    expect(verbs(card)).toEqual(
      expect.arrayContaining(['vote-approve', 'vote-request-changes', 'vote-abstain', 'vote-switchback']),
    );
    const json = JSON.stringify(card);
    expect(json).toContain('"type":"Input.Text","id":"reason.vote-request-changes"');
    expect(json).toContain('"type":"Input.ChoiceSet","id":"choice.vote-switchback"');
    expect(actionTypes(card).filter((type) => type.includes('Submit')).length).toBe(4);
    expect(card.refresh).toBeDefined();
  });

  test('someone who may not vote gets the read-only card', () => {
    const card = render(goldenMessage(run, 'vote'), { audience: 'user', userId: IDS.max });
    expect(verbs(card)).toEqual(['refresh']);
    expect(JSON.stringify(card)).not.toContain('vote-approve');
  });

  test('more than 60 reviewers: no userIds, a manual refresh button instead', () => {
    const many = Array.from({ length: 61 }, (_, index) => `29:reviewer-${index}`);
    const card = render({ ...goldenMessage(run, 'vote'), actionableBy: many });
    expect(validateAdaptiveCard(card)).toEqual([]);
    expect(card.refresh).toBeDefined();
    expect((card.refresh as Json).userIds).toBeUndefined();
    expect(JSON.stringify(card.body)).toContain('Show my vote buttons');
    expectGolden('vote-many-reviewers', card);
  });

  test('mentions become <at> tags with one entity per person', () => {
    const card = render(goldenMessage(run, 'vote-tally'));
    expect(JSON.stringify(card.body)).toContain('<at>Priya Nair</at> requested changes');
    expect((card.msteams as Json).entities).toEqual([
      { type: 'mention', text: '<at>Priya Nair</at>', mentioned: { id: IDS.priya, name: 'Priya Nair' } },
      { type: 'mention', text: '<at>Li Wei</at>', mentioned: { id: IDS.li, name: 'Li Wei' } },
    ]);
  });
});

test('an oversized chart gives way to its alt text, said on the card', () => {
  const huge = 'A'.repeat(40_000);
  const card = render({
    kind: 'digest',
    text: 'digest',
    blocks: [{ type: 'image', alt: 'Projects per level', pngBase64: huge }],
  });
  expect(JSON.stringify(card)).not.toContain(huge);
  expect(JSON.stringify(card)).toContain('Projects per level');
  expect(validateAdaptiveCard(card)).toEqual([]);
});

test('commands are written the Teams way: @mltrl, not /mltrl', () => {
  const card = render(goldenMessage(run, 'outcome'));
  expect(JSON.stringify(card)).not.toContain('/mltrl');
  expect(JSON.stringify(card.body)).toContain('Run @mltrl review R07.2 when ready');
  expect(card.fallbackText).toContain('R07.2 advanced to level 4');
});

test('the validator catches what the library does not understand', () => {
  const bad = {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'TextBlock', text: 'x', size: 'Huge' }, { type: 'Bogus' }],
  };
  expect(validateAdaptiveCard(bad).length).toBeGreaterThanOrEqual(2);
});
