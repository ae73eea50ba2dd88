import type { types } from '@slack/bolt';
import type { Translate } from '../../../core/ports';
import { clip, SLACK_LIMITS } from './limits';

export const REASON_MODAL_CALLBACK_ID = 'mltrl:reason';
export const REASON_BLOCK_ID = 'reason';
export const REASON_INPUT_ID = 'reason-input';
export const REASON_MAX_LENGTH = 2000;

/** What the modal remembers about the click that opened it, sent back with the view_submission. */
export interface PendingReasonAction {
  conversationId: string;
  messageId?: string;
  actionId: string;
  value: string;
  /** Label of the chosen option (switchback), shown in the modal. */
  choice?: string;
}

export function encodePendingAction(pending: PendingReasonAction): string | undefined {
  const encoded = JSON.stringify(pending);
  return encoded.length <= SLACK_LIMITS.privateMetadata ? encoded : undefined;
}

export function decodePendingAction(metadata: string | undefined): PendingReasonAction | undefined {
  if (!metadata) return undefined;
  try {
    const parsed = JSON.parse(metadata) as Partial<PendingReasonAction>;
    if (typeof parsed.conversationId !== 'string' || typeof parsed.actionId !== 'string') return undefined;
    if (typeof parsed.value !== 'string') return undefined;
    return parsed as PendingReasonAction;
  } catch {
    return undefined;
  }
}

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: clip(text, max), emoji: true };
}

/** The modal that asks for the reason of a "request changes" vote or a switchback proposal. */
export function renderReasonModal(
  pending: PendingReasonAction,
  metadata: string,
  t: Translate,
  locale?: string,
): types.ModalView {
  const kind = pending.actionId === 'vote-switchback' ? 'switchback' : 'changes';
  const blocks: types.KnownBlock[] = [];
  if (pending.choice) {
    blocks.push({
      type: 'section',
      text: { type: 'plain_text', text: clip(pending.choice, SLACK_LIMITS.sectionText), emoji: true },
    });
  }
  blocks.push({
    type: 'input',
    block_id: REASON_BLOCK_ID,
    label: plain(t(`slack:reasonModal.${kind}.label`, undefined, locale), 2000),
    element: {
      type: 'plain_text_input',
      action_id: REASON_INPUT_ID,
      multiline: true,
      min_length: 1,
      max_length: REASON_MAX_LENGTH,
      placeholder: plain(t(`slack:reasonModal.${kind}.placeholder`, undefined, locale), 150),
    },
  });
  return {
    type: 'modal',
    callback_id: REASON_MODAL_CALLBACK_ID,
    private_metadata: metadata,
    title: plain(t(`slack:reasonModal.${kind}.title`, undefined, locale), SLACK_LIMITS.modalTitle),
    submit: plain(t('slack:reasonModal.submit', undefined, locale), SLACK_LIMITS.modalButton),
    close: plain(t('slack:reasonModal.cancel', undefined, locale), SLACK_LIMITS.modalButton),
    blocks,
  };
}
