import { copyFileSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCardDirectory } from '../../src/cards';
import { buildDigest } from '../../src/core/digest';
import { assembleSnapshot } from '../../src/digest/assemble-snapshot';
import { BUNDLED_FLOWS_DIR, loadFlows } from '../../src/flows';
import { defaultTranslator } from '../../src/i18n/translator';
import { createMemoryStores } from '../../src/storage/memory/memory-stores';

const CARDS = join(__dirname, '..', '..', 'cards');
const NOW = new Date('2026-11-30T08:00:00Z');

describe('a digest that tells the truth', () => {
  it('lists a card that was never reviewed as stale, aged from its last change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'digest-truth-'));
    copyFileSync(join(CARDS, 'keyword-spotter.md'), join(dir, 'keyword-spotter.md'));
    copyFileSync(join(CARDS, 'invoice-field-extractor.md'), join(dir, 'invoice-field-extractor.md'));
    const tenWeeksAgo = new Date(NOW.getTime() - 70 * 86_400_000);
    utimesSync(join(dir, 'keyword-spotter.md'), tenWeeksAgo, tenWeeksAgo);
    const oneWeekAgo = new Date(NOW.getTime() - 7 * 86_400_000);
    utimesSync(join(dir, 'invoice-field-extractor.md'), oneWeekAgo, oneWeekAgo);

    const snapshot = await assembleSnapshot(
      { cards: createCardDirectory(dir), flows: loadFlows(BUNDLED_FLOWS_DIR), stores: createMemoryStores() },
      { now: NOW, tz: 'Europe/Berlin' },
    );
    expect(snapshot.projects.find((p) => p.projectId === 'S02.1')?.cardChangedAt).toBe(
      tenWeeksAgo.toISOString(),
    );
    const digest = buildDigest(snapshot, { mode: 'portfolio' }, defaultTranslator())!;
    const stale = digest.blocks.find((block) => block.type === 'list' && block.title?.startsWith('Stale'));
    expect(stale).toMatchObject({
      items: ['S02.1 On-device keyword spotter: never reviewed; card last changed 10 weeks ago'],
    });
  });

  it("names a row the card lacks in the reader's language, and keeps the card's own labels", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'digest-labels-'));
    const retina = readFileSync(join(CARDS, 'retina-lesion-detector.md'), 'utf8')
      .replace(/^\| Code repo & docs .*\n/m, '')
      .replace('### Testing status', '### Test results');
    writeFileSync(join(dir, 'retina.md'), retina);
    const stores = createMemoryStores();
    await stores.gapSightings.observe('R07.2', ['code-repo', 'testing-status'], '2026-11-02T09:00:00Z');
    const snapshot = await assembleSnapshot(
      { cards: createCardDirectory(dir), flows: loadFlows(BUNDLED_FLOWS_DIR), stores },
      { now: NOW, tz: 'Europe/Berlin' },
    );
    expect(snapshot.projects[0].gaps).toEqual(
      expect.arrayContaining([
        { key: 'code-repo', label: 'Code repo & docs', since: '2026-11-02T09:00:00Z' },
      ]),
    );
    const german = buildDigest(snapshot, { mode: 'portfolio', locale: 'de' }, defaultTranslator())!;
    const old = german.blocks.find((block) => block.type === 'list' && block.title?.startsWith('Lücken'));
    const items = old?.type === 'list' ? old.items : [];
    expect(items).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^R07\.2 Code-Repository & Doku, /),
        expect.stringMatching(/^R07\.2 Test results, /),
      ]),
    );
    expect(items.join('\n')).not.toContain('Code repo & docs');
  });

  it('leaves never-reviewed cards out when there is no review history to tell (the CLI preview)', async () => {
    const snapshot = await assembleSnapshot(
      { cards: createCardDirectory(CARDS), flows: loadFlows(BUNDLED_FLOWS_DIR) },
      { now: NOW, tz: 'Europe/Berlin' },
    );
    expect(snapshot.projects.every((p) => p.cardChangedAt === undefined)).toBe(true);
  });
});
