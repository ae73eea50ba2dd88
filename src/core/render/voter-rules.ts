import type { GroupSnapshot } from '../groups';
import type { MessageBlock } from '../messages';
import type { ResolvedPerson } from '../people-resolver';
import { cappedInline, tr, type RenderEnv } from './format';

/**
 * The vote message's lines about who votes: groups that could not be expanded (one line each, with the
 * fix), card reviewers the gate's voter roles leave out, and the groups whose approval is still needed.
 */

const CARD_ROLES = ['reviewer', 'rnd', 'product'];

/** "product reviewers or R&D reviewers": a gate's voter roles in words (a plain row's only when alone). */
export function roleWords(roles: string[], env: RenderEnv): string {
  const shown = roles.length > 1 ? roles.filter((role) => role !== 'reviewer') : roles;
  return shown
    .map((role) =>
      CARD_ROLES.includes(role) ? tr(env, `voterRole.${role}`) : tr(env, 'voterRole.other', { role }),
    )
    .join(', ');
}

export function voterRuleBlocks(
  input: {
    voterRoles?: string[];
    outsideRoles?: ResolvedPerson[];
    groups?: GroupSnapshot;
  },
  env: RenderEnv,
): MessageBlock[] {
  const blocks: MessageBlock[] = [];
  for (const expansion of Object.values(input.groups ?? {})) {
    if (!expansion.problem) continue;
    blocks.push({
      type: 'context',
      text: tr(env, `group.problem.${expansion.problem}`, {
        group: expansion.label,
        name: expansion.name ?? expansion.label,
        detail: expansion.detail ?? '',
      }),
    });
  }
  if (input.outsideRoles?.length && input.voterRoles) {
    blocks.push({
      type: 'context',
      text: tr(env, 'vote.outsideRoles', {
        roles: roleWords(input.voterRoles, env),
        names: cappedInline(
          input.outsideRoles.map((person) => person.display),
          env,
        ),
      }),
    });
  }
  return blocks;
}

/** "an approval from ethics-board", per required group still missing, for the vote's "needs" line. */
export function missingGroupsText(missing: string[], env: RenderEnv): string[] {
  return missing.map((group) => tr(env, 'vote.needsGroup', { group }));
}
