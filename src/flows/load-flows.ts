import { join, resolve } from 'node:path';
import type { Card } from '../core/card';
import type { CardSynonyms } from '../core/card-synonyms';
import type { Flow } from '../core/flow';
import type { FlowSource } from '../core/ports';
import { FlowFileError, type FlowProblem } from './flow-error';
import { loadFlowFile } from './load-flow-file';
import { loadCardSynonyms } from './load-labels';
import { listYamlFiles } from './yaml-files';

/** The flows shipped with the bot (flows/ at the repository root). */
export const BUNDLED_FLOWS_DIR = join(__dirname, '..', '..', 'flows');
export const DEFAULT_FLOW_NAME = 'mltrl';

/**
 * Every `*.yaml`/`*.yml` in `dir` as a FlowSource. All files are checked before anything is used: one
 * FlowFileError lists every problem in every file. Cards pick a flow by their `Flow` row (exact name,
 * then case-insensitive); a card naming an unknown flow gets the default.
 */
export function loadFlows(dir: string, options: { defaultName?: string } = {}): FlowSource {
  const defaultName = options.defaultName ?? DEFAULT_FLOW_NAME;
  const listed = listYamlFiles(dir);
  if (!listed.ok) throw new FlowFileError([listed.problem]);
  const flows: Flow[] = [];
  const problems: FlowProblem[] = [];
  for (const path of listed.paths) {
    try {
      flows.push(loadFlowFile(path));
    } catch (error) {
      if (!(error instanceof FlowFileError)) throw error;
      problems.push(...error.problems);
    }
  }
  const byName = new Map<string, Flow>();
  for (const flow of flows) {
    const other = byName.get(flow.name);
    if (other)
      problems.push({
        file: flow.file,
        path: 'name',
        problem: `flow "${flow.name}" is also defined in ${other.file}`,
      });
    byName.set(flow.name, flow);
  }
  const fallback = byName.get(defaultName) ?? (flows.length === 1 ? flows[0] : undefined);
  if (!fallback && problems.length === 0) {
    problems.push({
      file: dir,
      path: '',
      problem: `no flow named "${defaultName}" (the default) in this folder`,
    });
  }
  // The label synonyms beside the flows: the bundled languages, and the folder's own `labels/`.
  let synonyms: CardSynonyms | undefined;
  try {
    synonyms = loadCardSynonyms(resolve(dir) === resolve(BUNDLED_FLOWS_DIR) ? [] : [join(dir, 'labels')]);
  } catch (error) {
    if (!(error instanceof FlowFileError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0) throw new FlowFileError(problems);
  return { ...createFlowSource(flows, fallback!), synonyms };
}

/** A FlowSource over flows already loaded (one `--flow` file, tests). */
export function createFlowSource(flows: readonly Flow[], defaultFlow: Flow): FlowSource {
  const get = (name: string): Flow | undefined => {
    const wanted = name.trim();
    return (
      flows.find((flow) => flow.name === wanted) ??
      flows.find((flow) => flow.name.toLowerCase() === wanted.toLowerCase())
    );
  };
  return {
    defaultFlow: () => defaultFlow,
    get,
    forCard: (card: Card) => (card.flowName ? get(card.flowName) : undefined) ?? defaultFlow,
    names: () => [...new Set([defaultFlow.name, ...flows.map((flow) => flow.name)])],
  };
}

/** The default MLTRL flow shipped with the bot. */
export function loadDefaultFlow(): Flow {
  return loadFlowFile(join(BUNDLED_FLOWS_DIR, `${DEFAULT_FLOW_NAME}.yaml`));
}
