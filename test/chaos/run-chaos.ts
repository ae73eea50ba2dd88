/**
 * `npm run chaos` (full), `npm run chaos -- --medium` or `npm run chaos -- --short` (the CI sizes): runs the fault scenarios one after
 * another and prints one table of trials, lost, duplicated, misthreaded and uncertain messages.
 */
import {
  ambiguousAnswers,
  formatResults,
  killAtRandom,
  killDuringParent,
  sigtermDuringParent,
  storm,
  type ScenarioResult,
} from './chaos';

async function main(): Promise<number> {
  // --short: the CI sizes; --medium: a few minutes on a laptop; neither: the full sizes of issue 14.
  const size = process.argv.includes('--short') ? 0 : process.argv.includes('--medium') ? 1 : 2;
  const pick = (short: number, medium: number, full: number) => [short, medium, full][size];
  const results: ScenarioResult[] = [];
  const run = async (scenario: () => Promise<ScenarioResult>) => {
    const result = await scenario();
    results.push(result);
    console.log(formatResults([result]).split('\n').at(-1));
  };
  await run(() => killAtRandom(pick(3, 10, 100)));
  await run(() => killDuringParent(pick(2, 5, 30), pick(1500, 3000, 3000)));
  await run(() => sigtermDuringParent(pick(1, 5, 30), pick(800, 800, 800)));
  await run(() => ambiguousAnswers(pick(6, 30, 30)));
  await run(() => storm(pick(10, 60, 120)));
  console.log(`\n${formatResults(results)}`);
  const bad = results.filter((result) => result.lost > 0 || result.duplicated > 0 || result.misthreaded > 0);
  return bad.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
