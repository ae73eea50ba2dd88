import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import type { ChecklistFile } from '../core/ethics-checklist';

/** Linked files (ethics checklists) are small documents; anything larger is refused, not read. */
export const MAX_LINKED_BYTES = 256 * 1024;

/**
 * A file a card links to by a relative path (`../ethics_checklist.md`), read from the same folder the
 * card came from. Never outside `root` (the card folder): a link that climbs out of it is refused, not
 * followed. Never throws: a missing, unreadable or oversized file comes back with its problem.
 */
export function readLinkedFile(root: string, cardFile: string, link: string): ChecklistFile {
  const path = link;
  const rootPath = resolve(root);
  const target = resolve(rootPath, dirname(cardFile), decodeLink(link));
  const inside = relative(rootPath, target);
  if (isAbsolute(link) || inside.startsWith('..') || isAbsolute(inside)) return { path, ok: false, problem: 'outside' };
  let fd: number | undefined;
  try {
    fd = openSync(join(rootPath, normalize(inside)), 'r');
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { path, ok: false, problem: 'unreadable' };
    if (stats.size > MAX_LINKED_BYTES) return { path, ok: false, problem: 'too-large' };
    const bytes = Buffer.alloc(stats.size);
    let length = 0;
    while (length < bytes.length) {
      const count = readSync(fd, bytes, length, bytes.length - length, length);
      if (count === 0) break;
      length += count;
    }
    return { path, ok: true, text: bytes.subarray(0, length).toString('utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    return { path, ok: false, problem: code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable' };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function decodeLink(link: string): string {
  try {
    return decodeURIComponent(link);
  } catch {
    return link;
  }
}
