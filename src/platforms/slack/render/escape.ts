import { splitMentions } from '../../../core/messages';

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * Neutral text to mrkdwn: everything escaped except mention tokens `<@U123>`, which stay real mentions.
 * A token that is not a Slack user id (a playground id that slipped through) is shown as `@name`.
 */
export function toMrkdwn(text: string): string {
  return splitMentions(text)
    .map((part) =>
      'userId' in part
        ? SLACK_USER_ID.test(part.userId)
          ? `<@${part.userId}>`
          : escapeMrkdwn(`@${part.userId}`)
        : escapeMrkdwn(part.text),
    )
    .join('');
}

/** Neutral text to plain_text (headers, buttons): plain text cannot mention, so tokens become `@id`. */
export function toPlainText(text: string): string {
  return splitMentions(text)
    .map((part) => ('userId' in part ? `@${part.userId}` : part.text))
    .join('');
}
