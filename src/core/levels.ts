import { matchLocale } from './locale';

/** MLTRL levels run from 0 to 9; each belongs to one of four phases (MLTRL.md). */
export const MIN_LEVEL = 0;
export const MAX_LEVEL = 9;

export const PHASES = ['research', 'prototyping', 'productization', 'deployment'] as const;
export type Phase = (typeof PHASES)[number];

export interface LevelInfo {
  level: number;
  name: string;
  phase: Phase;
  /** Names per language (BCP 47 tag -> name); see levelName in flow.ts. */
  names?: Record<string, string>;
}

/** The level's name in the reader's language when it has one (`names`), else its `name`. */
export function localLevelName(info: LevelInfo, locale?: string): string {
  if (!locale) return info.name;
  // Remembered per level and language tag: a vote message names several levels on every click.
  let named = localNames.get(info);
  if (!named) localNames.set(info, (named = new Map()));
  let name = named.get(locale);
  if (name === undefined) {
    const names = info.names ?? {};
    const match = matchLocale(locale, Object.keys(names));
    name = (match && names[match]) || info.name;
    // Bounded like the translator's languages: tags come from platform profiles.
    if (named.size < 1000) named.set(locale, name);
  }
  return name;
}

const localNames = new WeakMap<LevelInfo, Map<string, string>>();

export function isLevel(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_LEVEL && value <= MAX_LEVEL;
}
