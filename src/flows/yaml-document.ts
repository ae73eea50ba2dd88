import { isNode, LineCounter, parseDocument } from 'yaml';
import type { FlowProblem } from './flow-error';

/** A YAML file parsed with line numbers, so validation problems can point at the offending line. */
export type YamlDocument =
  | { ok: true; data: unknown; lineOf(path: ReadonlyArray<PropertyKey>): number | undefined }
  | { ok: false; problems: FlowProblem[] };

export function readYaml(text: string, file: string): YamlDocument {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({
        file,
        path: '',
        line: error.linePos?.[0].line ?? lineCounter.linePos(error.pos[0]).line,
        problem: `YAML syntax: ${error.message.split('\n')[0]}`,
      })),
    };
  }
  /** The line of the deepest node that exists along `path`. */
  const lineOf = (path: ReadonlyArray<PropertyKey>): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = document.getIn(path.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  try {
    return { ok: true, data: document.toJS(), lineOf };
  } catch (error) {
    // e.g. "Excessive alias count" for an alias bomb: refused, not expanded.
    return { ok: false, problems: [{ file, path: '', problem: `YAML: ${(error as Error).message}` }] };
  }
}

/** `gates[3].vote.quorum` -> `['gates', 3, 'vote', 'quorum']`. */
export function parsePath(path: string): Array<string | number> {
  return path.match(/[^.[\]]+/g)?.map((part) => (/^\d+$/.test(part) ? Number(part) : part)) ?? [];
}
