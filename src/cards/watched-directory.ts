import { watch, type FSWatcher } from 'chokidar';
import { basename, relative, resolve, sep } from 'node:path';
import { createCardDirectory, type CardDirectory } from './card-directory';
import type { ParseCardOptions } from './parse-card';

const MARKDOWN = /\.(md|markdown)$/i;

export interface WatchOptions extends ParseCardOptions {
  /** Edits closer together than this are reported once (an editor's save is several writes). */
  debounceMs?: number;
}

/**
 * The card directory, watched: `onChange` listeners hear which card files changed (relative paths, as
 * in `Card.file`) one debounce after the last write. Reading stays what `createCardDirectory` does (a
 * stat per file, no re-parse of an unchanged one); the watcher only says when to look.
 */
export function createWatchedCardDirectory(dir: string, options: WatchOptions = {}): CardDirectory {
  const source = createCardDirectory(dir, options);
  const root = resolve(dir);
  const debounceMs = options.debounceMs ?? 150;
  const listeners = new Set<(files: string[]) => void>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  let ready: Promise<void> | undefined;

  function flush(): void {
    timer = undefined;
    const files = [...pending].sort();
    pending.clear();
    for (const listener of listeners) listener(files);
  }

  function noted(path: string): void {
    if (!MARKDOWN.test(path)) return;
    pending.add(relative(root, resolve(path)).split(sep).join('/'));
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  }

  return {
    ...source,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      return (ready ??= new Promise<void>((done) => {
        watcher = watch(root, {
          ignoreInitial: true,
          // Hidden folders (.git) and node_modules hold no cards, as in listMarkdownFiles.
          ignored: (path) => {
            const name = basename(path);
            return path !== root && (name.startsWith('.') || name === 'node_modules');
          },
        });
        for (const event of ['add', 'change', 'unlink'] as const) watcher.on(event, noted);
        watcher.once('ready', () => done());
      }));
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending.clear();
      await watcher?.close();
      watcher = undefined;
      ready = undefined;
    },
  };
}
