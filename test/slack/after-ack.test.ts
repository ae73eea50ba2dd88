import { AfterAckQueue } from '../../src/platforms/slack/listeners/after-ack';

test('runs at most `limit` tasks at a time, all of them, and frees the slot after a failure', async () => {
  const queue = new AfterAckQueue(2);
  let running = 0;
  let most = 0;
  const finished: number[] = [];
  const task = (index: number) => async () => {
    running += 1;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, 10));
    running -= 1;
    if (index === 3) throw new Error('task 3 fails');
    finished.push(index);
    return index;
  };
  const results = await Promise.allSettled(Array.from({ length: 7 }, (_, index) => queue.run(task(index))));
  expect(most).toBe(2);
  expect(finished.sort()).toEqual([0, 1, 2, 4, 5, 6]);
  expect(results[3].status).toBe('rejected');
  expect(queue.pending).toBe(0);
});

test('drain waits for queued work, and gives up at its deadline', async () => {
  const queue = new AfterAckQueue(1);
  let done = 0;
  for (let index = 0; index < 3; index++) {
    void queue.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      done += 1;
    });
  }
  await queue.drain(5000);
  expect(done).toBe(3);
  void queue.run(() => new Promise(() => undefined));
  await queue.drain(50);
  expect(queue.pending).toBe(1);
});
