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
  const names = info.names ?? {};
  const match = locale ? matchLocale(locale, Object.keys(names)) : undefined;
  return (match && names[match]) || info.name;
}

export function isLevel(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_LEVEL && value <= MAX_LEVEL;
}
