#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx mltrl-bot` works right after `npm ci`
// with no build step to forget.
require('tsx/cjs/api').register();
require('../src/cli/main.ts');
