import type { SocketModeClient } from '@slack/socket-mode';

/** Envelopes awaiting their ack; beyond this many (acks that never came) the oldest are forgotten. */
const MAX_WAITING = 1000;

/**
 * Socket Mode has no HTTP request to time, but the same 3 s deadline: each envelope's time from its
 * arrival on the WebSocket to the ack the client sends for it is reported, as the HTTP middleware does
 * for POST /slack/events.
 */
export function timeSocketModeAcks(client: SocketModeClient, observe: (seconds: number) => void): void {
  const arrived = new Map<string, number>();
  // Runs right after the receiver's own listener has handed the envelope to Bolt, which answers only
  // after its first await: the arrival is taken before any ack can be written.
  client.on('slack_event', (event: { envelope_id?: string }) => {
    if (!event.envelope_id) return;
    if (arrived.size >= MAX_WAITING) arrived.delete(arrived.keys().next().value!);
    arrived.set(event.envelope_id, performance.now());
  });
  // Every ack the client writes to the socket is announced as an outgoing message with its envelope id.
  client.on('outgoing_message', (message: { envelope_id?: string }) => {
    const at = message.envelope_id === undefined ? undefined : arrived.get(message.envelope_id);
    if (at === undefined) return;
    arrived.delete(message.envelope_id!);
    observe((performance.now() - at) / 1000);
  });
}
