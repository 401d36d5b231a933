// Background maintenance in a real extension host: old on-save runs recorded into the sample
// folder's real store are deleted by retention once the folder is idle, and the log says so.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { StoreApi } from '../../src/core/store/api';
import type { MaintenanceReport } from '../../src/extension/maintenance/maintenance';
import type { FolderModel, TidemarkServices } from '../../src/extension/folders/services';
import { waitFor } from '../e2e/harness/waitFor';

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe('Background storage maintenance in the extension host', function () {
  this.timeout(60_000);
  let model: FolderModel;
  let store: StoreApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<TidemarkServices>('tidemark.tidemark');
    assert.ok(ext, 'the extension is loaded');
    const services = await ext.activate();
    model = await waitFor(() => services.folders().find((f) => f.config), { what: 'the sample folder with a valid config' });
    store = await model.store();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('tidemark').update('maintenance.idleMinutes', undefined, vscode.ConfigurationTarget.Global);
  });

  it('deletes old on-save runs once idle, keeps the protected ones intact, compacts and logs it', async () => {
    const branch = `maintenance-${randomUUID().slice(0, 8)}`;
    const commitA = randomUUID().replace(/-/g, '').padEnd(40, 'a').slice(0, 40);
    const commitB = randomUUID().replace(/-/g, '').padEnd(40, 'b').slice(0, 40);
    const record = async (commitSha: string, event: 'save' | 'manual', timestamp: string, value: number) =>
      (
        await store.recordBuild({
          build: { commitSha, branch, runId: randomUUID(), event, timestamp, dirty: event === 'save' },
          definitions: [{ id: 'maintenance-probe', type: 'numeric', unit: 'integer' }],
          results: [{ metric: 'maintenance-probe', status: 'ok', value, durationMs: 1 }],
        })
      ).build;
    // Commit A: three saves past rawDays (30) and a recent one, which is the commit's last run.
    const oldSaves = [await record(commitA, 'save', daysAgo(60), 1), await record(commitA, 'save', daysAgo(50), 2), await record(commitA, 'save', daysAgo(40), 3)];
    const kept = [
      await record(commitA, 'save', daysAgo(1), 4),
      // The last (only) run of commit B: kept forever with commitRuns "all", however old.
      await record(commitB, 'save', daysAgo(45), 5),
      // Not a save: only rawDays applies to saves.
      await record(commitB, 'manual', daysAgo(90), 6),
    ];
    const runsBefore = (await store.stats()).builds;

    await vscode.workspace.getConfiguration('tidemark').update('maintenance.idleMinutes', 0.01, vscode.ConfigurationTarget.Global);
    const folderUri = model.folder.uri.toString();
    const last = () => vscode.commands.executeCommand<{ report?: MaintenanceReport; logFile?: string }>('tidemark.internal.lastMaintenance', folderUri);
    const report = await waitFor(async () => (await last()).report, { what: 'maintenance to finish in the sample folder', timeoutMs: 30_000 });

    assert.equal(report.deletedRuns, 3);
    assert.equal(report.deletedValues, 3);
    assert.equal(report.compacted, true);
    assert.equal((await store.stats()).builds, runsBefore - 3);
    const remaining = await store.builds({ branch, limit: 100 });
    assert.deepEqual(remaining.map((b) => b.build.id).sort(), kept.map((b) => b.id).sort());
    for (const { build, outcomes } of remaining) {
      const recorded = kept.find((k) => k.id === build.id);
      assert.deepEqual(build, recorded);
      assert.deepEqual(outcomes.map((o) => [o.metric, o.status, o.value]), [['maintenance-probe', 'ok', [4, 5, 6][kept.indexOf(recorded!)]]]);
    }
    for (const gone of oldSaves) assert.equal((await store.builds({ commitSha: gone.commitSha, limit: 100 })).some((b) => b.build.id === gone.id), false);
    // The rollups still hold what the deleted runs measured.
    const days = await store.rollupSeries({ metric: 'maintenance-probe', grain: 'day', branch });
    assert.equal(days.reduce((n, p) => n + p.count, 0), 6);

    const { logFile } = await last();
    assert.ok(logFile, 'the log file of the Tidemark output channel');
    const line = await waitFor(
      () => readFileSync(logFile, 'utf8').split('\n').find((l) => l.includes(`${model.folder.name}: maintenance deleted 3 runs and 3 values`)),
      { what: `the maintenance line in ${logFile}`, timeoutMs: 10_000 },
    );
    assert.match(line, /retention rawDays 30, commitRuns all/);
    assert.match(line, /store \d+(\.\d)? (B|KiB|MiB) -> \d+(\.\d)? (B|KiB|MiB)/);
  });
});
