import { checkCards } from '../../src/cards/check-cards';
import { isCardError, parseCard } from '../../src/cards';
import { createFlowSource, loadDefaultFlow } from '../../src/flows';
import { command, makeHarness, retinaCard } from './harness';

/** Engine rules about flows: an unknown flow is an error, a channel may choose its flow, a card's row wins. */
const textOf = (reply: { ephemeral: Array<{ text: string }> }) =>
  reply.ephemeral.map((m) => m.text).join('\n');
const lean = { ...loadDefaultFlow(), name: 'lean' };
const withFlowRow = (name: string) => (text: string) =>
  text.replace(/(\| Tech name \(project ID\)[^\n]*\n)/, `$1| Flow | ${name} |\n`);

describe('flows', () => {
  it('refuses to review a card whose Flow row names no known flow, and opens nothing', async () => {
    const h = makeHarness({ extraFlows: [lean] });
    h.cards.edit('retina-lesion-detector.md', withFlowRow('nosuch'));
    const reply = textOf(await command(h, 'sam', 'review R07.2'));
    expect(reply).toContain(
      'names the flow "nosuch" in its Flow row, which is not a known flow (mltrl, lean)',
    );
    expect(await h.stores.reviews.listOpen()).toEqual([]);
  });

  it('lets admins choose a channel flow, shows it in status, and a card row still wins', async () => {
    const h = makeHarness({ extraFlows: [lean] });
    expect(textOf(await command(h, 'sam', 'flow use lean'))).toContain('Only admins');
    expect(textOf(await command(h, 'lee', 'flow use nosuch'))).toContain('There is no flow "nosuch"');
    expect(textOf(await command(h, 'ana', 'flow'))).toContain('the default flow mltrl');
    expect(textOf(await command(h, 'lee', 'flow use lean'))).toContain('now follow the flow lean');
    expect(textOf(await command(h, 'ana', 'flow'))).toContain('follow the flow lean');
    expect(textOf(await command(h, 'ana', 'status R07.2'))).toContain("Flow lean (this channel's choice)");
    await command(h, 'sam', 'review R07.2');
    expect((await h.stores.reviews.listOpen())[0].flowName).toBe('lean');
    await command(h, 'sam', 'cancel R07.2');

    h.cards.edit('retina-lesion-detector.md', withFlowRow('mltrl'));
    expect(textOf(await command(h, 'ana', 'status R07.2'))).toContain("Flow mltrl (the card's Flow row)");
    await command(h, 'sam', 'review R07.2');
    expect((await h.stores.reviews.listOpen())[0].flowName).toBe('mltrl');

    const trail = await h.stores.audit.listByProject('*');
    expect(trail.map((event) => [event.type, event.data?.reason ?? event.data?.flow])).toEqual([
      ['refused', 'not-admin'],
      ['refused', 'unknown-flow'],
      ['flow-chosen', 'lean'],
    ]);
  });
});

describe('cards check', () => {
  it('reports an unknown flow name as an error with file and line, never checks against the default', () => {
    const card = parseCard(withFlowRow('nosuch')(retinaCard()), 'retina.md');
    if (isCardError(card)) throw new Error(card.message);
    const flows = createFlowSource([loadDefaultFlow()], loadDefaultFlow());
    const result = checkCards({ cards: [card], errors: [], skipped: [] }, flows);
    expect(result.checks).toEqual([]);
    expect(result.errors).toMatchObject([{ file: 'retina.md', line: 6, code: 'unknown-flow' }]);
    expect(result.errors[0].message).toContain('names the flow "nosuch"');
  });
});
