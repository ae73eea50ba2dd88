import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Golden files: only `UPDATE_GOLDEN=1` (re)writes them. Unset, `0` or anything else compares, and a
 * missing file fails its test instead of being created silently, so a test can never pass by writing
 * its own expectation. After an intended change: `UPDATE_GOLDEN=1 npx jest <path>`, then review the diff.
 */
export function shouldUpdateGoldens(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.UPDATE_GOLDEN === '1';
}

/** The golden file's text, or an error naming the file and how to create it. Writes only when updating. */
export function readGolden(file: string, actual: string, env: NodeJS.ProcessEnv = process.env): string {
  if (shouldUpdateGoldens(env)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  if (!existsSync(file))
    throw new Error(
      `golden file ${file} is missing: run with UPDATE_GOLDEN=1 to write it from the current output, then review it`,
    );
  return readFileSync(file, 'utf8');
}

/** Compares text with its golden file (see readGolden). */
export function expectGoldenText(file: string, actual: string): void {
  expect(actual).toBe(readGolden(file, actual));
}

/** Compares a value, as 2-space JSON with a final newline, with its golden file. */
export function expectGoldenJson(file: string, value: unknown): void {
  expectGoldenText(file, JSON.stringify(value, null, 2) + '\n');
}
