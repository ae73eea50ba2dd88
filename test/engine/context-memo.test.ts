import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Card } from '../../src/core/card';
import { clickContext } from '../../src/core/engine/context-memo';
import { EngineContext } from '../../src/core/engine/engine-context';
import { contextFor } from '../../src/core/engine/project-context';
import type { PlatformPeople, PlatformProfile } from '../../src/core/ports';
import { completeRetina, makeHarness, retinaCard } from './harness';

/**
 * A vote click reuses the project's context while nothing it was computed from changed; after any
 * change it is the context a fresh computation gives.
 */
const GATE = { from: 3, to: 4 };
const RETINA = 'retina-lesion-detector.md';
const QUALITY_GATE = 'retina-image-quality-gate.md';

/** Profiles a platform answers with; `locales` can change between two clicks. */
class ChangingProfiles implements PlatformPeople {
  readonly platform = 'playground' as const;
  readonly locales = new Map<string, string>();
  asked = 0;
  async lookupByEmail(): Promise<PlatformProfile | undefined> {
    return undefined;
  }
  async profile(userId: string): Promise<PlatformProfile | undefined> {
    this.asked++;
    const locale = this.locales.get(userId);
    return locale ? { userId, locale } : undefined;
  }
}

function setUp() {
  const h = makeHarness();
  const profiles = new ChangingProfiles();
  const deps = { ...h.deps, platformPeople: { playground: profiles } };
  h.cards.set(RETINA, completeRetina(retinaCard()));
  h.cards.set(QUALITY_GATE, readFileSync(join(__dirname, '..', '..', 'cards', QUALITY_GATE), 'utf8'));
  const ctx = new EngineContext(deps);
  let sightings = 0;
  const observe = deps.stores.gapSightings.observe.bind(deps.stores.gapSightings);
  deps.stores.gapSightings.observe = (...args) => {
    sightings++;
    return observe(...args);
  };
  const retina = async () => (await h.cards.find('R07.2')) as Card;
  const click = async () => clickContext(ctx, await retina(), 'playground', GATE, undefined, undefined);
  const fresh = async () => contextFor(ctx, await retina(), 'playground', GATE);
  return { h, ctx, profiles, click, fresh, sightings: () => sightings };
}

test('an unchanged project gives the same context again, without dating its gaps again', async () => {
  const { click, sightings, profiles } = setUp();
  const first = await click();
  expect(first.card.projectId).toBe('R07.2');
  expect(first.system?.components.map((c) => c.projectId)).toEqual(['R03.1']);
  const [seen, asked] = [sightings(), profiles.asked];
  expect(await click()).toBe(first);
  expect(sightings()).toBe(seen);
  // Asked again (that is how a change is noticed), all at once.
  expect(profiles.asked).toBeGreaterThan(asked);
});

test('each thing the context is read from, changed, gives the context a fresh computation gives', async () => {
  const { h, profiles, click, fresh } = setUp();
  let before = await click();
  const changes: Array<
    [string, () => void | Promise<void>, (now: Awaited<ReturnType<typeof click>>) => unknown]
  > = [
    [
      'a waiver',
      () =>
        h.stores.waivers.add('R07.2', GATE, {
          key: 'code-repo',
          until: '2026-11-24T09:00:00Z',
          by: 'priya',
          reason: 'repository moves',
        }),
      (now) => now.waivers.map((w) => w.key),
    ],
    ['the clock passing the waiver', () => h.clock.set('2026-11-24T10:00:00Z'), (now) => now.waivers],
    [
      "a component's recorded level",
      () => h.stores.levels.recordEntry('R03.1', 2, h.clock.now().toISOString()),
      (now) => now.system?.level,
    ],
    [
      "the component's card",
      () =>
        h.cards.edit(QUALITY_GATE, (text) =>
          text.replace('| Coupled components      | none', '| Coupled components      | R07.2'),
        ),
      (now) => now.system?.cycles,
    ],
    [
      'a platform profile',
      () => void profiles.locales.set('sam', 'de'),
      (now) => now.owners.map((o) => o.locale),
    ],
    [
      'the card itself',
      () =>
        h.cards.edit(RETINA, (text) =>
          text.replace('| Current Level           | 3', '| Current Level           | 2'),
        ),
      (now) => now.card.level,
    ],
    [
      'the recorded level of the project',
      () => h.stores.levels.recordEntry('R07.2', 3, h.clock.now().toISOString()),
      (now) => now.recordedLevel,
    ],
  ];
  for (const [what, change, shown] of changes) {
    await change();
    const now = await click();
    expect({ what, reused: now === before }).toEqual({ what, reused: false });
    expect({ what, shown: shown(now) }).not.toEqual({ what, shown: shown(before) });
    expect({ what, context: now }).toEqual({ what, context: await fresh() });
    before = now;
  }
});

test('the ethics checklist the card links to is read again on each click', async () => {
  const { h, click, fresh } = setUp();
  h.cards.edit(RETINA, (text) =>
    text.replace(/\| Ethics checks\? +\|[^\n]*/, '| Ethics checks? | [pre-dev checklist](ethics.md) |'),
  );
  h.cards.set('ethics.md', '# Ethics checklist\n\n- [ ] Data rights confirmed\n');
  const before = await click();
  expect(await click()).toBe(before);
  h.cards.set('ethics.md', '# Ethics checklist\n\n- [x] Data rights confirmed\n');
  const now = await click();
  expect(now).not.toBe(before);
  expect(now).toEqual(await fresh());
});

/** The same profiles behind an answers version that moves only when told to (as a store's writes move it). */
class VersionedProfiles extends ChangingProfiles {
  version = 1;
  failing = false;
  async answersVersion(): Promise<string> {
    return String(this.version);
  }
  override async profile(userId: string): Promise<PlatformProfile | undefined> {
    if (this.failing) {
      this.asked++;
      throw new Error('Redis is down');
    }
    return super.profile(userId);
  }
}

test('look-ups a platform version vouches for are asked again only when the version moves or they failed', async () => {
  const h = makeHarness();
  const profiles = new VersionedProfiles();
  const ctx = new EngineContext({ ...h.deps, platformPeople: { playground: profiles } });
  h.cards.set(RETINA, completeRetina(retinaCard()));
  h.cards.set(QUALITY_GATE, readFileSync(join(__dirname, '..', '..', 'cards', QUALITY_GATE), 'utf8'));
  const click = async () =>
    clickContext(ctx, (await h.cards.find('R07.2')) as Card, 'playground', GATE, undefined, undefined);
  const fresh = async () => contextFor(ctx, (await h.cards.find('R07.2')) as Card, 'playground', GATE);

  const first = await click();
  const asked = profiles.asked;
  expect(await click()).toBe(first);
  expect(profiles.asked).toBe(asked);

  // A change the version does not show yet is not seen; once it moves, the context is computed again.
  profiles.locales.set('sam', 'de');
  expect(await click()).toBe(first);
  profiles.version++;
  const moved = await click();
  expect(moved).not.toBe(first);
  expect(moved.owners.map((o) => o.locale)).toContain('de');
  expect(moved).toEqual(await fresh());

  // A look-up that failed is asked again on every click until it answers.
  profiles.failing = true;
  profiles.version++;
  const failed = await click();
  const whileFailing = profiles.asked;
  await click();
  expect(profiles.asked).toBeGreaterThan(whileFailing);
  profiles.failing = false;
  const answered = await click();
  expect(answered).not.toBe(failed);
  expect(answered).toEqual(await fresh());
});
