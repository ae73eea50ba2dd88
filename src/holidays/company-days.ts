import { z } from 'zod';
import { BotError } from '../core/errors';
import { formatFlowProblem, formatPath, type FlowProblem } from '../flows/flow-error';
import { readSmallFile } from '../flows/load-flow-file';
import { readYaml } from '../flows/yaml-document';
import { listYamlFiles } from '../flows/yaml-files';

/** One company day off: everyone's, or only people in the countries it names. */
export interface CompanyDay {
  date: string;
  name: string;
  countries?: string[];
}

/** A holiday file that cannot be used; lists every problem of every file with file and line. */
export class HolidayFileError extends BotError {
  constructor(readonly problems: FlowProblem[]) {
    super('config', problems.map(formatFlowProblem).join('\n'));
  }
}

const MAX_HOLIDAY_BYTES = 256 * 1024;

const realDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-12-24')
  .refine((value) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'no such date');

const holidayFileSchema = z
  .object({
    days: z.array(
      z
        .object({
          // Unquoted YAML dates may arrive as Date objects from other parsers; ours keeps strings.
          date: realDate,
          name: z.string().trim().min(1),
          countries: z.array(z.string().regex(/^[A-Z]{2}$/, 'a country code like DE or US')).optional(),
        })
        .strict(),
    ),
  })
  .strict();

/**
 * Every `*.yaml` in the holiday folder (HOLIDAYS_DIR, default ./holidays when present). A missing folder
 * means no company days; a bad file stops start-up with every problem listed.
 */
export function loadCompanyDays(dir: string): CompanyDay[] {
  const listed = listYamlFiles(dir);
  if (!listed.ok) throw new HolidayFileError([listed.problem]);
  const days: CompanyDay[] = [];
  const problems: FlowProblem[] = [];
  for (const path of listed.paths) {
    const read = readSmallFile(path, MAX_HOLIDAY_BYTES);
    if (!read.ok) {
      problems.push(read.problem);
      continue;
    }
    const parsed = parseCompanyDays(read.text, path);
    if (parsed.ok) days.push(...parsed.days);
    else problems.push(...parsed.problems);
  }
  if (problems.length > 0) throw new HolidayFileError(problems);
  return days;
}

export function parseCompanyDays(
  text: string,
  file: string,
): { ok: true; days: CompanyDay[] } | { ok: false; problems: FlowProblem[] } {
  const yaml = readYaml(text, file);
  if (!yaml.ok) return { ok: false, problems: yaml.problems };
  const parsed = holidayFileSchema.safeParse(yaml.data ?? { days: [] });
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        file,
        path: formatPath(issue.path),
        line: yaml.lineOf(issue.path),
        problem: issue.message,
      })),
    };
  }
  return { ok: true, days: parsed.data.days };
}
