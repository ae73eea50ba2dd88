import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { MAX_CARD_BYTES } from './parse-card';

/**
 * One buffer that every card file is read into, grown when a larger card comes (up to the size limit).
 * A fresh `Buffer` per file was a separate allocation outside the heap for each card (the buffer pool
 * only serves allocations under 4 KiB) that died as soon as the text was decoded: extra work for the
 * allocator and the garbage collector on every one of 10,000 cards.
 */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * The file's bytes and the stats of the open file (open + fstat + read + close, no separate stat), or
 * its size when it is over the limit (not read). The bytes are a view of the shared buffer: valid only
 * until the next call, so the caller decodes or hashes them at once and keeps nothing that points in.
 */
export function readCardFile(path: string): { bytes: Buffer; stats: Stats } | { size: number } {
  const fd = openSync(path, 'r');
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    if (stats.size > MAX_CARD_BYTES) return { size: stats.size };
    if (stats.size > scratch.length) scratch = Buffer.allocUnsafe(Math.min(MAX_CARD_BYTES, 2 * stats.size));
    let length = 0;
    while (length < stats.size) {
      const count = readSync(fd, scratch, length, stats.size - length, length);
      if (count === 0) break; // shrank while reading: take what is there
      length += count;
    }
    return { bytes: scratch.subarray(0, length), stats };
  } finally {
    closeSync(fd);
  }
}
