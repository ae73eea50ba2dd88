import Redis from 'ioredis';
import { buildDigest } from '../../src/core/digest';
import type { OutboundMessage } from '../../src/core/messages';
import { formatWhen } from '../../src/core/render';
import { assembleSnapshot } from '../../src/digest/assemble-snapshot';
import { createFlowSource, loadDefaultFlow } from '../../src/flows';
import { defaultTranslator } from '../../src/i18n/translator';
import { createRedisStores } from '../../src/storage/redis';
import { testRedisUrl, uniquePrefix } from '../support/redis';
import { command, makeHarness, retinaCard, type Harness } from './harness';

/**
 * Gap ages count from when each section was first seen missing (per project and section, in Redis), not
 * from when a review opened; `status` and the digest tell the same gaps with the same ages.
 */
const redis = new Redis(testRedisUrl());
const prefixes: string[] = [];
const t = defaultTranslator();
const flow = loadDefaultFlow();

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
});

function harness(): Harness {
  const prefix = `{${uniquePrefix('gap-ages')}}`;
  prefixes.push(prefix);
  return makeHarness({ stores: createRedisStores(redis, prefix) });
}

function textOf(reply: { ephemeral?: OutboundMessage[] } | undefined): string {
  return (reply?.ephemeral ?? []).map((message) => message.text).join('\n');
}

/** Sam's zone and language (the harness default: Berlin, English). */
const samEnv = { t, locale: 'en', tz: 'Europe/Berlin' };

async function snapshotOf(h: Harness) {
  return assembleSnapshot(
    { cards: h.cards, flows: createFlowSource([flow], flow), stores: h.stores },
    { now: h.clock.now(), tz: 'Europe/Berlin' },
  );
}

describe('gap ages from first sighting', () => {
  it('dates a card without a review from its first look, and keeps that date when a review opens', async () => {
    const h = harness();
    const firstLook = h.clock.now().toISOString(); // Mon 23 Nov, 10:30 Berlin
    const before = textOf(await command(h, 'sam', 'status R07.2'));
    expect(before).toContain('No open gate review.');
    expect(before).toContain(
      `Code repo & docs: still the template text (line 11) · missing since ${formatWhen(firstLook, samEnv)}`,
    );

    h.clock.set('2026-11-26T09:30:00Z');
    await command(h, 'sam', 'review R07.2');
    const during = textOf(await command(h, 'sam', 'status R07.2'));
    expect(during).toContain('collecting the card (gaps phase) since Thu 26 Nov');
    expect(during).toContain(`missing since ${formatWhen(firstLook, samEnv)}`);
    expect(during).not.toContain('missing since Thu 26 Nov');
    expect(await h.stores.gapSightings.get('R07.2')).toMatchObject({ 'code-repo': firstLook });
  });

  it('forgets a section once it is filled, and dates it anew when it goes missing again', async () => {
    const h = harness();
    const firstLook = h.clock.now().toISOString();
    await command(h, 'sam', 'status R07.2');
    h.clock.set('2026-11-24T09:30:00Z');
    h.cards.edit('retina-lesion-detector.md', (text) =>
      text.replace('(*link to repo and docs*)', 'https://git.example.org/ml/retina'),
    );
    const filled = textOf(await command(h, 'sam', 'status R07.2'));
    expect(filled).not.toContain('Code repo & docs');
    expect(await h.stores.gapSightings.get('R07.2')).not.toHaveProperty('code-repo');
    expect(await h.stores.gapSightings.get('R07.2')).toMatchObject({ 'testing-status': firstLook });

    h.clock.set('2026-11-25T09:30:00Z');
    h.cards.edit('retina-lesion-detector.md', (text) =>
      text.replace('https://git.example.org/ml/retina', '(*link to repo and docs*)'),
    );
    const again = textOf(await command(h, 'sam', 'status R07.2'));
    expect(again).toContain(
      `still the template text (line 11) · missing since ${formatWhen('2026-11-25T09:30:00Z', samEnv)}`,
    );
  });

  it('gives the digest the same gaps and ages as status, for a project with and without a review', async () => {
    const h = harness();
    h.cards.set('second.md', retinaCard().replace('Retina lesion detector (R07.2)', 'Second look (R08.1)'));
    await command(h, 'sam', 'status R08.1');
    h.clock.set('2026-11-25T09:30:00Z');
    await command(h, 'sam', 'review R07.2');
    h.clock.set('2026-12-07T08:00:00Z');

    const snapshot = await snapshotOf(h);
    for (const id of ['R07.2', 'R08.1']) {
      const project = snapshot.projects.find((p) => p.projectId === id)!;
      const status = textOf(await command(h, 'sam', `status ${id}`));
      const statusGaps = status
        .split('\n')
        .filter((line) => line.includes(' · missing since '))
        .map((line) => line.replace(/^• /, ''));
      expect(project.gaps!.length).toBeGreaterThan(0);
      expect(statusGaps).toHaveLength(project.gaps!.length);
      for (const gap of project.gaps!) {
        expect(
          statusGaps.some(
            (line) => line.startsWith(`${gap.label}:`) && line.endsWith(formatWhen(gap.since, samEnv)),
          ),
        ).toBe(true);
      }
    }
    expect(snapshot.projects.find((p) => p.projectId === 'R08.1')!.gaps![0].since).toBe(
      '2026-11-23T09:30:00.000Z',
    );
    expect(snapshot.projects.find((p) => p.projectId === 'R07.2')!.gaps![0].since).toBe(
      '2026-11-25T09:30:00.000Z',
    );

    // Both are past the flow's threshold: the digest's old-gaps list names them, each by its own age.
    const digest = buildDigest(snapshot, { mode: 'portfolio' }, t)!;
    const old = digest.blocks.find((block) => block.type === 'list' && /^Gaps open/.test(block.title ?? ''));
    expect(old).toBeDefined();
    const items = old!.type === 'list' ? old!.items : [];
    expect(items.some((item) => item.startsWith('R08.1'))).toBe(true);
    expect(items.some((item) => item.startsWith('R07.2'))).toBe(true);
  });
});
