import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const MARKDOWN = /\.(md|markdown)$/i;

/**
 * Markdown files under `dir`, relative paths with "/" separators, sorted. Hidden folders and
 * node_modules are not cards. `folders`, when given, receives each folder's path and its modification
 * time, taken before the folder is read (adding, removing or renaming a file changes it).
 */
export async function listMarkdownFiles(dir: string, folders?: Map<string, number>): Promise<string[]> {
  const found: string[] = [];
  async function walk(relative: string): Promise<void> {
    const path = relative ? join(dir, relative) : dir;
    if (folders) folders.set(path, statSync(path).mtimeMs);
    const entries = await readdir(path, { withFileTypes: true });
    const below: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const file = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') below.push(file);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && MARKDOWN.test(entry.name)) {
        found.push(file);
      }
    }
    for (const folder of below) await walk(folder);
  }
  await walk('');
  return found.sort();
}
