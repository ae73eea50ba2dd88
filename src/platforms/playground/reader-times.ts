import { fillReaderTime, mapMessageText, replaceTimes, type OutboundMessage } from '../../core/messages';
import { momentParts } from '../../core/render/format';
import type { WorkspaceMessage, WorkspaceMessageWithReplies } from './workspace-store';

/** Whose page a message is shown on: their zone (people.yaml, else DEFAULT_TZ) and the default language. */
export interface PlaygroundReader {
  tz: string;
  defaultLocale: string;
}

/**
 * A message as one person reads it: every time token written in that person's zone, in the message's
 * language, inside its reader phrase ("Mon 14 Dec, 18:00 your time"). The page is drawn per acting
 * person, so the playground can do what Slack's and Teams' clients do for each of their readers. The
 * stored message keeps its tokens; only the copy sent to the page is filled.
 */
export function inReaderZone(message: OutboundMessage, reader: PlaygroundReader): OutboundMessage {
  const env = { locale: message.locale ?? reader.defaultLocale, tz: reader.tz };
  return mapMessageText(message, (text) =>
    replaceTimes(text, (time) => {
      const { date, time: clock } = momentParts(time.at, env);
      return fillReaderTime(time, date, clock);
    }),
  );
}

/** A workspace message (and its replies) with its times in the reader's zone. */
export function viewInReaderZone<T extends WorkspaceMessage | WorkspaceMessageWithReplies>(
  entry: T,
  reader: PlaygroundReader,
): T {
  const shown = { ...entry, message: inReaderZone(entry.message, reader) };
  if ('replies' in entry) {
    (shown as WorkspaceMessageWithReplies).replies = entry.replies.map((reply) =>
      viewInReaderZone(reply, reader),
    );
  }
  return shown;
}
