import { z } from 'zod';

/** Longest command or reason text the playground accepts; longer input is refused, never truncated. */
export const MAX_TEXT = 4096;
/** Action values are opaque engine strings, at most Slack's 2,000 characters. */
export const MAX_VALUE = 2000;
/** Ten years: enough to watch any schedule, small enough to stay a sane date. */
export const MAX_ADVANCE_HOURS = 24 * 366 * 10;

const personId = z.string().min(1).max(100);
// Length limits are checked separately (413 with a clear message), so these accept any length.
const text = z.string();

export const asQuery = z.object({ as: personId });

export const commandBody = z.object({
  as: personId,
  text,
  /** Type the command in the thread of this message. */
  threadId: z.string().min(1).max(100).optional(),
});

export const actionBody = z.object({
  as: personId,
  actionId: z.string().min(1).max(100),
  value: text,
  reason: text.optional(),
});

export const advanceBody = z.object({
  hours: z.number().positive().finite().max(MAX_ADVANCE_HOURS),
});

/**
 * A JSON body, so that a form on another site (which can only send form or plain-text bodies without
 * the browser asking first) cannot wipe the playground.
 */
export const resetBody = z.object({ confirm: z.literal(true) });

/** "as: Invalid input; text: required" — names every field that is wrong. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}
