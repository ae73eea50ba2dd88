import { startAppRig, type AppRig, type VoteOnSlack } from './app-rig';

/**
 * Chaos scenarios on the whole bot as separate processes (2 web + 2 workers, see app-rig.ts): a Redis
 * restart in the middle of voting, and a soak of mixed commands and votes.
 */
export interface VotingResult {
  name: string;
  trials: number;
  clicks: number;
  confirmed: number;
  /** A vote the voter was told was recorded, missing from the stored votes at the end of the trial. */
  votesLost: number;
  /** The vote message at the fake shows another choice than the stored vote, once updates settled. */
  talliesDisagreeing: number;
  seconds: number;
  notes: Record<string, number | string>;
}

export interface SoakResult {
  name: string;
  minutes: number;
  actions: number;
  samples: Array<{ atS: number; rssKb: number[]; redisKb: number }>;
  rssGrowthKbPerHour: number;
  redisGrowthKbPerHour: number;
  seconds: number;
  notes: Record<string, number | string>;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const CHOICES = ['approve', 'abstain'] as const;
const WORD = { approve: 'approved', abstain: 'abstained' } as const;

async function openVote(rig: AppRig): Promise<VoteOnSlack> {
  await rig.command('sam', 'review R07.2');
  return rig.waitForVote();
}

/** Priya's vote as stored (the ballot box hash), read once Redis answers again. */
async function storedChoice(rig: AppRig): Promise<string | undefined> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const [key] = await rig.redis.keys(`*${rig.prefix}*:votes:*`);
      if (!key) return undefined;
      const all = await rig.redis.hgetall(key);
      const field = Object.keys(all).find((name) => name.includes('priya'));
      if (!field) return undefined;
      const parsed = JSON.parse(all[field]) as unknown[];
      return String(parsed[0]);
    } catch {
      await sleep(200);
    }
  }
  throw new Error('Redis did not come back');
}

function lastTally(rig: AppRig, vote: VoteOnSlack): string {
  const updates = rig.fake.calls('chat.update').filter((call) => !call.failed && call.args.ts === vote.ts);
  return JSON.stringify(updates.at(-1)?.args ?? {});
}

/**
 * Redis killed (-9) and restarted on its append-only file in the middle of a run of vote clicks, once per
 * trial; Priya flips between approve and abstain, ten clicks a trial, sent to both web processes.
 */
export async function redisRestartDuringVoting(trials: number, clicksPerTrial = 10): Promise<VotingResult> {
  const started = Date.now();
  const rig = await startAppRig();
  const result: VotingResult = {
    name: 'Redis killed and restarted in the middle of voting (2 web + 2 workers)',
    trials,
    clicks: 0,
    confirmed: 0,
    votesLost: 0,
    talliesDisagreeing: 0,
    seconds: 0,
    notes: { 'refused or failed clicks': 0, 'no answer': 0 },
  };
  try {
    const vote = await openVote(rig);
    for (let trial = 0; trial < trials; trial++) {
      let lastConfirmed: (typeof CHOICES)[number] | undefined;
      let restart: Promise<void> | undefined;
      for (let click = 0; click < clicksPerTrial; click++) {
        if (click === Math.floor(clicksPerTrial / 2)) restart = rig.restartRedis(1000);
        const choice = CHOICES[(trial + click) % 2];
        const answer = await rig.click('priya', vote, `mltrl:vote-${choice}`);
        result.clicks += 1;
        if (answer === undefined) result.notes['no answer'] = Number(result.notes['no answer']) + 1;
        else if (/is recorded|is changed to|already recorded/.test(answer)) {
          result.confirmed += 1;
          lastConfirmed = choice;
        } else
          result.notes['refused or failed clicks'] = Number(result.notes['refused or failed clicks']) + 1;
      }
      await restart;
      const stored = await storedChoice(rig);
      if (lastConfirmed && stored !== lastConfirmed) result.votesLost += 1;
      // The tally shown settles within the delivery queue's retries; a minute is plenty.
      const word = stored === 'approve' || stored === 'abstain' ? WORD[stored] : 'pending';
      const until = Date.now() + 60000;
      while (!lastTally(rig, vote).includes(`<@UPRIYA> ${word}`) && Date.now() < until) await sleep(250);
      if (!lastTally(rig, vote).includes(`<@UPRIYA> ${word}`)) result.talliesDisagreeing += 1;
    }
    const health = (await rig.health()) as Array<{ redis?: { state?: string; outages?: number } }>;
    result.notes['healthz redis'] = health
      .map((one) => `${one.redis?.state ?? '?'} after ${one.redis?.outages ?? '?'} outages`)
      .join(', ');
  } finally {
    await rig.close();
  }
  result.seconds = Math.round((Date.now() - started) / 100) / 10;
  return result;
}

/** Least-squares slope of y over x (per second), times 3600: growth per hour. */
function perHour(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const num = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const den = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return den === 0 ? 0 : Math.round((num / den) * 3600);
}

/**
 * A steady mix for `minutes`: status, help and history commands from several people and Priya flipping her
 * vote, about two actions a second; RSS of every bot process and Redis' used memory sampled each 10 s.
 * Growth per hour is the slope after the first minute (start-up caches warm).
 */
export async function soak(minutes: number): Promise<SoakResult> {
  const started = Date.now();
  const rig = await startAppRig();
  const samples: SoakResult['samples'] = [];
  let actions = 0;
  let failed = 0;
  try {
    const vote = await openVote(rig);
    const sample = async () => {
      const info = await rig.redis.info('memory');
      const used = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
      samples.push({
        atS: Math.round((Date.now() - started) / 1000),
        rssKb: rig.rssKb(),
        redisKb: Math.round(used / 1024),
      });
    };
    await sample();
    const until = Date.now() + minutes * 60000;
    let nextSample = Date.now() + 10000;
    const mix: Array<() => Promise<unknown>> = [
      () => rig.command('ana', 'status R07.2'),
      () => rig.click('priya', vote, 'mltrl:vote-approve'),
      () => rig.command('max', 'help'),
      () => rig.click('priya', vote, 'mltrl:vote-abstain'),
      () => rig.command('lee', 'history R07.2'),
      () => rig.click('max', vote, 'mltrl:vote-approve'),
    ];
    while (Date.now() < until) {
      const answer = await mix[actions % mix.length]().catch(() => undefined);
      if (answer === undefined || answer === '') failed += 1;
      actions += 1;
      if (Date.now() >= nextSample) {
        await sample();
        nextSample += 10000;
      }
      await sleep(500);
    }
    await sample();
  } finally {
    await rig.close();
  }
  const warm = samples.filter((one) => one.atS >= 60 + (samples[0]?.atS ?? 0));
  const used = warm.length >= 2 ? warm : samples;
  return {
    name: 'soak: mixed commands and votes (2 web + 2 workers)',
    minutes,
    actions,
    samples,
    rssGrowthKbPerHour: perHour(used.map((one) => [one.atS, one.rssKb.reduce((a, b) => a + b, 0)])),
    redisGrowthKbPerHour: perHour(used.map((one) => [one.atS, one.redisKb])),
    seconds: Math.round((Date.now() - started) / 100) / 10,
    notes: {
      'actions without an answer': failed,
      'RSS first/last KB (sum of 4)': `${samples[0]?.rssKb.reduce((a, b) => a + b, 0)}/${samples.at(-1)?.rssKb.reduce((a, b) => a + b, 0)}`,
      'Redis first/last KB': `${samples[0]?.redisKb}/${samples.at(-1)?.redisKb}`,
    },
  };
}

export function formatVoting(results: VotingResult[]): string {
  const lines = [
    '| scenario | trials | clicks | confirmed | votes lost | tallies disagreeing | seconds | notes |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const notes = Object.entries(r.notes)
      .map(([name, value]) => `${name}: ${value}`)
      .join('; ');
    lines.push(
      `| ${r.name} | ${r.trials} | ${r.clicks} | ${r.confirmed} | ${r.votesLost} | ${r.talliesDisagreeing} | ${r.seconds} | ${notes} |`,
    );
  }
  return lines.join('\n');
}

export function formatSoak(result: SoakResult): string {
  const notes = Object.entries(result.notes)
    .map(([name, value]) => `${name}: ${value}`)
    .join('; ');
  return [
    '| soak | minutes | actions | RSS growth KB/h (4 processes) | Redis growth KB/h | samples | notes |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| ${result.name} | ${result.minutes} | ${result.actions} | ${result.rssGrowthKbPerHour} | ${result.redisGrowthKbPerHour} | ${result.samples.length} | ${notes} |`,
  ].join('\n');
}
