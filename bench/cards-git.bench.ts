import { execFileSync, execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import { parseCard } from '../src/cards';
import { createGitCardSource } from '../src/cards/git/git-card-source';
import { createWatchedCardDirectory } from '../src/cards/watched-directory';
import type { CardSource } from '../src/core/ports';
import { createEngine } from '../src/core/engine';
import type { DeliveryRequest, Engine } from '../src/core/engine-api';
import { findGaps } from '../src/core/gaps';
import { createFlowSource, loadDefaultFlow } from '../src/flows';
import { defaultTranslator } from '../src/i18n/translator';
import { mountGitWebhook } from '../src/runtime/git-webhook';
import { listen } from '../src/runtime/web-server';
import { createMemoryStores } from '../src/storage/memory/memory-stores';
import { generateCard } from './generate-card';

/**
 * `npm run bench -- cards-git`: a card repository of 5,000 generated cards.
 * - a push that changes one card, from the signed webhook to the updated gap report, beside a bare
 *   `git fetch` of the same push by a plain clone (target <= 1.5x);
 * - cold start (clone, parse every card) beside a bare `git clone` (reported);
 * - the local watcher: change-to-update time of the gap report over 100 edits (p50 / p99).
 */
const CARDS = 5_000;
const PUSHES = 12;
const EDITS = 100;
const SECRET = 'bench-secret';
const run$ = promisify(execFile);
const ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_'))),
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.org',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.org',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: ENV, stdio: 'pipe' }).toString().trim();
const gitAsync = (cwd: string, ...args: string[]) => run$('git', args, { cwd, env: ENV });

const median = (values: number[]) => quantile(values, 0.5);
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** The engine on memory stores and the given card source; resolves waiters when a gap report update arrives. */
function engineOn(cards: CardSource) {
  const waiters: Array<(request: DeliveryRequest) => void> = [];
  const flow = loadDefaultFlow();
  const engine: Engine = createEngine({
    stores: createMemoryStores(),
    cards,
    flows: createFlowSource([flow], flow),
    people: { people: [] },
    delivery: {
      async send(requests) {
        for (const request of requests)
          if (request.op === 'update' && request.key.includes('-gaps-'))
            waiters.splice(0).forEach((w) => w(request));
      },
    },
    scheduler: { async schedule() {}, async cancel() {} },
    clock: { now: () => new Date() },
    t: defaultTranslator(),
    admins: ['bench'],
    defaultTz: 'UTC',
    defaultLocale: 'en',
  });
  const nextUpdate = () => new Promise<DeliveryRequest>((resolve) => waiters.push(resolve));
  return { engine, nextUpdate };
}

/** A generated card whose next gate has required gaps: its review stays in the gaps phase. */
function cardWithGaps(): number {
  const flow = loadDefaultFlow();
  for (let index = 1; index < CARDS; index++) {
    const card = parseCard(generateCard(index), 'x.md');
    if ('level' in card && card.level < 9 && findGaps(card, flow).required.length > 0) return index;
  }
  throw new Error('no generated card with gaps');
}

async function startReview(engine: Engine, index: number): Promise<void> {
  const reply = await engine.handle({
    type: 'command',
    actor: { platform: 'playground', userId: 'bench', name: 'bench' },
    conversationId: 'playground:bench',
    text: `review G${index}`,
  });
  if (!reply.ephemeral.some((message) => message.text.includes('Started'))) {
    throw new Error(`review did not start: ${reply.ephemeral.map((m) => m.text).join(' ')}`);
  }
}

/** Changes the TL;DR line (not a gate requirement), so the review stays in gaps with a new revision. */
const edited = (text: string, round: number) =>
  text.replace(/\*\*TL;DR\*\* - [^\n]*/, `**TL;DR** - edit ${round}.`);

export async function run(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'mltrl-cards-git-bench-'));
  try {
    const author = join(root, 'author');
    const bare = join(root, 'cards.git');
    mkdirSync(join(author, 'cards'), { recursive: true });
    for (let index = 0; index < CARDS; index++) {
      writeFileSync(join(author, 'cards', `card-${String(index).padStart(5, '0')}.md`), generateCard(index));
    }
    git(root, 'init', '-q', '--bare', '-b', 'main', bare);
    git(author, 'init', '-q', '-b', 'main');
    git(author, 'add', '-A');
    git(author, 'commit', '-q', '-m', 'cards');
    git(author, 'remote', 'add', 'origin', bare);
    git(author, 'push', '-q', 'origin', 'main');
    const url = `file://${bare}`;
    const chosen = cardWithGaps();
    const file = join(author, 'cards', `card-${String(chosen).padStart(5, '0')}.md`);
    console.log(`${CARDS} cards in a bare repository; review on G${chosen}`);

    // Cold start: the source's clone + first full read, beside a bare clone (alternating, 2 rounds each).
    const cold: number[] = [];
    const bareClone: number[] = [];
    for (let round = 0; round < 2; round++) {
      let started = performance.now();
      await gitAsync(
        root,
        'clone',
        '-q',
        '--no-tags',
        '--single-branch',
        url,
        join(root, `bare-clone-${round}`),
      );
      bareClone.push(performance.now() - started);
      started = performance.now();
      const source = createGitCardSource({
        remote: { url },
        path: 'cards',
        cloneDir: join(root, `cold-${round}`),
        pollSeconds: 0,
      });
      await source.start!();
      const set = await source.loadAll();
      if (set.cards.length !== CARDS) throw new Error(`expected ${CARDS} cards, got ${set.cards.length}`);
      cold.push(performance.now() - started);
    }
    console.log(
      `cold start (clone + parse ${CARDS}): ${ms(median(cold))} beside bare git clone ${ms(median(bareClone))} ` +
        `(ratio ${(median(cold) / median(bareClone)).toFixed(2)}x, reported)`,
    );

    // Push -> webhook -> fetch -> re-parse one card -> re-check -> gap report update.
    const source = createGitCardSource({
      remote: { url },
      path: 'cards',
      cloneDir: join(root, 'bot'),
      pollSeconds: 0,
    });
    const { engine, nextUpdate } = engineOn(source);
    source.onChange!((files) => void engine.cardsChanged(files));
    await source.start!();
    await source.loadAll();
    await startReview(engine, chosen);
    const app = express();
    mountGitWebhook(app, { secret: SECRET, onPush: () => source.sync(), logger: quietLogger });
    const server = await listen(app, 0, '127.0.0.1');
    const plain = join(root, 'bare-clone-0');
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const hook: number[] = [];
    const fetchOnly: number[] = [];
    const text = readFileSync(file, 'utf8');
    try {
      for (let round = 0; round < PUSHES + 2; round++) {
        writeFileSync(file, edited(text, round));
        git(author, 'commit', '-q', '-am', `edit ${round}`);
        git(author, 'push', '-q', 'origin', 'main');
        let started = performance.now();
        await gitAsync(plain, 'fetch', '-q', 'origin');
        const fetched = performance.now() - started;
        started = performance.now();
        const update = nextUpdate();
        const response = await fetch(`${server.url}/webhooks/git`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
          body,
        });
        if (response.status !== 202) throw new Error(`webhook answered ${response.status}`);
        await update;
        const updated = performance.now() - started;
        if (round >= 2) {
          fetchOnly.push(fetched);
          hook.push(updated);
        }
      }
    } finally {
      await server.close(1000);
      await source.stop!();
    }
    const ratio = median(hook) / median(fetchOnly);
    console.log(
      `push of one card, webhook to updated gap report: ${ms(median(hook))} (p90 ${ms(quantile(hook, 0.9))}) ` +
        `beside bare git fetch ${ms(median(fetchOnly))}: ${ratio.toFixed(2)}x (target <= 1.5x) over ${PUSHES} pushes`,
    );

    // The local watcher over the author's working tree of 5,000 cards.
    const local = createWatchedCardDirectory(join(author, 'cards'), { debounceMs: 150 });
    const watched = engineOn(local);
    local.onChange!((files) => void watched.engine.cardsChanged(files));
    await local.start!();
    await local.loadAll();
    await startReview(watched.engine, chosen);
    const edits: number[] = [];
    try {
      for (let round = 0; round < EDITS; round++) {
        const update = watched.nextUpdate();
        const started = performance.now();
        writeFileSync(file, edited(text, 1000 + round));
        await update;
        edits.push(performance.now() - started);
      }
    } finally {
      await local.stop!();
    }
    console.log(
      `local watcher, edit to updated gap report over ${EDITS} edits: p50 ${ms(median(edits))}, ` +
        `p99 ${ms(quantile(edits, 0.99))} (debounce 150 ms; target: within 2 s)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const quietLogger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLogger };
