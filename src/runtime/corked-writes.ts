import type Redis from 'ioredis';
import type { Socket } from 'node:net';

/**
 * Writes every command a client sends in one turn of the event loop to its socket in one system call.
 *
 * ioredis writes each command to the socket as it is sent, and an idle socket passes each write straight
 * to the kernel: a Teams vote click sends about twenty commands in eight bursts, and those separate
 * writes were the largest single cost of the bot's process (issue 16, bench/README.md). Corking the socket
 * at a turn's first command and uncorking it on `process.nextTick` hands the whole burst to the kernel as
 * one `writev`, before the event loop goes back to waiting for I/O, so no command waits longer than the
 * code that sent it keeps running. (ioredis's own `enableAutoPipelining` defers to `setImmediate`, after the
 * I/O poll, and measured slower for our chains of dependent round trips.)
 */
export function corkWritesPerTick(redis: Redis): void {
  const send = redis.sendCommand.bind(redis);
  let corked: Socket | undefined;
  redis.sendCommand = (command, stream) => {
    const socket = redis.stream as Socket | undefined;
    if (!stream && socket && corked !== socket && typeof socket.cork === 'function') {
      corked = socket;
      socket.cork();
      process.nextTick(() => {
        corked = undefined;
        socket.uncork();
      });
    }
    return send(command, stream);
  };
}
