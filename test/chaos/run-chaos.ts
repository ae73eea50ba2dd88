/**
 * `npm run chaos` (full), `npm run chaos -- --medium` or `npm run chaos -- --short` (the CI sizes): runs the
 * fault scenarios one after another and prints one table of trials, lost, duplicated, misthreaded and
 * uncertain messages, one of the fuzz runs, and those of the whole bot as separate processes (Redis restart
 * during voting, soak). `--only=kill,parent,sigterm,ambiguous,teams-ambiguous,storm,sentinel,fuzz-files,fuzz-payloads,restart,soak`
 * runs just the named ones. `--payloads=`, `--seed=` and `--payload-count=` narrow the payload fuzz.
 */
import {
  ambiguousAnswers,
  formatResults,
  killAtRandom,
  killDuringParent,
  sentinelFailover,
  sigtermDuringParent,
  storm,
  type ScenarioResult,
} from './chaos';
import { teamsAmbiguous } from './teams-ambiguous';
import {
  formatFuzz,
  fuzzFiles,
  fuzzPayloads,
  PAYLOAD_SEEDS,
  type FuzzResult,
  type PayloadSeed,
} from './fuzz';
import { formatSoak, formatVoting, redisRestartDuringVoting, soak } from './voting';

async function main(): Promise<number> {
  // --short: the CI sizes; --medium: a few minutes on a laptop; neither: the full sizes of issue 14.
  const size = process.argv.includes('--short') ? 0 : process.argv.includes('--medium') ? 1 : 2;
  const pick = (short: number, medium: number, full: number) => [short, medium, full][size];
  const only = process.argv
    .find((arg) => arg.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const wanted = (name: string) => !only || only.includes(name);
  // The payload fuzz narrowed to some seed requests (`--payloads=slack-vote,teams-invoke`), another seed
  // (`--seed=7`) or size (`--payload-count=3000`): the mutations of input i depend only on the seed.
  const option = (name: string) =>
    process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const payloads = option('payloads')?.split(',') as PayloadSeed[] | undefined;
  const unknown = payloads?.filter((name) => !PAYLOAD_SEEDS.includes(name));
  if (unknown?.length)
    throw new Error(`--payloads: unknown ${unknown.join(', ')}; known: ${PAYLOAD_SEEDS.join(', ')}`);
  const fuzzSeed = Number(option('seed') ?? 14);
  const payloadCount = option('payload-count');
  const results: ScenarioResult[] = [];
  const fuzzed: FuzzResult[] = [];
  const scenarios: Array<[string, () => Promise<ScenarioResult>]> = [
    ['kill', () => killAtRandom(pick(3, 10, 100))],
    ['parent', () => killDuringParent(pick(2, 5, 30), pick(1500, 3000, 3000))],
    ['sigterm', () => sigtermDuringParent(pick(1, 5, 30), 800)],
    ['ambiguous', () => ambiguousAnswers(pick(6, 30, 30))],
    ['teams-ambiguous', () => teamsAmbiguous(pick(4, 30, 30))],
    ['storm', () => storm(pick(10, 60, 120))],
    ['sentinel', () => sentinelFailover(pick(4, 20, 40))],
  ];
  for (const [name, scenario] of scenarios) {
    if (!wanted(name)) continue;
    const result = await scenario();
    results.push(result);
    console.log(formatResults([result]).split('\n').at(-1));
  }
  const fuzzes: Array<[string, () => Promise<FuzzResult>]> = [
    ['fuzz-files', () => fuzzFiles(pick(300, 10000, 100000))],
    [
      'fuzz-payloads',
      () => fuzzPayloads(payloadCount ? Number(payloadCount) : pick(100, 1000, 10000), fuzzSeed, payloads),
    ],
  ];
  for (const [name, fuzz] of fuzzes) {
    if (!wanted(name)) continue;
    const result = await fuzz();
    fuzzed.push(result);
    console.log(formatFuzz([result]).split('\n').at(-1));
    for (const example of result.examples) console.log(`  ${example}`);
  }
  const whole: string[] = [];
  let votesBad = 0;
  if (wanted('restart')) {
    const result = await redisRestartDuringVoting(pick(1, 5, 20), pick(6, 10, 10));
    votesBad += result.votesLost + result.talliesDisagreeing;
    whole.push(formatVoting([result]));
    console.log(whole.at(-1)!.split('\n').at(-1));
  }
  if (wanted('soak')) {
    // `--soak-minutes=60` for a longer soak than the full size's ten minutes.
    const result = await soak(Number(option('soak-minutes') ?? pick(1, 3, 10)));
    whole.push(formatSoak(result));
    console.log(whole.at(-1)!.split('\n').at(-1));
    console.log(
      `  samples (s: RSS KB of web, web, worker, worker; Redis KB): ${result.samples
        .map((one) => `${one.atS}: ${one.rssKb.join('/')}; ${one.redisKb}`)
        .join(' | ')}`,
    );
  }
  if (results.length > 0) console.log(`\n${formatResults(results)}`);
  for (const table of whole) console.log(`\n${table}`);
  if (fuzzed.length > 0) console.log(`\n${formatFuzz(fuzzed)}`);
  const bad = results.filter((result) => result.lost > 0 || result.duplicated > 0 || result.misthreaded > 0);
  const badFuzz = fuzzed.filter(
    (result) => result.crashes + result.unclear + result.unhandledRejections + result.stateChanges > 0,
  );
  return bad.length + badFuzz.length + votesBad === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
