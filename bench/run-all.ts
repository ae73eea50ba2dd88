import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench`: runs every `bench/*.bench.ts` in turn (or those whose names contain the arguments,
 * e.g. `npm run bench -- votes`). Each benchmark prints its figures beside a baseline from the same run.
 */
async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts'))
    .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
    .sort();
  for (const file of files) {
    console.log(`\n=== ${file}`);
    const started = Date.now();
    // require, not import(): tsx's CommonJS hook handles .ts files only through require.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bench = require(join(__dirname, file)) as { run?: () => Promise<void> };
    if (typeof bench.run !== 'function') throw new Error(`${file} exports no run()`);
    await bench.run();
    console.log(`(${file}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
