// The editor's older store (VS Code's workspace storage) moves into the folder's store once:
// its runs are imported (with event and dirty flag), the old files are kept as *.moved, and a
// second open finds nothing to move. Real stores on disk, the real worker script.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type * as vscode from 'vscode';
import { openStore } from '../../../../src/core/store';
import { moveLegacyHistory } from '../../../../src/extension/folders/legacyStore';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tidemark-legacy-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const workerScript = path.resolve(__dirname, '../../../../../dist/storeWorker.js');
const lines: string[] = [];
const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } as unknown as vscode.LogOutputChannel;

test('old runs move into the folder store once; the old files are kept as *.moved', async () => {
  const legacy = path.join(dir, 'abc-workspace.db');
  const old = await openStore(legacy);
  for (const [i, event] of (['save', 'manual'] as const).entries()) {
    await old.recordBuild({
      build: { commitSha: String(i + 1).repeat(40), branch: 'main', runId: `r${i}`, event, timestamp: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(), dirty: event === 'save' },
      definitions: [{ id: 'size', type: 'numeric', unit: 'bytes' }],
      results: [{ metric: 'size', status: 'ok', value: 100 + i, durationMs: 5 }],
    });
  }
  await old.close();
  mkdirSync(path.join(dir, 'folder', '.tidemark'), { recursive: true });
  const target = await openStore(path.join(dir, 'folder', '.tidemark', 'tidemark.db'));
  try {
    const folder = { legacyStorePath: legacy, folder: { name: 'workspace' } as vscode.WorkspaceFolder };
    assert.equal(await moveLegacyHistory(folder, target, workerScript, log), 2);
    const runs = await target.builds({ limit: 10 });
    assert.deepEqual(runs.map((r) => [r.build.event, r.build.dirty]).sort(), [['manual', false], ['save', true]]);
    assert.equal((await target.series({ metric: 'size' })).map((p) => p.value).join(), '100,101');
    assert.equal(existsSync(legacy), false);
    assert.equal(existsSync(`${legacy}.moved`) || existsSync(`${legacy}.journal.moved`), true, 'the old files are kept');
    assert.equal(await moveLegacyHistory(folder, target, workerScript, log), 0, 'nothing left to move');
    assert.equal((await target.builds({ limit: 10 })).length, 2);
  } finally {
    await target.close();
  }
});
