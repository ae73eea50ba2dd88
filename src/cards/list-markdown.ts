import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const MARKDOWN = /\.(md|markdown)$/i;

/**
 * Markdown files under `dir`, relative paths with "/" separators, sorted. Hidden folders and
 * node_modules are not cards.
 */
export async function listMarkdownFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(relative: string): Promise<void> {
    const entries = await readdir(relative ? join(dir, relative) : dir, { withFileTypes: true });
    const folders: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') folders.push(path);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && MARKDOWN.test(entry.name)) {
        found.push(path);
      }
    }
    for (const folder of folders) await walk(folder);
  }
  await walk('');
  return found.sort();
}
