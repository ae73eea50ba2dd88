import type { types } from '@slack/bolt';
import { plainTimes, type OutboundMessage } from '../../../core/messages';
import type { Translate } from '../../../core/ports';
import { toMrkdwn } from './escape';
import { fitBlocks } from './fit-blocks';
import { clip, SLACK_LIMITS } from './limits';
import { renderBlocks, type UploadedImages } from './render-blocks';

export interface SlackMessagePayload {
  text: string;
  blocks: types.KnownBlock[];
}

export interface RenderContext {
  t: Translate;
  locale?: string;
  /** Files uploaded for the message's PNG images, by block index. */
  uploaded?: UploadedImages;
}

/** "...and N more" in the reader's language, for whatever the block budget left out. */
export function moreText(context: RenderContext): (count: number) => string {
  return (count) => toMrkdwn(context.t('slack:andMore', { count }, context.locale));
}

/** A neutral message as chat.postMessage / chat.update arguments: 50 blocks at most, with a text fallback. */
export function renderMessage(message: OutboundMessage, context: RenderContext): SlackMessagePayload {
  const pieces = renderBlocks(message.blocks, context.uploaded);
  return {
    // The notification text: times as their fallback, which names its zone (notifications show no dates).
    text: clip(toMrkdwn(plainTimes(message.text)), SLACK_LIMITS.fallbackText),
    blocks: fitBlocks(pieces, SLACK_LIMITS.messageBlocks, moreText(context)),
  };
}

/** A person's home (engine.home) as an App Home view: 100 blocks at most. */
export function renderHomeView(message: OutboundMessage, context: RenderContext): types.HomeView {
  const pieces = renderBlocks(message.blocks, context.uploaded);
  return { type: 'home', blocks: fitBlocks(pieces, SLACK_LIMITS.homeBlocks, moreText(context)) };
}
