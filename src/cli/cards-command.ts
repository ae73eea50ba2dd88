import { statSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { escapeControls } from '../core/control-chars';
import { createCardDirectory, loadCardFile, parseOptionsFor } from '../cards';
import { isCardError } from '../cards/card-error';
import { checkCards, checkExitCode, checkToJson } from '../cards/check-cards';
import { checkToGithub, checkToJunit } from '../cards/check-report';
import { checkToText } from '../cards/check-text';
import { readLinkedFile } from '../cards/linked-file';
import { runInit } from './cards-init';
import type { CardSet } from '../core/card';
import type { FlowSource, Translate } from '../core/ports';
import {
  BUNDLED_FLOWS_DIR,
  createFlowSource,
  FlowFileError,
  formatFlowProblem,
  loadFlowFile,
  loadFlows,
} from '../flows';
import { defaultTranslator } from '../i18n/translator';

interface CheckOptions {
  path: string;
  flowFile?: string;
  gateTo?: number;
  format: 'text' | 'json' | 'github' | 'junit';
}

const FORMATS: ReadonlyArray<CheckOptions['format']> = ['text', 'json', 'github', 'junit'];

type ArgProblem = { key: string; params?: Record<string, unknown> };

/**
 * `mltrl-bot cards check <dir-or-file> [--flow <file>] [--gate <to-level>] [--json | --format <f>]`: lint cards offline
 * (a card repository's CI). Exit 0: every card meets its gate's required sections; 1: gaps; 2: bad input.
 */
export async function run(args: string[]): Promise<number> {
  const t = quietTranslator();
  if (args[0] === 'init') return runInit(args.slice(1), t);
  const parsed = parseArgs(args);
  if ('help' in parsed) {
    print(t('cards:check.usage'));
    return 0;
  }
  if ('key' in parsed) return usageError(t, t(`cards:check.badArgs.${parsed.key}`, parsed.params));

  let kind: 'dir' | 'file';
  try {
    kind = statSync(parsed.path).isDirectory() ? 'dir' : 'file';
  } catch {
    return usageError(t, t('cards:check.badArgs.missingPath', { path: parsed.path }));
  }

  let flows: FlowSource;
  try {
    flows = loadFlowSource(parsed.flowFile);
  } catch (error) {
    if (!(error instanceof FlowFileError)) throw error;
    for (const problem of error.problems)
      printError(t('cards:check.flowProblem', { problem: formatFlowProblem(problem) }));
    return 2;
  }
  if (parsed.gateTo !== undefined && !flows.defaultFlow().gates.some((gate) => gate.to === parsed.gateTo)) {
    return usageError(
      t,
      t('cards:check.badArgs.noGate', { flow: flows.defaultFlow().name, level: parsed.gateTo }),
    );
  }

  const parseOptions = parseOptionsFor(flows);
  let set: CardSet;
  let displayPath: (file: string) => string;
  if (kind === 'dir') {
    set = await createCardDirectory(parsed.path, parseOptions).loadAll();
    displayPath = (file) => (file === parsed.path ? file : normalize(join(parsed.path, file)));
  } else {
    const result = await loadCardFile(parsed.path, parseOptions);
    set = isCardError(result)
      ? { cards: [], errors: [result], skipped: [] }
      : { cards: [result], errors: [], skipped: [] };
    displayPath = (file) => file;
  }

  // Checklist links are relative to the card; they may not leave the folder checked (a single card: the
  // current folder when the card is inside it, else the card's own folder).
  const root =
    kind === 'dir'
      ? parsed.path
      : relative(process.cwd(), resolve(parsed.path)).startsWith('..')
        ? dirname(parsed.path)
        : process.cwd();
  const cardPath = (file: string) => (kind === 'dir' ? file : relative(root, resolve(file)));
  const result = checkCards(set, flows, {
    gateTo: parsed.gateTo,
    readLinked: (card, link) => readLinkedFile(root, cardPath(card.file), link),
  });
  if (parsed.format === 'json') print(JSON.stringify(checkToJson(result, displayPath), null, 2));
  else if (parsed.format === 'github') print(checkToGithub(result, t, displayPath));
  else if (parsed.format === 'junit') print(checkToJunit(result, t, displayPath));
  else print(checkToText(result, t, displayPath));
  return checkExitCode(result);
}

function parseArgs(args: string[]): CheckOptions | ArgProblem | { help: true } {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help') return { help: true };
  if (!sub) return { key: 'noSubcommand' };
  if (sub !== 'check') return { key: 'unknownSubcommand', params: { name: sub } };
  const options: Partial<CheckOptions> & Pick<CheckOptions, 'format'> = { format: 'text' };
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--json') {
      options.format = 'json';
      continue;
    }
    const [name, inline] = arg.startsWith('--') ? splitOption(arg) : [arg, undefined];
    if (name === '--format') {
      const value = inline ?? rest[++index];
      if (value === undefined || value === '' || value.startsWith('--'))
        return { key: 'needsValue', params: { option: name } };
      if (!FORMATS.includes(value as CheckOptions['format']))
        return { key: 'unknownOption', params: { option: `--format ${value}` } };
      options.format = value as CheckOptions['format'];
      continue;
    }
    if (name === '--flow' || name === '--gate') {
      const value = inline ?? rest[++index];
      if (value === undefined || value === '' || value.startsWith('--'))
        return { key: 'needsValue', params: { option: name } };
      if (name === '--flow') options.flowFile = value;
      else if (!/^[1-9]$/.test(value.trim())) return { key: 'badGate', params: { value } };
      else options.gateTo = Number(value);
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') return { key: 'unknownOption', params: { option: arg } };
    if (options.path !== undefined) return { key: 'extraPath', params: { first: options.path, second: arg } };
    options.path = arg;
  }
  if (options.path === undefined) return { key: 'noPath' };
  return options as CheckOptions;
}

function splitOption(arg: string): [string, string | undefined] {
  const at = arg.indexOf('=');
  return at < 0 ? [arg, undefined] : [arg.slice(0, at), arg.slice(at + 1)];
}

/** `--flow` wins for every card; otherwise FLOWS_DIR (or the bundled flows) and each card's `Flow` row. */
function loadFlowSource(flowFile: string | undefined): FlowSource {
  if (flowFile) {
    const flow = loadFlowFile(flowFile);
    return createFlowSource([flow], flow);
  }
  return loadFlows(process.env.FLOWS_DIR || BUNDLED_FLOWS_DIR);
}

function usageError(t: Translate, message: string): number {
  printError(`mltrl-bot cards: ${message}\n\n${t('cards:check.usage')}`);
  return 2;
}

/** i18next announces itself through console.info on start-up; keep it out of `--json` output. */
function quietTranslator(): Translate {
  const info = console.info;
  console.info = () => undefined;
  try {
    return defaultTranslator(process.env.DEFAULT_LOCALE || 'en');
  } finally {
    console.info = info;
  }
}

/** Output with control characters shown as escapes: card files and paths must not drive the terminal. */
function print(text: string): void {
  console.log(escapeControls(text));
}

function printError(text: string): void {
  console.error(escapeControls(text));
}
