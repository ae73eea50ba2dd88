import type { SystemLevel } from '../system-level';
import { cappedInline, tr, type RenderEnv } from './format';

/**
 * The system level in a sentence or two: "System level 2 (own level 5), held by F01.2 Sales data pipeline
 * at level 2", then components without a card and cycles, when any. Nothing for a project without
 * coupled components.
 */
export function systemLevelLines(system: SystemLevel | undefined, env: RenderEnv): string[] {
  if (!system) return [];
  const lines: string[] = [];
  if (system.heldBy) {
    lines.push(
      tr(env, 'systemLevel.heldBy', {
        system: system.level,
        own: system.own,
        component: componentLabel(system.heldBy),
      }),
    );
  } else if (system.components.length > 0) {
    lines.push(
      tr(env, 'systemLevel.same', {
        system: system.level,
        components: cappedInline(
          system.components.map((component) => `${component.projectId} (${component.level})`),
          env,
        ),
      }),
    );
  }
  if (system.unknown.length > 0) {
    lines.push(tr(env, 'systemLevel.unknown', { components: cappedInline(system.unknown, env) }));
  }
  for (const cycle of system.cycles) lines.push(tr(env, 'systemLevel.cycle', { cycle: cycle.join(' -> ') }));
  return lines;
}

export function componentLabel(component: { projectId: string; name: string }): string {
  return component.name && component.name !== component.projectId
    ? `${component.projectId} ${component.name}`
    : component.projectId;
}
