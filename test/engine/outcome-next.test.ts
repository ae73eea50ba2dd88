import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CardDecision, CardWriter } from '../../src/core/ports';
import { click, command, completeRetina, directory, makeHarness } from './harness';

/**
 * The outcome says what comes next: the next gate from the level just recorded and what the card still
 * lacks for it; and when the card's own Current Level now disagrees, its owners are asked to update it
 * (unless the bot writes decisions back into the card itself).
 */
class RecordingWriter implements CardWriter {
  readonly mode = 'commit' as const;
  readonly written: CardDecision[] = [];
  async write(decision: CardDecision) {
    this.written.push(decision);
    return {};
  }
}

async function advanceRetina(writer?: CardWriter) {
  const h = makeHarness({ cardWriter: writer });
  // Complete for 3 -> 4, but without the intended use that 4 -> 5 requires.
  h.cards.edit('retina-lesion-detector.md', (text) =>
    completeRetina(text).replace(
      'Research prototype for triage experiments with the grading team. Not for diagnosis.\n',
      '',
    ),
  );
  await command(h, 'sam', 'review R07.2');
  await click(h, 'priya', 'vote-approve');
  await click(h, 'li', 'vote-approve');
  expect(await h.stores.levels.get('R07.2')).toBe(4);
  return h.delivery.find('-outcome')[0]!.message.text;
}

describe('the outcome names what comes next', () => {
  it('after an advance: the next gate and its missing sections, and the owners are asked to update the card level', async () => {
    const text = await advanceRetina();
    expect(text).toContain('Next gate level 4 -> 5 needs: Intended use. Run /mltrl review R07.2 when ready.');
    expect(text).toContain(
      '<@ana>, <@sam>: the card (retina-lesion-detector.md) still says Current Level 3; please set it to 4.',
    );
  });

  it('does not ask for the card update when the bot writes decisions back (CARDS_WRITE_BACK)', async () => {
    const text = await advanceRetina(new RecordingWriter());
    expect(text).toContain('Next gate level 4 -> 5 needs: ');
    expect(text).not.toContain('still says Current Level');
  });

  it('after a switchback: the gate from the lower level, and the card that still says 9', async () => {
    const yarin = { id: 'yarin', name: 'Yarin Gal', handles: ['yarin'], roles: ['product'] };
    const h = makeHarness({ people: { people: [...directory.people, yarin] } });
    const file = 'retina-image-quality-gate.md';
    h.cards.set(file, readFileSync(join(__dirname, '..', '..', 'cards', file), 'utf8'));
    await command(h, 'lee', 'review R03.1');
    const reason = 'drift on the new cameras';
    await click(h, 'priya', 'vote-switchback', { level: 7, reason });
    await click(h, 'yarin', 'vote-switchback', { level: 7, reason });
    // The monitoring vote stays open at least 24 hours: its deadline job closes it.
    h.clock.set('2026-12-10T12:00:00Z');
    await h.scheduler.runDue(h.engine, h.clock.now());
    expect(await h.stores.levels.get('R03.1')).toBe(7);
    const text = h.delivery.find('-outcome')[0]!.message.text;
    expect(text).toContain('R03.1 switched back to level 7');
    expect(text).toContain('Run /mltrl review R03.1 when ready for the next gate (level 7 -> 8).');
    expect(text).toContain(
      '<@ana>: the card (retina-image-quality-gate.md) still says Current Level 9; please set it to 7.',
    );
  });
});
