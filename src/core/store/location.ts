/**
 * Where the editor kept a workspace folder's history before it moved into the folder
 * (`FOLDER_STORE`): `<storageUri>/<hash>-<name>.db`, now only read once to move old runs over.
 * The hash of the folder's URI (as the extension host sees it) keeps the name stable across
 * reloads and folder reordering; the name keeps it readable.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function storeFileName(folderUri: string, folderName: string): string {
  const hash = createHash('sha256').update(folderUri).digest('hex').slice(0, 12);
  const name = folderName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40);
  return `${hash}-${name}.db`;
}

/**
 * Where a folder's history lives for every Tidemark process: the CLI (`tidemark collect`, git
 * hooks, tasks) and the editor read and write this one store (the store's lock and journal make
 * two processes on one file safe; see src/core/store/README.md).
 */
export const FOLDER_STORE = '.tidemark/tidemark.db';

export function folderStorePath(cwd: string): string {
  return path.join(cwd, ...FOLDER_STORE.split('/'));
}

/**
 * Creates the store's folder; a new `.tidemark/` gets a `.gitignore` of `*` so the history file
 * is never committed by accident (publishing through git notes is how history is shared).
 */
export function prepareStoreDir(dir: string): void {
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true });
  if (path.basename(dir) === '.tidemark') {
    try {
      writeFileSync(path.join(dir, '.gitignore'), '# Tidemark history (shared through git notes, never committed)\n*\n', { flag: 'wx' });
    } catch {
      // Another process made it first.
    }
  }
}
