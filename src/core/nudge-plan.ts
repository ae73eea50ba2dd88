import { addBusinessDays, type WorkCalendar } from './business-time';
import type { NudgeSchedule } from './flow';

/**
 * When reminders fall due, pure: round k (1-based) comes `afterBusinessDays[k-1]` business days after the
 * phase started, at the same local time of day, inside the person's working hours. The one escalation
 * comes one business day after the last reminder; then the bot is silent.
 */
export function nudgeDueAt(
  phaseStart: Date,
  schedule: NudgeSchedule,
  round: number,
  cal: WorkCalendar,
): Date | undefined {
  const days = schedule.afterBusinessDays[round - 1];
  return days === undefined ? undefined : addBusinessDays(phaseStart, days, cal);
}

export function escalationDueAt(
  phaseStart: Date,
  schedule: NudgeSchedule,
  cal: WorkCalendar,
): Date | undefined {
  if (!schedule.escalate || schedule.afterBusinessDays.length === 0) return undefined;
  return addBusinessDays(phaseStart, schedule.afterBusinessDays.at(-1)! + 1, cal);
}

export function roundsOf(schedule: NudgeSchedule): number {
  return schedule.afterBusinessDays.length;
}
