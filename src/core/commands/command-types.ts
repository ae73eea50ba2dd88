import type { CardKey } from '../card';
import type { PortfolioFilter } from '../digest/portfolio-list';

/** The commands of SPEC section 2, parsed and validated; the engine decides who may run them. */
export type Command =
  | { name: 'review'; project: string }
  | { name: 'status'; project?: string }
  | { name: 'portfolio'; filter?: PortfolioFilter }
  | { name: 'digest'; action: 'subscribe'; schedule?: string; tz?: string; quietWeek?: 'skip' }
  | { name: 'digest'; action: 'unsubscribe' | 'now' }
  | { name: 'snooze'; project: string; durationMs: number }
  | { name: 'cancel'; project: string }
  | { name: 'history'; project: string }
  | { name: 'waive'; project: string; key: CardKey; days: number; reason: string; off?: false }
  /** `waive <project> <key> off`: withdraw that waiver. */
  | { name: 'waive'; project: string; key: CardKey; off: true }
  /** `language`: show this channel's language; `language use <tag>` / `use default`: set or clear it. */
  | { name: 'language'; action: 'show' }
  | { name: 'language'; action: 'use'; locale?: string }
  | { name: 'flow'; use?: string }
  /** `delegate`: show; `delegate <who> until <day> [project]`; `delegate off [project]`. */
  | { name: 'delegate'; action: 'show' }
  | { name: 'delegate'; action: 'set'; to: string; untilDay: string; project?: string }
  | { name: 'delegate'; action: 'off'; project?: string }
  | { name: 'help' };

export type CommandName = Command['name'];

export const COMMAND_NAMES: CommandName[] = [
  'review',
  'status',
  'portfolio',
  'digest',
  'snooze',
  'cancel',
  'history',
  'waive',
  'language',
  'flow',
  'delegate',
  'help',
];

/**
 * Why a command could not be parsed: an i18n key under `engine:parse.` with its parameters, and the
 * command whose usage to show (undefined for an unknown command: show the command list).
 */
export interface ParseProblem {
  problem: string;
  params?: Record<string, string | number>;
  command?: CommandName;
}

export type ParseResult = { ok: true; command: Command } | { ok: false; error: ParseProblem };

/** Longest command text accepted; longer input is refused, not truncated. */
export const MAX_COMMAND_LENGTH = 1000;
export const MAX_REASON_LENGTH = 500;
export const MAX_SNOOZE_DAYS = 90;
export const MAX_WAIVER_DAYS = 365;
