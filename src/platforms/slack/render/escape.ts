import { replaceTimes, splitMentions, splitTimes, type TimeToken } from '../../../core/messages';

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * Neutral text to mrkdwn: everything escaped except mention tokens `<@U123>`, which stay real mentions,
 * and time tokens, which become Slack dates shown in each reader's zone. A token that is not a Slack user
 * id (a playground id that slipped through) is shown as `@name`.
 */
export function toMrkdwn(text: string): string {
  return splitTimes(text)
    .map((part) => ('time' in part ? slackDate(part.time) : mentionsMrkdwn(part.text)))
    .join('');
}

function mentionsMrkdwn(text: string): string {
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

/**
 * Slack's date formatting (`<!date^EPOCH^TOKENS|FALLBACK>`): each client writes the instant in its
 * reader's zone and clock, so "your time" is true for everyone. The whole reader phrase is the token
 * string, words included: when a client cannot format it, the fallback shows instead and names its zone,
 * so "your time" never stands beside a time that is not.
 *
 * `{date_long_pretty}` is the one mrkdwn date token with the weekday ("Monday, December 14th, 2026"), and
 * it says "today" or "tomorrow" for the nearest days, which reads faster than a date beside a deadline;
 * `{date_short_pretty}` ("Dec 14") drops the weekday the issue asks for.
 */
export function slackDate(time: TimeToken): string {
  const epoch = Math.floor(Date.parse(time.at) / 1000);
  const tokens = time.reader.replace('{date}', '{date_long_pretty}');
  return `<!date^${epoch}^${escapeMrkdwn(tokens)}|${escapeMrkdwn(time.fallback)}>`;
}

/**
 * Neutral text to plain_text (headers, buttons): plain text cannot mention or format dates, so tokens
 * become `@id` and times their fallback.
 */
export function toPlainText(text: string): string {
  return splitMentions(replaceTimes(text, (time) => time.fallback))
    .map((part) => ('userId' in part ? `@${part.userId}` : part.text))
    .join('');
}
