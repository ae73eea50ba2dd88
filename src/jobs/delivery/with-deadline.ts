import { AmbiguousDeliveryError } from '../../core/errors';

/** A platform call that did not answer in time: it may still land, so it is not retried blindly. */
export class CallDeadlineError extends AmbiguousDeliveryError {
  constructor(readonly deadlineMs: number) {
    super(`the platform did not answer within ${deadlineMs} ms`);
  }
}

export async function withDeadline<T>(work: Promise<T>, deadlineMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CallDeadlineError(deadlineMs)), deadlineMs);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
