import type Redis from 'ioredis';

/** The part of an ioredis command the watchdog needs (its `Command` class is not exported as a type). */
interface PendingCommand {
  isSettled: boolean;
  reject(error: Error): void;
}

/**
 * Fails every command of a client that goes unanswered for `timeoutMs` ("Command timed out"), as
 * ioredis's own `commandTimeout` does, but with one timer per client instead of one per command: a
 * timer set and cleared for each of the dozen commands of a vote click was a visible part of its cost
 * (bench/README.md). A connection answers in the order it was asked, and every command gets the same
 * time, so the oldest commands are the only ones to look at: a check every tenth of the timeout fails
 * a command between `timeoutMs` and 1.1 times that after it was sent.
 */
export function failUnansweredCommands(redis: Redis, timeoutMs: number): void {
  const pending: Array<{ command: PendingCommand; deadline: number }> = [];
  let first = 0;
  let timer: NodeJS.Timeout | undefined;

  function check(): void {
    const now = Date.now();
    while (first < pending.length) {
      const { command, deadline } = pending[first];
      if (!command.isSettled) {
        if (deadline > now) break;
        command.reject(new Error('Command timed out'));
      }
      first++;
    }
    // Forget what is done, in one step now and then rather than one shift per command.
    if (first > 1024 || first === pending.length) {
      pending.splice(0, first);
      first = 0;
    }
    if (pending.length === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (command, stream) => {
    pending.push({ command: command as unknown as PendingCommand, deadline: Date.now() + timeoutMs });
    if (!timer) {
      timer = setInterval(check, Math.max(10, Math.floor(timeoutMs / 10)));
      timer.unref(); // a client left open does not keep the process alive for it
    }
    return send(command, stream);
  };
}
