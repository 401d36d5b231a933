// One state per folder (issue 15): a recorded run reaches the tree, the status bar and the
// Problems entries through one shared, debounced folder state. Counted in a real extension host
// with every view open: one run costs at most one git context read and one store read per
// folder, and switching editors costs none.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FolderModel, StateReads, TidemarkServices } from '../../src/extension/folders/services';
import { waitFor } from '../e2e/harness/waitFor';
import { tidemarkCalls } from '../gitCalls';

/** The reads stay the same over `quietMs`: every view has rendered what the last change caused. */
async function settled(model: FolderModel, what: string, quietMs = 1500): Promise<StateReads> {
  let last = JSON.stringify(model.reads);
  let since = Date.now();
  return waitFor(
    () => {
      const now = JSON.stringify(model.reads);
      if (now !== last) {
        last = now;
        since = Date.now();
        return undefined;
      }
      return Date.now() - since >= quietMs ? { ...model.reads } : undefined;
    },
    { what, intervalMs: 100 },
  );
}

describe('One state per folder: how often a run makes the views read git and the store', function () {
  this.timeout(90_000);
  let services: TidemarkServices;
  let model: FolderModel;

  before(async () => {
    const ext = vscode.extensions.getExtension<TidemarkServices>('tidemark.tidemark');
    assert.ok(ext, 'the extension is loaded');
    services = await ext.activate();
    model = await waitFor(() => services.folders().find((f) => f.config), { what: 'the sample folder with a valid config' });
    // Every view open: the Metrics tree (its container), the status bar (always) and Problems.
    await vscode.commands.executeCommand('workbench.view.extension.tidemark');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.commands.executeCommand('workbench.view.extension.tidemark');
    await waitFor(() => model.reads.state > 0, { what: 'the views to read the folder state once' });
  });

  it('a recorded run costs at most one git context read, one store read and four git processes', async () => {
    const before = await settled(model, 'the views to settle before the run');
    const { TIDEMARK_INTEGRATION_GIT_SHIM: shim, TIDEMARK_INTEGRATION_GIT_LOG: gitLog } = process.env;
    assert.ok(shim && gitLog, 'the driver writes a git shim (runIntegration.ts)');
    const gitBefore = tidemarkCalls(gitLog).length;
    // The extension shares this process's environment: its git processes start through the shim.
    const savedPath = process.env.PATH;
    process.env.PATH = `${shim}${path.delimiter}${savedPath ?? ''}`;
    let after: StateReads;
    try {
      const store = await model.store();
      const runsBefore = (await store.stats()).builds;
      await vscode.commands.executeCommand('tidemark.runAll', { folder: model.folder.uri.toString() });
      assert.equal((await store.stats()).builds, runsBefore + 1, 'the run was recorded');
      await waitFor(() => model.reads.state > before.state, { what: 'the views to read the new run' });
      after = await settled(model, 'the views to settle after the run');
    } finally {
      process.env.PATH = savedPath;
    }
    assert.equal(after.state - before.state, 1, `store reads for one run (before ${JSON.stringify(before)}, after ${JSON.stringify(after)})`);
    assert.ok(after.git - before.git <= 1, `git context reads for one run: ${after.git - before.git}`);
    // The run's context, the views' context, the reference branch (not configured here) and the
    // walk back from HEAD on it; judging HEAD reuses the views' context.
    const calls = tidemarkCalls(gitLog).slice(gitBefore);
    assert.ok(calls.length >= 1 && calls.length <= 4, `git processes for one run (${calls.length}):\n${calls.join('\n')}`);
  });

  it('switching editors reads nothing again', async () => {
    const files = await vscode.workspace.findFiles('{tidemark.json,src/app.js}');
    assert.equal(files.length, 2);
    const before = await settled(model, 'the views to settle before switching editors');
    for (let i = 0; i < 4; i++) {
      await vscode.window.showTextDocument(files[i % 2], { preview: false });
    }
    const after = await settled(model, 'the views to settle after switching editors');
    assert.deepEqual(after, before);
  });
});
