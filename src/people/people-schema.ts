import { z } from 'zod';
import { isTimeZone } from '../core/time-zone';
import { normalizeLocale } from '../core/locale';
import { placeProblem } from '../holidays';

const calendarDay = z.iso.date('a date like 2027-01-15');
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like 09:00');

/** One person in people.yaml. Only id and name are required; the rest helps reach them at the right time. */
export const personSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'letters, digits, ".", "_" or "-", like "ana"'),
    name: z.string().trim().min(1),
    email: z.email().optional(),
    handles: z.array(z.string().regex(/^@?[\p{L}\p{N}._-]+$/u, 'a handle like "sam" or "@sam"')).default([]),
    slackId: z
      .string()
      .regex(/^[UW][A-Z0-9]+$/, 'a Slack user id like U0123ABCD')
      .optional(),
    teamsId: z.string().min(1).optional(),
    tz: z.string().refine(isTimeZone, 'an IANA time zone like Europe/Berlin').optional(),
    workingHours: z
      .object({ start: clockTime, end: clockTime })
      .strict()
      .refine((hours) => hours.start < hours.end, 'start must be before end')
      .optional(),
    locale: z
      .string()
      .regex(/^[a-z]{2,3}([-_][A-Za-z]{2,4})?$/, 'a language like "en" or "pt-BR"')
      // BCP 47 from here on: "pt_BR" reads as "pt-BR".
      .transform((value) => normalizeLocale(value) ?? value)
      .optional(),
    roles: z.array(z.string().min(1)).default([]),
    away: z
      .object({ from: calendarDay, until: calendarDay })
      .strict()
      .refine((away) => away.from <= away.until, 'from must not be after until')
      .optional(),
    // Public holidays (date-holidays): "DE", with an optional state "BY" and region within it.
    country: z.string().toUpperCase().optional(),
    state: z.string().toUpperCase().optional(),
    region: z.string().toUpperCase().optional(),
  })
  .strict()
  .superRefine((person, issue) => {
    if (!person.country && (person.state || person.region)) {
      issue.addIssue({ code: 'custom', path: ['state'], message: 'a state or region needs a country' });
      return;
    }
    const problem = person.country && placeProblem({ ...person, country: person.country });
    if (problem) issue.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  });

/** A directory group's name, as cards write it (`@ethics-board` or `ethics-board`) and flows name it. */
export const GROUP_NAME = /^[a-z0-9][a-z0-9._-]*$/i;

/**
 * `groups:` maps a group name to its members (person ids, handles or e-mails of people in this file), so a
 * card may name `@ethics-board` and a flow may require the ethics board's approval.
 */
export const peopleFileSchema = z
  .object({
    people: z.array(personSchema),
    groups: z
      .record(
        z.string().regex(GROUP_NAME, 'a group name: letters, digits, ".", "_" or "-", like "ethics-board"'),
        z.array(z.string().trim().min(1)).min(1, 'a group needs at least one member'),
      )
      .optional(),
  })
  .strict();
