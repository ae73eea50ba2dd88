import { click, command, completeRetina, makeHarness } from './harness';

/**
 * A click that changes nothing gets the vote message the previous click rendered (the same frozen
 * object); anything the message shows that changed (another vote, the channel's language, the card)
 * renders it again.
 */
test('an unchanged click reuses the rendered vote message; every change renders it again', async () => {
  const h = makeHarness();
  h.cards.edit('retina-lesion-detector.md', completeRetina);
  await command(h, 'sam', 'review R07.2');

  const first = (await click(h, 'priya', 'vote-abstain')).updated!;
  const again = (await click(h, 'priya', 'vote-abstain')).updated!;
  expect(again).toBe(first);
  expect(Object.isFrozen(first) && Object.isFrozen(first.blocks[0])).toBe(true);

  // A changed vote is on the next card.
  const changed = (await click(h, 'priya', 'vote-request-changes', { reason: 'Too few graders.' })).updated!;
  expect(changed).not.toBe(first);
  expect(first.text).toContain('<@priya> abstained');
  expect(changed.text).toContain('<@priya> requested changes');

  // The channel's language changes the words; the card's edit changes the context it is kept under.
  await command(h, 'lee', 'language use de');
  const german = (await click(h, 'priya', 'vote-abstain')).updated!;
  expect(german).not.toBe(changed);
  expect(german.locale).toBe('de');
  h.cards.edit('retina-lesion-detector.md', (text) =>
    text.replace('A convolutional detector', 'A small convolutional detector'),
  );
  const renamed = (await click(h, 'priya', 'vote-abstain')).updated!;
  expect(renamed.text).toContain('A small convolutional detector');
});
