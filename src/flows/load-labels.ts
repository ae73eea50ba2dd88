import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { CARD_KEYS, type CardKey } from '../core/card';
import { DEBRIEF_QUESTIONS, type CardSynonyms, type LabelMatch } from '../core/card-synonyms';
import { FlowFileError, formatPath, type FlowProblem } from './flow-error';
import { readSmallFile } from './load-flow-file';
import { readYaml } from './yaml-document';
import { listYamlFiles } from './yaml-files';

/** The label files shipped with the bot: English, and German as the example of another language. */
export const BUNDLED_LABELS_DIR = join(__dirname, '..', '..', 'flows', 'labels');

const MAX_LABELS_BYTES = 256 * 1024;

const patterns = z.array(z.string().min(1, 'an empty pattern matches every label')).min(1);
const rowSchema = z.strictObject({
  key: z.enum([...CARD_KEYS, 'flow']),
  role: z.enum(['rnd', 'product']).optional(),
  match: patterns,
});
const sectionSchema = z.strictObject({ key: z.enum(CARD_KEYS), match: patterns });
const questionSchema = z.strictObject({
  question: z.string().min(1).optional(),
  match: patterns,
  followUp: patterns.optional(),
});
const labelsFileSchema = z.strictObject({
  language: z.string().min(2),
  rows: z.array(rowSchema).default([]),
  sections: z.array(sectionSchema).default([]),
  debrief: z
    .strictObject({
      accomplished: questionSchema.optional(),
      punted: questionSchema.optional(),
      learned: questionSchema.optional(),
      'tech-debt': questionSchema.optional(),
    })
    .default({}),
});

type LabelsFile = z.infer<typeof labelsFileSchema>;

/**
 * The card synonyms of every `*.yaml` in the bundled labels folder and in `extraDirs` (a team's
 * FLOWS_DIR/labels). A team file named like a bundled one (`de.yaml`) replaces it; any other name adds to
 * them. Every file is checked before anything is used: one FlowFileError names each problem with its
 * file and line (a pattern that is no regular expression, an unknown key, a missing debrief question).
 */
export function loadCardSynonyms(extraDirs: readonly string[] = []): CardSynonyms {
  const byName = new Map<string, string>();
  for (const dir of [BUNDLED_LABELS_DIR, ...extraDirs]) {
    for (const file of yamlFiles(dir)) byName.set(basename(file).toLowerCase(), file);
  }
  // English first (the template's language), then the others by file name.
  const files = [...byName.entries()]
    .sort(([a], [b]) => (a.startsWith('en.') ? -1 : b.startsWith('en.') ? 1 : a.localeCompare(b)))
    .map(([, file]) => file);
  const problems: FlowProblem[] = [];
  const read: Array<{ file: string; data: LabelsFile; lineOf: (path: PropertyKey[]) => number | undefined }> =
    [];
  for (const file of files) {
    const text = readSmallFile(file, MAX_LABELS_BYTES);
    if (!text.ok) {
      problems.push(text.problem);
      continue;
    }
    const parsed = parseLabelsText(text.text, file);
    if ('problems' in parsed) problems.push(...parsed.problems);
    else read.push({ file, ...parsed });
  }
  if (problems.length) throw new FlowFileError(problems);
  return combine(read);
}

/** One labels file from text: its data and line look-up, or its problems. */
export function parseLabelsText(
  text: string,
  file: string,
): { data: LabelsFile; lineOf: (path: PropertyKey[]) => number | undefined } | { problems: FlowProblem[] } {
  const yaml = readYaml(text, file);
  if (!yaml.ok) return { problems: yaml.problems };
  const parsed = labelsFileSchema.safeParse(yaml.data);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => ({
        file,
        path: formatPath(issue.path),
        line: yaml.lineOf(issue.path),
        problem: issue.message,
      })),
    };
  }
  const problems: FlowProblem[] = [];
  const check = (path: Array<string | number>, source: string) => {
    const problem = regexProblem(source);
    if (problem) problems.push({ file, path: formatPath(path), line: yaml.lineOf(path), problem });
  };
  parsed.data.rows.forEach((row, i) => row.match.forEach((p, j) => check(['rows', i, 'match', j], p)));
  parsed.data.sections.forEach((section, i) =>
    section.match.forEach((p, j) => check(['sections', i, 'match', j], p)),
  );
  for (const id of DEBRIEF_QUESTIONS) {
    const question = parsed.data.debrief[id];
    question?.match.forEach((p, j) => check(['debrief', id, 'match', j], p));
    question?.followUp?.forEach((p, j) => check(['debrief', id, 'followUp', j], p));
  }
  return problems.length ? { problems } : { data: parsed.data, lineOf: yaml.lineOf };
}

function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source, 'iu');
    return undefined;
  } catch (error) {
    return `not a regular expression: ${(error as Error).message}`;
  }
}

/** Every file's rows, then sections, in file order; one pattern per debrief question across languages. */
function combine(read: Array<{ file: string; data: LabelsFile }>): CardSynonyms {
  const rows: Array<CardSynonyms['rows'][number]> = [];
  const sections: Array<CardSynonyms['sections'][number]> = [];
  const questions = DEBRIEF_QUESTIONS.map(() => ({ question: '', sources: [] as string[] }));
  const followUps: string[] = [];
  for (const { data } of read) {
    for (const row of data.rows) {
      const label: Exclude<LabelMatch, { kind: 'none' }> =
        row.key === 'flow'
          ? { kind: 'flow' }
          : { kind: 'key', key: row.key, ...(row.role ? { role: row.role } : {}) };
      for (const source of row.match) rows.push({ match: new RegExp(source, 'iu'), label });
    }
    for (const section of data.sections) {
      for (const source of section.match)
        sections.push({ match: new RegExp(source, 'iu'), key: section.key as CardKey });
    }
    DEBRIEF_QUESTIONS.forEach((id, index) => {
      const question = data.debrief[id];
      if (!question) return;
      questions[index].question ||= question.question ?? '';
      questions[index].sources.push(...question.match);
      followUps.push(...(question.followUp ?? []));
    });
  }
  const missing = DEBRIEF_QUESTIONS.filter((_, index) => !questions[index].question);
  if (missing.length) {
    throw new FlowFileError([
      {
        file: read.map(({ file }) => file).join(', ') || resolve(BUNDLED_LABELS_DIR),
        path: 'debrief',
        problem: `no file words the debrief question${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (give each a "question:")`,
      },
    ]);
  }
  return {
    rows,
    sections,
    debrief: questions.map(({ question, sources }) => ({
      question,
      match: new RegExp(anyOf(sources), 'iu'),
    })),
    ...(followUps.length
      ? { followUp: new RegExp(`^\\s*[*_]*\\s*(?:${anyOf(followUps)})\\s*\\?`, 'iu') }
      : {}),
    files: read.map(({ file }) => file),
  };
}

function anyOf(sources: readonly string[]): string {
  return sources.map((source) => `(?:${source})`).join('|');
}

function yamlFiles(dir: string): string[] {
  const listed = listYamlFiles(dir, { missingIsEmpty: true });
  if (!listed.ok) throw new FlowFileError([listed.problem]);
  return listed.paths;
}

let bundled: CardSynonyms | undefined;

/** The bundled synonyms, read once (cards parsed without a flow source: tests, one-off CLI reads). */
export function bundledCardSynonyms(): CardSynonyms {
  return (bundled ??= loadCardSynonyms());
}
