import { BotError } from '../core/errors';

/** One problem in a flow file: where (file, path inside the YAML, line when known) and what. */
export interface FlowProblem {
  file: string;
  /** e.g. `gates[3].vote.quorum`; empty for the file as a whole. */
  path: string;
  line?: number;
  problem: string;
}

/** A flow file (or a flows folder) that cannot be used; lists every problem found, not just the first. */
export class FlowFileError extends BotError {
  constructor(readonly problems: FlowProblem[]) {
    super('config', problems.map(formatFlowProblem).join('\n'));
  }
}

export function formatFlowProblem(problem: FlowProblem): string {
  const where = problem.line !== undefined ? `${problem.file}:${problem.line}` : problem.file;
  return problem.path ? `${where}: ${problem.path}: ${problem.problem}` : `${where}: ${problem.problem}`;
}

/** `['gates', 3, 'vote', 'quorum']` -> `gates[3].vote.quorum`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`,
    )
    .join('');
}
