import { readFileSync, statSync } from 'node:fs';
import { flowFileSchema, type Flow } from '../core/flow';
import { FlowFileError, formatPath, type FlowProblem } from './flow-error';
import { resolveFlow } from './resolve-flow';
import { parsePath, readYaml } from './yaml-document';

const MAX_FLOW_BYTES = 1024 * 1024;

/** Reads, validates and resolves one flow file; throws FlowFileError naming file, path, line and problem. */
export function loadFlowFile(path: string): Flow {
  const read = readSmallFile(path, MAX_FLOW_BYTES);
  if (!read.ok) throw new FlowFileError([read.problem]);
  return parseFlowText(read.text, path);
}

/** The same from text already in memory (tests, an uploaded flow). */
export function parseFlowText(text: string, file: string): Flow {
  const yaml = readYaml(text, file);
  if (!yaml.ok) throw new FlowFileError(yaml.problems);
  const parsed = flowFileSchema.safeParse(yaml.data);
  if (!parsed.success) {
    throw new FlowFileError(
      parsed.error.issues.map((issue) => ({
        file,
        path: formatPath(issue.path),
        line: yaml.lineOf(issue.path),
        problem: issue.message,
      })),
    );
  }
  const { flow, problems } = resolveFlow(parsed.data, file);
  if (!flow)
    throw new FlowFileError(
      problems.map((problem) => ({ ...problem, line: yaml.lineOf(parsePath(problem.path)) })),
    );
  return flow;
}

/** A config file's text, or the problem that keeps it from being read (missing, unreadable, too large). */
export function readSmallFile(
  path: string,
  maxBytes: number,
): { ok: true; text: string } | { ok: false; problem: FlowProblem } {
  try {
    const size = statSync(path).size;
    if (size > maxBytes) {
      return {
        ok: false,
        problem: { file: path, path: '', problem: `${size} bytes; files over ${maxBytes} bytes are refused` },
      };
    }
    return { ok: true, text: readFileSync(path, 'utf8') };
  } catch (error) {
    return { ok: false, problem: { file: path, path: '', problem: `cannot be read (${describe(error)})` } };
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}
