import { deepFreeze, jsonOf } from '../deep-freeze';
import type { OutboundMessage } from '../messages';
import type { RenderEnv } from '../render/format';
import type { ProjectContext } from './project-context';

/** Messages remembered per project context: a few readers' languages and zones, and the latest votes. */
const PER_CONTEXT = 8;

interface Remembered {
  t: RenderEnv['t'];
  message: OutboundMessage;
}

const remembered = new WeakMap<ProjectContext, Map<string, Remembered>>();

/**
 * The vote message for these inputs, rendered once. A reviewer who clicks again on a card that did not
 * change (confirming their vote, a double click) gets the message the last click rendered: rendering it
 * (the tally, every voter's line, a few dozen catalog texts) was a visible part of a Teams click's cost
 * (bench/README.md, sixth round). The message is a function of the project's context (kept per context
 * object, which the click's context memo hands out unchanged while nothing it was computed from
 * changed), the reader's language and zone, and `inputs` (the review, the votes, the outcome, the level
 * evidence, the delegates in force), compared as JSON (a frozen input, as the review store hands out, is
 * written out once). The message is frozen: every caller with the same inputs shares it.
 */
export function rememberedVoteMessage(
  pc: ProjectContext,
  env: RenderEnv,
  inputs: unknown[],
  render: () => OutboundMessage,
): OutboundMessage {
  let known = remembered.get(pc);
  if (!known) remembered.set(pc, (known = new Map()));
  const key = `${JSON.stringify([env.locale, env.tz, env.shared ?? false])}${inputs.map(jsonOf).join('\u0000')}`;
  const hit = known.get(key);
  if (hit && hit.t === env.t) return hit.message;
  const message = deepFreeze(render());
  known.delete(key);
  if (known.size >= PER_CONTEXT) known.delete(known.keys().next().value!);
  known.set(key, { t: env.t, message });
  return message;
}
