import { fuzzFiles, fuzzPayloads } from './fuzz';

/**
 * The short fuzz run inside `npm test`: a few hundred mutated files and a hundred mutated, signed requests.
 * `npm run chaos` runs 100,000 and 10,000 and prints the figures.
 */
jest.setTimeout(300000);

test('mutated cards, flows and people files: refused with a message naming the file, never a crash', async () => {
  const result = await fuzzFiles(300);
  expect(result.examples).toEqual([]);
  expect(result).toMatchObject({ inputs: 300, crashes: 0, unclear: 0 });
});

test('mutated, correctly signed Slack and Teams requests: no 5xx, no hang, no unhandled rejection, no state change', async () => {
  const result = await fuzzPayloads(100);
  expect(result.examples).toEqual([]);
  expect(result).toMatchObject({
    inputs: 100,
    crashes: 0,
    unclear: 0,
    unhandledRejections: 0,
    stateChanges: 0,
  });
});
