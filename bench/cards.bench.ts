import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { createCardDirectory } from '../src/cards';
import { createCardMarkdown, stockBlockMarkdown } from '../src/cards/markdown';
import { findGaps } from '../src/core/gaps';
import { loadDefaultFlow } from '../src/flows';
import { generateCard } from './generate-card';

/**
 * `npm run bench -- cards`: 10,000 generated cards of about 5 KiB (levels 0-9, varied gaps).
 * - full check (list, stat, read, parse, gaps; cold cache) beside the bare markdown-it parse of the same
 *   files (read + markdown-it as shipped, block level, as the cards are read): the ratio should be >= 0.8
 *   (issue 16). The card reader makes markdown-it's block tokens faster (src/cards/markdown.ts), so the
 *   check is also shown beside a read + parse with that same tuned parser: what the card reading adds;
 * - peak memory;
 * - re-check of the unchanged directory (cache) beside a bare directory listing.
 */
const CARDS = 10_000;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mltrl-cards-bench-'));
  try {
    let bytes = 0;
    for (let index = 0; index < CARDS; index++) {
      const text = generateCard(index);
      bytes += Buffer.byteLength(text);
      writeFileSync(join(dir, `card-${String(index).padStart(5, '0')}.md`), text);
    }
    const flow = loadDefaultFlow();
    console.log(`${CARDS} cards, ${(bytes / CARDS / 1024).toFixed(1)} KiB on average, in ${dir}`);

    const files = readdirSync(dir).sort();
    const md = stockBlockMarkdown();
    const bareParse = () => {
      for (const file of files) md.parse(readFileSync(join(dir, file), 'utf8'), {});
    };
    const tunedMd = createCardMarkdown();
    const tunedParse = () => {
      for (const file of files) tunedMd.parse(readFileSync(join(dir, file), 'utf8'), {});
    };
    const fullMd = new MarkdownIt();
    const fullParse = () => {
      for (const file of files) fullMd.parse(readFileSync(join(dir, file), 'utf8'), {});
    };
    const fullCheck = async () => {
      const set = await createCardDirectory(dir, { placeholders: flow.placeholders }).loadAll();
      let gaps = 0;
      for (const card of set.cards) gaps += findGaps(card, flow).required.length;
      if (set.cards.length !== CARDS) throw new Error(`expected ${CARDS} cards, got ${set.cards.length}`);
      return gaps;
    };

    // Warm-up (JIT, file cache), then alternate measurements so drift hits both sides alike.
    bareParse();
    tunedParse();
    await fullCheck();
    const bare: number[] = [];
    const tuned: number[] = [];
    const tunedCpu: number[] = [];
    const check: number[] = [];
    const rssBefore = process.memoryUsage().rss;
    let heapPeak = 0;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
    let gapsFound = 0;
    const bareCpu: number[] = [];
    const checkCpu: number[] = [];
    for (let round = 0; round < 5; round++) {
      bare.push(await time(async () => bareParse()));
      bareCpu.push(lastCpu());
      tuned.push(await time(async () => tunedParse()));
      tunedCpu.push(lastCpu());
      check.push(await time(async () => (gapsFound = await fullCheck())));
      checkCpu.push(lastCpu());
    }
    clearInterval(sampler);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    const full = await time(async () => fullParse());

    const bareRate = CARDS / (median(bare) / 1000);
    const checkRate = CARDS / (median(check) / 1000);
    const tunedRate = CARDS / (median(tuned) / 1000);
    console.log(
      `load average ${loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')}`,
    );
    console.log(`bare markdown-it parse (read + block parse, stock): ${rate(bareRate)} cards/s`);
    console.log(
      `full check (list + stat + read + parse + gaps):      ${rate(checkRate)} cards/s  ` +
        `ratio ${(checkRate / bareRate).toFixed(2)} (target >= 0.8); ${gapsFound} required gaps found`,
    );
    console.log(
      `  by CPU time: bare ${rate(CARDS / (median(bareCpu) / 1000))} cards/s, full check ` +
        `${rate(CARDS / (median(checkCpu) / 1000))} cards/s, ratio ${(median(bareCpu) / median(checkCpu)).toFixed(2)}`,
    );
    console.log(
      `  beside read + parse with the card reader's own tuned parser: ${rate(tunedRate)} cards/s, ` +
        `ratio ${(checkRate / tunedRate).toFixed(2)} wall, ${(median(tunedCpu) / median(checkCpu)).toFixed(2)} CPU ` +
        `(what reading the card adds to the parse)`,
    );
    console.log(
      `  for context, markdown-it with its inline pass:     ${rate(CARDS / (full / 1000))} cards/s  ` +
        `(full check is ${(checkRate / (CARDS / (full / 1000))).toFixed(2)}x that)`,
    );
    const maxRss = process.resourceUsage().maxRSS * 1024;
    console.log(
      `peak memory: RSS ${mib(maxRss)} MiB (${mib(rssBefore)} MiB before the timed rounds), ` +
        `heap used peak ${mib(heapPeak)} MiB`,
    );

    const cached = createCardDirectory(dir, { placeholders: flow.placeholders });
    await cached.loadAll();
    const listing: number[] = [];
    const reread: number[] = [];
    const recheck: number[] = [];
    for (let round = 0; round < 5; round++) {
      listing.push(await time(async () => void (await readdir(dir))));
      reread.push(await time(async () => void (await cached.loadAll())));
      recheck.push(
        await time(async () => {
          const set = await cached.loadAll();
          for (const card of set.cards) findGaps(card, flow);
        }),
      );
    }
    const ms = (values: number[]) => `${median(values).toFixed(1)} ms`;
    console.log(
      `unchanged directory, cached: re-read ${ms(reread)} (${(median(reread) / median(listing)).toFixed(1)}x the ` +
        `bare listing, ${ms(listing)}); re-check with gaps ${ms(recheck)} ` +
        `(${(median(recheck) / median(listing)).toFixed(1)}x the listing, ${(median(check) / median(recheck)).toFixed(1)}x faster than the cold check)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU time of this process (user + system), in ms: the machine is shared, wall time is reported too. */
const cpuTimes: number[] = [];
async function time(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  await work();
  const cpu = process.cpuUsage(cpuStarted);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The CPU time of the last measurement. */
const lastCpu = () => cpuTimes[cpuTimes.length - 1];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const rate = (value: number) => Math.round(value).toLocaleString('en').padStart(7);
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
