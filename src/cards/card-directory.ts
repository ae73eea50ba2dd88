import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Card, CardError, CardSet } from '../core/card';
import type { CardSource } from '../core/ports';
import { cardError, isCardError, skippedReason } from './card-error';
import { findDuplicateIds } from './duplicate-ids';
import { listMarkdownFiles } from './list-markdown';
import { MAX_CARD_BYTES, parseCardBuffer, type ParseCardOptions } from './parse-card';

interface CacheEntry {
  size: number;
  mtimeMs: number;
  contentHash: string;
  result: Card | CardError;
}

export interface CardDirectory extends CardSource {
  readonly dir: string;
}

const BATCH = 64;

/**
 * The card directory as a CardSource. Every call re-reads the directory (an owner fixes a gap by editing
 * the file), but a file whose path, size and modification time are unchanged is not read again; a file
 * touched without a change (same content hash) is not parsed again.
 */
export function createCardDirectory(dir: string, options: ParseCardOptions = {}): CardDirectory {
  const cache = new Map<string, CacheEntry>();

  async function readOne(file: string): Promise<Card | CardError> {
    const path = join(dir, file);
    try {
      const info = await stat(path);
      const cached = cache.get(file);
      if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) return cached.result;
      if (info.size > MAX_CARD_BYTES) {
        cache.delete(file);
        return cardError(file, 'too-large', { size: info.size, limit: MAX_CARD_BYTES });
      }
      const bytes = await readFile(path);
      const contentHash = createHash('sha256').update(bytes).digest('hex');
      const result = cached && cached.contentHash === contentHash ? cached.result : parseCardBuffer(bytes, file, options);
      cache.set(file, { size: info.size, mtimeMs: info.mtimeMs, contentHash, result });
      return result;
    } catch (error) {
      cache.delete(file);
      return cardError(file, 'unreadable', { reason: describe(error) });
    }
  }

  async function loadAll(): Promise<CardSet> {
    let files: string[];
    try {
      files = await listMarkdownFiles(dir);
    } catch (error) {
      return { cards: [], errors: [cardError(dir, 'unreadable', { reason: describe(error) })], skipped: [] };
    }
    const listed = new Set(files);
    for (const file of cache.keys()) if (!listed.has(file)) cache.delete(file);

    const results: Array<Card | CardError> = [];
    for (let start = 0; start < files.length; start += BATCH) {
      results.push(...(await Promise.all(files.slice(start, start + BATCH).map(readOne))));
    }
    const set: CardSet = { cards: [], errors: [], skipped: [] };
    for (const result of results) {
      if (!isCardError(result)) set.cards.push(result);
      else if (result.code === 'not-a-card') set.skipped.push({ file: result.file, reason: skippedReason() });
      else set.errors.push(result);
    }
    const duplicates = findDuplicateIds(set.cards);
    if (duplicates.errors.length > 0) {
      set.cards = duplicates.cards;
      set.errors.push(...duplicates.errors);
    }
    return set;
  }

  async function find(projectId: string): Promise<Card | undefined> {
    const { cards } = await loadAll();
    const wanted = projectId.trim();
    return (
      cards.find((card) => card.projectId === wanted) ??
      cards.find((card) => card.projectId.toLowerCase() === wanted.toLowerCase())
    );
  }

  return { dir, loadAll, find };
}

/** One card named explicitly (the CLI's `cards check file.md`): a file that is not a card is an error. */
export async function loadCardFile(path: string, options: ParseCardOptions = {}): Promise<Card | CardError> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return cardError(path, 'unreadable', { reason: 'not a file' });
    if (info.size > MAX_CARD_BYTES) return cardError(path, 'too-large', { size: info.size, limit: MAX_CARD_BYTES });
    return parseCardBuffer(await readFile(path), path, options);
  } catch (error) {
    return cardError(path, 'unreadable', { reason: describe(error) });
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}
