import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { createCardDirectory, isCardError, parseCard } from '../cards';
import { checklistTemplate, cardTemplate } from '../cards/card-template';
import { slugify } from '../cards/tech-name';
import type { Translate } from '../core/ports';

interface InitOptions {
  name: string;
  projectId: string;
  dir: string;
  level: number;
  owners: string[];
  reviewers: string[];
}

type InitProblem = { key: string; params?: Record<string, unknown> };

/**
 * `mltrl-bot cards init "<name>" <ID> [--dir <folder>] [--level <n>] [--owner <who>]... [--reviewer <who>]...`:
 * writes `<slug>.md` from the card template and, beside it, `<slug>-ethics-checklist.md`, which the card's
 * "Ethics checks?" row links. Refuses to overwrite a file or to reuse a project ID the folder already has.
 */
export async function runInit(args: string[], t: Translate): Promise<number> {
  const parsed = parseInitArgs(args);
  if ('help' in parsed) {
    console.log(t('cards:init.usage'));
    return 0;
  }
  if ('key' in parsed) {
    console.error(
      `mltrl-bot cards init: ${t(`cards:init.badArgs.${parsed.key}`, parsed.params)}\n\n${t('cards:init.usage')}`,
    );
    return 2;
  }
  const slug = slugify(parsed.name) || slugify(parsed.projectId);
  const cardFile = `${slug}.md`;
  const checklistFile = `${slug}-ethics-checklist.md`;
  const cardPath = normalize(join(parsed.dir, cardFile));
  const checklistPath = normalize(join(parsed.dir, checklistFile));
  if (existsSync(cardPath)) return refuse(t, 'exists', { path: cardPath });

  if (existsSync(parsed.dir)) {
    const taken = (await createCardDirectory(parsed.dir).loadAll()).cards.find(
      (card) => card.projectId.toLowerCase() === parsed.projectId.toLowerCase(),
    );
    if (taken)
      return refuse(t, 'idTaken', { id: parsed.projectId, file: normalize(join(parsed.dir, taken.file)) });
  }

  const text = cardTemplate({ ...parsed, checklistFile });
  // The template must read back as the card it claims to be, whatever the name and ID hold.
  const card = parseCard(text, cardFile);
  if (isCardError(card) || card.projectId !== parsed.projectId || card.level !== parsed.level) {
    return refuse(t, 'unreadable', { id: parsed.projectId, name: parsed.name });
  }

  mkdirSync(parsed.dir, { recursive: true });
  writeFileSync(cardPath, text, { flag: 'wx' });
  const checklistWritten = !existsSync(checklistPath);
  if (checklistWritten) writeFileSync(checklistPath, checklistTemplate(parsed), { flag: 'wx' });
  console.log(t('cards:init.written', { path: cardPath, id: card.projectId, level: card.level }));
  console.log(
    checklistWritten
      ? t('cards:init.checklistWritten', { path: checklistPath })
      : t('cards:init.checklistKept', { path: checklistPath }),
  );
  console.log(t('cards:init.next', { path: cardPath }));
  return 0;
}

function refuse(t: Translate, key: string, params: Record<string, unknown>): number {
  console.error(`mltrl-bot cards init: ${t(`cards:init.refused.${key}`, params)}`);
  return 2;
}

function parseInitArgs(args: string[]): InitOptions | InitProblem | { help: true } {
  const positional: string[] = [];
  const options: InitOptions = {
    name: '',
    projectId: '',
    dir: process.env.CARDS_DIR || 'cards',
    level: 0,
    owners: [],
    reviewers: [],
  };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const at = arg.indexOf('=');
    const name = at < 0 ? arg : arg.slice(0, at);
    if (!['--dir', '--level', '--owner', '--reviewer'].includes(name))
      return { key: 'unknownOption', params: { option: arg } };
    const value = at < 0 ? args[++index] : arg.slice(at + 1);
    if (value === undefined || value.trim() === '') return { key: 'needsValue', params: { option: name } };
    if (name === '--dir') options.dir = value;
    else if (name === '--owner') options.owners.push(value.trim());
    else if (name === '--reviewer') options.reviewers.push(value.trim());
    else if (!/^[0-9]$/.test(value.trim())) return { key: 'badLevel', params: { value } };
    else options.level = Number(value);
  }
  if (positional.length < 2) return { key: 'missing' };
  if (positional.length > 2) return { key: 'extra', params: { value: positional[2] } };
  const [name, projectId] = positional.map((value) => value.trim());
  if (!name || /[|\n\r]/.test(name)) return { key: 'badName', params: { name } };
  if (!/^[\p{L}\p{N}][\p{L}\p{N}._:/#-]*$/u.test(projectId)) {
    return { key: 'badId', params: { id: projectId } };
  }
  return { ...options, name, projectId };
}
