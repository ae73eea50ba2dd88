import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowProblem } from './flow-error';

export type YamlFileList = { ok: true; paths: string[] } | { ok: false; problem: FlowProblem };

/**
 * The `*.yaml`/`*.yml` files of a folder as full paths, sorted so every process reads them in the same
 * order. An unreadable folder is one problem naming it (each loader throws it as its own error kind);
 * `missingIsEmpty` makes an absent folder an empty list, for folders that are optional.
 */
export function listYamlFiles(dir: string, options: { missingIsEmpty?: boolean } = {}): YamlFileList {
  try {
    const names = readdirSync(dir)
      .filter((file) => /\.ya?ml$/i.test(file))
      .sort();
    return { ok: true, paths: names.map((file) => join(dir, file)) };
  } catch (error) {
    if (options.missingIsEmpty && (error as NodeJS.ErrnoException).code === 'ENOENT')
      return { ok: true, paths: [] };
    return {
      ok: false,
      problem: { file: dir, path: '', problem: `cannot be read (${(error as Error).message})` },
    };
  }
}
