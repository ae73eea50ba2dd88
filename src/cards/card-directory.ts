import { statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Card, CardError, CardSet } from '../core/card';
import type { CardSource } from '../core/ports';
import { cardError, isCardError, skippedReason } from './card-error';
import { findDuplicateIds } from './duplicate-ids';
import { readLinkedFile } from './linked-file';
import { listMarkdownFiles } from './list-markdown';
import { cardContentHash, MAX_CARD_BYTES, parseCardBuffer, type ParseCardOptions } from './parse-card';
import { readCardFile } from './read-card-file';
import { contentHash } from './revision';

interface CacheEntry {
  size: number;
  mtimeMs: number;
  result: Card | CardError;
  /** Content hash of a file that gave an error (a card carries its own, computed on demand). */
  errorHash?: string;
}

export interface CardDirectory extends CardSource {
  readonly dir: string;
  /**
   * Files the caller itself just wrote or deleted (a git checkout it owns): they are read again and the
   * index of the last full scan stays valid, so the next `find` needs no full scan. Anything the index
   * cannot follow (a new folder, a project ID taken by two files) drops the index instead.
   */
  refresh(files: string[]): void;
}

/** Files read between two yields to the event loop. */
const BATCH = 200;

/**
 * How long `find` may answer from the last full scan's index (one stat of the card's file and of each
 * folder) before it lists and stats the whole directory again: a second, or 20 times what the last scan
 * took (5,000 cards on a busy machine), so scans never take more than a twentieth of the time. Adding,
 * removing or renaming a file is seen at once (its folder's time changes), an edit of the card itself
 * too; only an in-place edit of another file that takes over the same project ID waits for the next scan.
 */
const FULL_SCAN_EVERY_MS = 1000;
const FULL_SCAN_SHARE = 20;

/** Where each project's card was at the last full scan, and the folders' times then. */
interface ScanIndex {
  at: number;
  /** How long this index may answer. */
  validMs: number;
  /** Lower-cased project ID -> file (IDs are unique case-insensitively after the duplicate check). */
  files: Map<string, string>;
  folders: Map<string, number>;
}

/**
 * The card directory as a CardSource. Every call re-reads the directory (an owner fixes a gap by editing
 * the file), but a file whose path, size and modification time are unchanged is not read again; a file
 * touched without a change (same content hash) is not parsed again.
 */
export function createCardDirectory(dir: string, options: ParseCardOptions = {}): CardDirectory {
  const cache = new Map<string, CacheEntry>();
  let index: ScanIndex | undefined;

  /**
   * Synchronous on purpose: a stat and a 5 KiB read cost microseconds, far less than the promise round
   * trips through the thread pool; the parse is synchronous anyway. loadAll yields between batches.
   */
  function readOne(file: string): Card | CardError {
    const path = join(dir, file);
    try {
      const cached = cache.get(file);
      // A file seen before: one stat decides. A new file: open it and stat the open file (one system
      // call fewer than stat + read).
      const info = cached ? statSync(path) : undefined;
      if (cached && info && cached.size === info.size && cached.mtimeMs === info.mtimeMs) return cached.result;
      const read = readCardFile(path);
      if ('size' in read) {
        cache.delete(file);
        return cardError(file, 'too-large', { size: read.size, limit: MAX_CARD_BYTES });
      }
      const { bytes, stats } = read;
      // Touched but unchanged (same content hash): keep the parsed card. Only hashed when needed.
      const unchanged = cached && contentHash(bytes) === (cached.errorHash ?? cardContentHashOf(cached.result));
      const result = unchanged ? cached.result : parseCardBuffer(bytes, file, options);
      const entry: CacheEntry = { size: stats.size, mtimeMs: stats.mtimeMs, result };
      if (isCardError(result)) entry.errorHash = contentHash(bytes);
      cache.set(file, entry);
      return result;
    } catch (error) {
      cache.delete(file);
      return cardError(file, 'unreadable', { reason: describe(error) });
    }
  }

  async function loadAll(): Promise<CardSet> {
    const started = Date.now();
    const folders = new Map<string, number>();
    let files: string[];
    try {
      files = await listMarkdownFiles(dir, folders);
    } catch (error) {
      return { cards: [], errors: [cardError(dir, 'unreadable', { reason: describe(error) })], skipped: [] };
    }
    const listed = new Set(files);
    for (const file of cache.keys()) if (!listed.has(file)) cache.delete(file);

    const results: Array<Card | CardError> = [];
    for (let start = 0; start < files.length; start += BATCH) {
      if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve)); // let other work run
      for (const file of files.slice(start, start + BATCH)) results.push(readOne(file));
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
    const ids = new Map(set.cards.map((card) => [card.projectId.toLowerCase(), card.file]));
    const validMs = Math.max(FULL_SCAN_EVERY_MS, FULL_SCAN_SHARE * (Date.now() - started));
    index = { at: started, validMs, files: ids, folders };
    return set;
  }

  /**
   * The card from the last full scan's index: the card, `null` when the index is fresh and no card has
   * that ID (no folder changed, so no file was added, removed or renamed since), or `undefined` when the
   * index cannot answer and a full scan must.
   */
  function findIndexed(wanted: string): Card | null | undefined {
    if (!index || Date.now() - index.at > index.validMs) return undefined;
    try {
      for (const [folder, mtimeMs] of index.folders) if (statSync(folder).mtimeMs !== mtimeMs) return undefined;
    } catch {
      return undefined;
    }
    const file = index.files.get(wanted.toLowerCase());
    if (!file) return null;
    const result = readOne(file);
    return !isCardError(result) && result.projectId.toLowerCase() === wanted.toLowerCase() ? result : undefined;
  }

  async function find(projectId: string): Promise<Card | undefined> {
    const wanted = projectId.trim();
    const indexed = findIndexed(wanted);
    if (indexed !== undefined) return indexed ?? undefined;
    const { cards } = await loadAll();
    return (
      cards.find((card) => card.projectId === wanted) ??
      cards.find((card) => card.projectId.toLowerCase() === wanted.toLowerCase())
    );
  }

  async function readLinked(card: Card, link: string) {
    return readLinkedFile(dir, card.file, link);
  }

  async function changedAt(card: Card): Promise<string | undefined> {
    try {
      return (await stat(join(dir, card.file))).mtime.toISOString();
    } catch {
      return undefined;
    }
  }

  function refresh(files: string[]): void {
    if (!index) return;
    const current = index;
    index = undefined; // until it is known to be right again
    for (const file of files) {
      if (!current.folders.has(file.includes('/') ? join(dir, dirname(file)) : dir)) return;
      for (const [id, indexed] of current.files) if (indexed === file) current.files.delete(id);
      const result = readOne(file);
      if (isCardError(result)) continue;
      const id = result.projectId.toLowerCase();
      if (current.files.has(id)) return;
      current.files.set(id, file);
    }
    try {
      for (const folder of current.folders.keys()) current.folders.set(folder, statSync(folder).mtimeMs);
    } catch {
      return;
    }
    index = { ...current, at: Date.now() };
  }

  return { dir, loadAll, find, readLinked, changedAt, refresh };
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

function cardContentHashOf(result: Card | CardError): string | undefined {
  return isCardError(result) ? undefined : cardContentHash(result);
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}
