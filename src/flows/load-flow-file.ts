import { readFileSync, statSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { flowFileSchema, type Flow } from '../core/flow';
import { FlowFileError, formatPath, type FlowProblem } from './flow-error';
import { resolveFlow } from './resolve-flow';

const MAX_FLOW_BYTES = 1024 * 1024;

/** Reads, validates and resolves one flow file; throws FlowFileError naming file, path, line and problem. */
export function loadFlowFile(path: string): Flow {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_FLOW_BYTES) {
      throw new FlowFileError([
        { file: path, path: '', problem: `${size} bytes; flow files over 1 MiB are refused` },
      ]);
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof FlowFileError) throw error;
    throw new FlowFileError([{ file: path, path: '', problem: `cannot be read (${describe(error)})` }]);
  }
  return parseFlowText(text, path);
}

/** The same from text already in memory (tests, an uploaded flow). */
export function parseFlowText(text: string, file: string): Flow {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new FlowFileError(
      document.errors.map((error) => ({
        file,
        path: '',
        line: error.linePos?.[0].line ?? lineCounter.linePos(error.pos[0]).line,
        problem: `YAML syntax: ${error.message.split('\n')[0]}`,
      })),
    );
  }
  const parsed = flowFileSchema.safeParse(document.toJS());
  if (!parsed.success) {
    throw new FlowFileError(
      parsed.error.issues.map((issue) => ({
        file,
        path: formatPath(issue.path),
        line: lineOf(document, lineCounter, issue.path),
        problem: issue.message,
      })),
    );
  }
  const { flow, problems } = resolveFlow(parsed.data, file);
  if (!flow) throw new FlowFileError(problems.map((problem) => withLine(problem, document, lineCounter)));
  return flow;
}

/** The line of the deepest YAML node that exists along `path`. */
function lineOf(
  document: Document,
  lineCounter: LineCounter,
  path: ReadonlyArray<PropertyKey>,
): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

function withLine(problem: FlowProblem, document: Document, lineCounter: LineCounter): FlowProblem {
  const path =
    problem.path.match(/[^.[\]]+/g)?.map((part) => (/^\d+$/.test(part) ? Number(part) : part)) ?? [];
  return { ...problem, line: lineOf(document, lineCounter, path) };
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}
