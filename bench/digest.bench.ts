import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createCardDirectory } from '../src/cards';
import { buildDigest, digestPeriod } from '../src/core/digest';
import type { Review } from '../src/core/engine/store-ports';
import { assembleSnapshot } from '../src/digest/assemble-snapshot';
import { renderChartPng } from '../src/digest/render-chart';
import { loadDefaultFlow, loadFlows, BUNDLED_FLOWS_DIR } from '../src/flows';
import { defaultTranslator } from '../src/i18n/translator';
import { closeConnection, createCommandConnection } from '../src/runtime/redis-connections';
import { createRedisStores } from '../src/storage/redis';
import { startPrivateRedis } from '../test/support/redis-server';

/**
 * The weekly digest for 5,000 projects with 500 open reviews (history in a private Redis): assembling
 * the snapshot from cards + stores, building the message, rendering the chart. The baseline, in the same
 * run: reading and parsing those 5,000 card files cold.
 */
const PROJECTS = 5000;
const OPEN_REVIEWS = 500;
const NOW = new Date('2026-11-30T08:00:00Z');
const DAY = 86_400_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function writeCards(dir: string): void {
  const template = readFileSync(join(__dirname, '..', 'cards', 'retina-lesion-detector.md'), 'utf8');
  for (let i = 0; i < PROJECTS; i++) {
    const id = `B${String(i).padStart(4, '0')}.1`;
    const level = [3, 4, 3, 2, 5, 4, 6, 1, 7, 3, 8, 0, 9, 4][i % 14];
    const text = template
      .replace(/^# MLTRL Card - .*$/m, `# MLTRL Card - Bench model ${i} - level ${level}`)
      .replace(/Retina lesion detector \(R07\.2\)/, `Bench model ${i} (${id})`)
      .replace(/(\| Current Level\s+\| )3/, `$1${level}`);
    writeFileSync(join(dir, `card-${i}.md`), text);
  }
}

async function seedHistory(stores: ReturnType<typeof createRedisStores>): Promise<void> {
  await Promise.all(
    Array.from({ length: PROJECTS }, (_, i) =>
      stores.levels.recordEntry(
        `B${String(i).padStart(4, '0')}.1`,
        [3, 4, 3, 2, 5, 4, 6, 1, 7, 3, 8, 0, 9, 4][i % 14],
        '2026-01-05T09:00:00Z',
      ),
    ),
  );
  for (let i = 0; i < OPEN_REVIEWS; i++) {
    const projectId = `B${String(i * 9).padStart(4, '0')}.1`;
    const opened = new Date(NOW.getTime() - (1 + (i % 25)) * DAY).toISOString();
    const voting = i % 2 === 1;
    const review: Review = {
      id: `rev-${i}`,
      projectId,
      flowName: 'mltrl',
      gate: { from: 3, to: 4 },
      phase: voting ? 'voting' : 'gaps',
      requestedBy: { key: 'ana', platform: 'slack', userId: 'U0ANA' },
      conversationId: 'slack:T1:C1',
      openedAt: opened,
      ...(voting ? { voteOpenedAt: opened } : {}),
      cardFile: `card-${i * 9}.md`,
      cardRevision: 'a1b2c3d4e5f6',
      nudges: { target: voting ? 'voters' : 'owners', round: 1, escalated: false },
    };
    await stores.reviews.create(review);
    await stores.audit.append({
      at: opened,
      actor: 'ana',
      type: 'review-started',
      projectId,
      reviewId: review.id,
    });
  }
}

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'digest-bench-'));
  const redisServer = await startPrivateRedis();
  const redis = createCommandConnection({ url: redisServer.url });
  try {
    mkdirSync(dir, { recursive: true });
    writeCards(dir);
    const flows = loadFlows(BUNDLED_FLOWS_DIR);
    const placeholders = loadDefaultFlow().placeholders;
    const t = defaultTranslator();
    const stores = createRedisStores(redis, '{bench}');
    await seedHistory(stores);

    // Baseline: read and parse the 5,000 cards cold (a fresh directory cache).
    gc();
    let start = process.hrtime.bigint();
    const baselineSet = await createCardDirectory(dir, { placeholders }).loadAll();
    const parseMs = ms(start);
    if (baselineSet.cards.length !== PROJECTS)
      throw new Error(`parsed ${baselineSet.cards.length} cards, expected ${PROJECTS}`);

    // The digest, as the worker builds it: warm card cache (the bot re-reads cards all day), stores in Redis.
    const cards = createCardDirectory(dir, { placeholders });
    await cards.loadAll();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 2);
    start = process.hrtime.bigint();
    const snapshot = await assembleSnapshot(
      { cards, flows, stores },
      { now: NOW, tz: 'Europe/Berlin', platform: 'slack', changesSince: new Date(NOW.getTime() - 30 * DAY) },
    );
    const assembleMs = ms(start);
    start = process.hrtime.bigint();
    const period = digestPeriod(NOW, 'Europe/Berlin', 'week', t);
    const textOnly = buildDigest(snapshot, { mode: 'digest', period }, t)!;
    const buildMs = ms(start);
    start = process.hrtime.bigint();
    const message = buildDigest(snapshot, { mode: 'digest', period, renderChart: renderChartPng }, t)!;
    const withChartMs = ms(start);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    clearInterval(sampler);
    const open = snapshot.projects.filter((project) => project.openReview).length;
    if (open !== OPEN_REVIEWS)
      throw new Error(`${open} open reviews in the snapshot, expected ${OPEN_REVIEWS}`);

    const total = assembleMs + withChartMs;
    console.log(
      `digest: ${PROJECTS} projects, ${OPEN_REVIEWS} open reviews, ${snapshot.changes.length} changes; ${message.blocks.length} blocks (${textOnly.blocks.length} without chart)`,
    );
    console.log(`  baseline: read + parse ${PROJECTS} cards cold      ${parseMs.toFixed(0)} ms`);
    console.log(
      `  assemble snapshot (cards warm, Redis stores) ${assembleMs.toFixed(0)} ms   ratio ${(assembleMs / parseMs).toFixed(2)}`,
    );
    console.log(
      `  build message, first call (pure, cold JIT)   ${buildMs.toFixed(1)} ms   ratio ${(buildMs / parseMs).toFixed(3)}`,
    );
    console.log(
      `  build message again + chart PNG             ${withChartMs.toFixed(1)} ms   ratio ${(withChartMs / parseMs).toFixed(3)}`,
    );
    console.log(
      `  whole digest                                 ${total.toFixed(0)} ms   ratio ${(total / parseMs).toFixed(2)}`,
    );
    console.log(
      `  heap: +${mb(heapPeak - heapBefore)} MB peak over ${mb(heapBefore)} MB before (sampled every 2 ms); process peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`,
    );
  } finally {
    await closeConnection(redis);
    await redisServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
