/**
 * Where the editor keeps a workspace folder's history: `<storageUri>/<hash>-<name>.db`.
 * The hash of the folder's URI (as the extension host sees it) keeps the name stable across
 * reloads and folder reordering; the name keeps it readable. The demo and the end-to-end tests
 * use this same function to find the store the extension opens.
 */
import { createHash } from 'node:crypto';

export function storeFileName(folderUri: string, folderName: string): string {
  const hash = createHash('sha256').update(folderUri).digest('hex').slice(0, 12);
  const name = folderName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40);
  return `${hash}-${name}.db`;
}
