import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';

export interface GitObject {
  type: 'blob' | 'tree' | 'commit' | 'tag';
  data: Buffer;
}

interface Pending {
  resolve(object: GitObject | undefined): void;
  reject(error: Error): void;
}

/**
 * Reads git objects through one long-running `git cat-file --batch`, so that looking at a pushed
 * commit, its trees and the few files it changed costs no process start (starting a git process is the
 * largest cost on the push path of a busy machine, and a fetch already starts several). Requests are
 * answered in order; objects fetched after the reader started are found too (git re-scans its packs
 * when an object is missing).
 */
export function createObjectReader(dir: string, env: Record<string, string>) {
  let current: Batch | undefined;

  return {
    /** The object named by `spec` (a SHA or `<commit>:<path>`), undefined when it does not exist. */
    read(spec: string): Promise<GitObject | undefined> {
      if (/[\n\r]/.test(spec)) return Promise.reject(new Error('object name with a line break'));
      if (!current || current.ended) current = startBatch(dir, env);
      const batch = current;
      return new Promise((resolve, reject) => {
        if (batch.queue.length === 0) (batch.child.stdout as Socket).ref(); // an answer is awaited: keep the process up
        batch.queue.push({ resolve, reject });
        batch.child.stdin.write(`${spec}\n`);
      });
    },
    close(): void {
      current?.child.stdin.end();
      current = undefined;
    },
  };
}

export type ObjectReader = ReturnType<typeof createObjectReader>;

interface Batch {
  child: ChildProcessWithoutNullStreams;
  queue: Pending[];
  ended: boolean;
}

/** One `git cat-file --batch` process with its own queue of requests and its own output buffer. */
function startBatch(dir: string, env: Record<string, string>): Batch {
  const child = spawn('git', ['cat-file', '--batch'], { cwd: dir, env, stdio: 'pipe' });
  const batch: Batch = { child, queue: [], ended: false };
  let buffered: Buffer = Buffer.alloc(0);
  child.stdout.on('data', (chunk: Buffer) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    buffered = drain(buffered, batch.queue);
    if (batch.queue.length === 0) (child.stdout as Socket).unref();
  });
  // An idle reader does not keep the bot's process alive (a CLI run ends when its work does).
  child.unref();
  (child.stdin as unknown as Socket).unref();
  (child.stderr as Socket).unref();
  (child.stdout as Socket).unref();
  const fail = (error: Error) => {
    batch.ended = true;
    for (const pending of batch.queue.splice(0)) pending.reject(error);
  };
  child.on('error', fail);
  child.on('exit', () => fail(new Error('git cat-file ended')));
  child.stdin.on('error', () => undefined); // reported through 'exit'
  child.stderr.resume();
  return batch;
}

/** Answers as many queued requests as the buffered output completes; returns what is left over. */
function drain(buffered: Buffer, queue: Pending[]): Buffer {
  while (queue.length > 0) {
    const newline = buffered.indexOf(10);
    if (newline < 0) break;
    const header = buffered.subarray(0, newline).toString('utf8');
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      buffered = buffered.subarray(newline + 1);
      queue.shift()!.resolve(undefined);
      continue;
    }
    const [, type, size] = header.split(' ');
    const end = newline + 1 + Number(size);
    if (buffered.length < end + 1) break;
    const data = Buffer.from(buffered.subarray(newline + 1, end));
    buffered = buffered.subarray(end + 1);
    queue.shift()!.resolve({ type: type as GitObject['type'], data });
  }
  return buffered;
}
