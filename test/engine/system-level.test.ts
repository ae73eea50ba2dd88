import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { command, makeHarness } from './harness';

const textOf = (reply: { ephemeral: Array<{ text: string }> }) =>
  reply.ephemeral.map((m) => m.text).join('\n');

const anomaly = () =>
  readFileSync(join(__dirname, '..', '..', 'cards', 'transaction-anomaly-detector.md'), 'utf8').replace(
    'TODO: golden data set and data-slice tests per card type and country.',
    'Golden data set and data-slice tests per card type and country pass.',
  );

const featureStore = (level: number) =>
  [
    `# MLTRL Card - Feature store - level ${level}`,
    '',
    '| Summary info | Content |',
    '|---|---|',
    '| Tech name (project ID) | Feature store (T02.1) |',
    `| Current Level | ${level} |`,
    '| Owner(s) | Li Wei |',
    '| Reviewer(s) | Priya Nair |',
  ].join('\n');

describe('system level through coupled components in the engine', () => {
  test('status shows own and system level; the gate review lists the component that holds 7 -> 8', async () => {
    const h = makeHarness();
    h.cards.set('anomaly.md', anomaly());
    h.cards.set('feature-store.md', featureStore(4));

    const status = textOf(await command(h, 'sam', 'status T07.8'));
    expect(status).toContain('T07.8 Transaction anomaly detector: level 7');
    expect(status).toContain('System level 4 (own level 7): held by T02.1 Feature store at level 4.');
    expect(status).toContain('Coupled components without a card (level unknown): T05.0.');
    expect(status).toContain(
      'Coupled components: T02.1 Feature store is at level 4; this gate needs every coupled component at 7 or above',
    );

    await command(h, 'sam', 'review T07.8');
    const report = h.delivery.find('-gaps-')[0];
    expect(report.message.text).toContain(
      'System level 4 (own level 7): held by T02.1 Feature store at level 4.',
    );
    expect(report.message.text).toContain(
      'T02.1 Feature store is at level 4; this gate needs every coupled component at 7',
    );

    // The component's recorded level counts: once reviews record it at 7, the gate is no longer held.
    await h.stores.levels.recordEntry('T02.1', 7, h.clock.now().toISOString());
    const after = textOf(await command(h, 'sam', 'status T07.8'));
    expect(after).not.toContain('held by');
    expect(after).toContain('System level 7, the same as its own; coupled: T02.1 (7).');
    expect(after).not.toContain('this gate needs every coupled component');
  });
});

describe('ethics checklist in the engine', () => {
  const fixture = (name: string) =>
    readFileSync(join(__dirname, '..', 'fixtures', 'cards', 'ethics', name), 'utf8');

  test('status and the gate review show the open post-dev items holding 8 -> 9; a fixed checklist frees it', async () => {
    const h = makeHarness();
    h.cards.set('hull/hull-9.md', fixture('hull-9.md'));
    h.cards.set('hull/checklist.md', fixture('checklist.md'));
    const status = textOf(await command(h, 'ana', 'status H04.2'));
    expect(status).toContain(
      'Ethics checks?: ethics checklist: 7 of 10 checked (pre-dev complete, post-dev 3 open, other questions complete)',
    );
    h.cards.edit('hull/checklist.md', (text) => text.replace(/- \[ \]|\d\. \[ \]/g, '- [x]'));
    expect(textOf(await command(h, 'ana', 'status H04.2'))).not.toContain('Ethics checks?');
    h.cards.texts.delete('hull/checklist.md');
    expect(textOf(await command(h, 'ana', 'status H04.2'))).toContain(
      'Ethics checks?: ethics checklist ./checklist.md: no such file',
    );
  });
});
