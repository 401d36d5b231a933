/**
 * Older versions kept a folder's history in the extension's workspace storage; it now lives in
 * the folder's `.tidemark/tidemark.db`, shared with the CLI. On the first open, the old store's
 * runs are copied over (JSONL export → import, which skips runs already there, so an interrupted
 * move is simply repeated), then the old files are renamed `*.moved` — kept, never deleted.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as vscode from 'vscode';
import type { StoreApi } from '../../core/store/api';

const exists = (file: string) => fs.stat(file).then(() => true, () => false);

export async function moveLegacyHistory(
  folder: { legacyStorePath: string | undefined; folder: vscode.WorkspaceFolder },
  target: StoreApi,
  workerScript: string,
  log: vscode.LogOutputChannel,
): Promise<number> {
  const legacy = folder.legacyStorePath;
  if (!legacy || !((await exists(legacy)) || (await exists(`${legacy}.journal`)))) return 0;
  const { openStoreInWorker } = await import('../../core/store/workerClient');
  const old = await openStoreInWorker(legacy, { workerScript });
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'tidemark-move-'));
  const file = path.join(tmp, 'history.jsonl');
  try {
    const lines = await old.exportJsonl(file);
    await old.close();
    const outcome = lines ? await target.importJsonl(file, { source: 'editor-storage', skipInvalid: true }) : undefined;
    for (const suffix of ['', '.journal']) {
      if (await exists(legacy + suffix)) await fs.rename(legacy + suffix, `${legacy}${suffix}.moved`);
    }
    log.info(`${folder.folder.name}: moved the history kept in the editor's storage (${lines} values) into .tidemark/tidemark.db${outcome ? ` (${outcome.imported} imported, ${outcome.skipped} already there, ${outcome.problems.length} problems)` : ''}; the old file is kept as ${legacy}.moved`);
    return lines;
  } finally {
    await old.close().catch(() => undefined);
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
