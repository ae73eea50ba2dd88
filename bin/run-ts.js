#!/usr/bin/env node
// Runs one TypeScript file (a benchmark, a script) through tsx: `node bin/run-ts.js bench/run-all.ts`.
require('tsx/cjs/api').register();
const path = require('node:path');
const file = process.argv[2];
if (!file) {
  console.error('usage: node bin/run-ts.js <file.ts> [args...]');
  process.exit(2);
}
process.argv.splice(2, 1);
require(path.resolve(file));
