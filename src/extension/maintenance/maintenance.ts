/**
 * Background storage maintenance: when a folder has been idle for `tidemark.maintenance.idleMinutes`
 * (and at most once a day), re-bucket the rollups if the config's time zone changed, apply the
 * retention policy slice by slice in the store's worker (each slice is one short call, so the
 * host never waits on it), compact the file if runs went, and log what was removed. A run
 * starting, or the extension going away, stops the pass between two slices; the store resumes
 * it where it stopped next time. Never in Restricted Mode: maintenance writes to the store.
 */
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { StoreApi, StoreStats } from '../../core/store/api';
import { DEFAULT_RETENTION } from '../../core/store/retention';
import { Disposable } from '../common/disposable';
import type { FolderModelImpl } from '../folders/folderModel';
import type { FolderRegistry } from '../folders/folderRegistry';
import { maintenanceDueAt, retentionPass, timeZoneAction } from './maintenanceSchedule';
import { countOf } from '../common/plural';
import type { Runner } from '../run/runner';
import { INTERNAL_COMMANDS } from '../commands/ids';

/** What one completed maintenance did in a folder (also returned to tests by the internal command). */
export interface MaintenanceReport {
  folder: string;
  finishedAt: string;
  deletedRuns: number;
  deletedValues: number;
  bytesBefore: number;
  bytesAfter: number;
  compacted: boolean;
  timeZone: { from: string; to: string; outcome: 'rebuilt' | 'refused' | 'failed'; message?: string } | undefined;
}

const LAST_RUN_KEY = 'tidemark.maintenance.lastRun';
/** setTimeout's largest delay (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface PassState {
  controller: AbortController;
  done: Promise<void>;
}

/** A pass stopped by a run: what it had removed so far, so the final report counts it. */
interface Carried {
  before: StoreStats;
  deleted: number;
}

export class Maintenance extends Disposable {
  private readonly lastActivity = new Map<FolderModelImpl, number>();
  private readonly timers = new Map<FolderModelImpl, NodeJS.Timeout>();
  private readonly passes = new Map<FolderModelImpl, PassState>();
  private readonly carried = new Map<FolderModelImpl, Carried>();
  private readonly reports = new Map<string, MaintenanceReport>();
  /** Time zones already tried per folder this session: a refused or failed rebuild is not retried. */
  private readonly zonesTried = new Map<FolderModelImpl, string>();

  constructor(
    private readonly registry: FolderRegistry,
    private readonly runner: Runner,
    private readonly workspaceState: vscode.Memento,
    logFile: vscode.Uri | undefined,
  ) {
    super();
    const log = registry.log;
    this.register(runner.onDidChangeRunning(() => this.runningChanged()));
    this.register(registry.onDidRecordBuild((e) => this.touchFolder(e.folder.uri)));
    // Config edits, folder and settings changes: everything waits for a fresh idle period.
    this.register(registry.onDidChangeFolders(() => this.touchAll()));
    // A save may schedule a run on save (debounced): the folder is not idle.
    this.register(vscode.workspace.onDidSaveTextDocument((doc) => this.touchFolder(doc.uri)));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.touchAll()));
    this.register(
      vscode.commands.registerCommand(INTERNAL_COMMANDS.lastMaintenance, (folderUri: string) => ({
        report: this.reports.get(folderUri),
        logFile: logFile && vscode.Uri.joinPath(logFile, `${log.name}.log`).fsPath,
      })),
    );
    this.touchAll();
  }

  private touchFolder(uri: vscode.Uri): void {
    const model = this.registry.folderFor(uri);
    if (model) this.touch(model);
  }

  private touchAll(): void {
    for (const model of this.registry.folders()) this.touch(model);
  }

  private touch(model: FolderModelImpl): void {
    this.lastActivity.set(model, Date.now());
    this.schedule(model);
  }

  private runningChanged(): void {
    for (const model of this.registry.folders()) {
      if (this.runner.isRunningIn(model)) this.passes.get(model)?.controller.abort();
      this.touch(model);
    }
  }

  private lastRuns(): Record<string, number> {
    return this.workspaceState.get<Record<string, number>>(LAST_RUN_KEY, {});
  }

  private schedule(model: FolderModelImpl): void {
    clearTimeout(this.timers.get(model));
    this.timers.delete(model);
    if (this.isDisposed || !vscode.workspace.isTrusted || !model.config || this.passes.has(model)) return;
    const due = maintenanceDueAt(
      {
        lastActivity: this.lastActivity.get(model) ?? Date.now(),
        running: this.runner.isRunningIn(model),
        lastMaintenance: this.lastRuns()[model.folder.uri.toString()],
      },
      maintenanceIdleMs(model.folder),
    );
    if (due === undefined) return;
    const timer = setTimeout(() => {
      this.timers.delete(model);
      if (due > Date.now()) this.schedule(model); // a long wait is cut into timer-sized pieces
      else this.start(model);
    }, Math.min(Math.max(0, due - Date.now()), MAX_TIMER_MS));
    timer.unref?.();
    this.timers.set(model, timer);
  }

  private start(model: FolderModelImpl): void {
    if (this.isDisposed || !vscode.workspace.isTrusted || !model.config || this.runner.isRunningIn(model)) return;
    const controller = new AbortController();
    const done = this.maintain(model, controller.signal)
      .catch((error) => this.registry.log.error(`${model.folder.name}: maintenance failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.passes.delete(model);
        this.schedule(model);
      });
    this.passes.set(model, { controller, done });
  }

  private async maintain(model: FolderModelImpl, signal: AbortSignal): Promise<void> {
    const config = model.config;
    const file = model.storePath;
    // No history yet: nothing to maintain, and no store is created for it.
    if (!config || !file || !(await someExists([file, `${file}.journal`]))) return this.remember(model);
    const log = this.registry.log;
    const name = model.folder.name;
    const store = await model.store();
    const before = this.carried.get(model)?.before ?? (await store.stats());
    const timeZone = await this.alignTimeZone(model, store, before, config.timezone);
    if (signal.aborted) return;

    const policy = config.retention ?? DEFAULT_RETENTION;
    const pass = await retentionPass(store, policy, {
      shouldStop: () => signal.aborted,
      yieldToHost: () => new Promise((resolve) => setImmediate(resolve)),
    });
    const deletedRuns = (this.carried.get(model)?.deleted ?? 0) + pass.deleted;
    if (!pass.done) {
      this.carried.set(model, { before, deleted: deletedRuns });
      log.info(`${name}: maintenance paused after ${countOf(deletedRuns, 'deleted run', 'deleted runs')}; it resumes when the folder is idle again`);
      return;
    }
    this.carried.delete(model);
    if (deletedRuns > 0) await store.compact({ vacuum: true });
    const after = await store.stats();
    const report: MaintenanceReport = {
      folder: model.folder.uri.toString(),
      finishedAt: new Date(Date.now()).toISOString(),
      deletedRuns,
      deletedValues: Math.max(0, before.values - after.values),
      bytesBefore: before.fileBytes + before.journalBytes,
      bytesAfter: after.fileBytes + after.journalBytes,
      compacted: deletedRuns > 0,
      timeZone,
    };
    this.reports.set(report.folder, report);
    const kept = `rawDays ${policy.rawDays}, commitRuns ${policy.commitRuns}`;
    log.info(
      deletedRuns > 0
        ? `${name}: maintenance deleted ${countOf(deletedRuns, 'run', 'runs')} and ${countOf(report.deletedValues, 'value', 'values')} (retention ${kept}); ` +
            `store ${formatBytes(report.bytesBefore)} -> ${formatBytes(report.bytesAfter)}, ${countOf(after.builds, 'run', 'runs')} kept; the rollups keep the deleted values`
        : `${name}: maintenance found nothing to delete (retention ${kept}); store ${formatBytes(report.bytesAfter)}, ${countOf(after.builds, 'run', 'runs')}`,
    );
    await this.remember(model);
  }

  /** Re-buckets the rollups when tidemark.json's `timezone` differs from the store's, once per zone per session. */
  private async alignTimeZone(model: FolderModelImpl, store: StoreApi, stats: StoreStats, configZone: string | undefined): Promise<MaintenanceReport['timeZone']> {
    if (!stats.rollups) return undefined;
    const action = timeZoneAction(configZone, stats.rollups.timeZone, stats.rollups.prunedUntil);
    if (action.kind === 'none' || this.zonesTried.get(model) === action.to) return undefined;
    this.zonesTried.set(model, action.to);
    const log = this.registry.log;
    const name = model.folder.name;
    if (action.kind === 'refused') {
      log.warn(`${name}: tidemark.json asks for time zone ${action.to} but the rollups cannot be re-bucketed from ${action.from}: ${action.reason}.`);
      return { from: action.from, to: action.to, outcome: 'refused', message: action.reason };
    }
    try {
      const started = performance.now();
      const rebuilt = await store.rebuildRollups({ timeZone: action.to });
      log.info(`${name}: rollups re-bucketed from ${action.from} to ${rebuilt.timeZone} in ${Math.round(performance.now() - started)} ms`);
      return { from: action.from, to: action.to, outcome: 'rebuilt' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.warn(`${name}: rollups stay in ${action.from}: ${message}`);
      return { from: action.from, to: action.to, outcome: 'failed', message };
    }
  }

  private async remember(model: FolderModelImpl): Promise<void> {
    await this.workspaceState.update(LAST_RUN_KEY, { ...this.lastRuns(), [model.folder.uri.toString()]: Date.now() });
  }

  /** Stops every pass between two slices and waits for it, so the stores can close after. */
  async stop(): Promise<void> {
    const passes = [...this.passes.values()];
    this.dispose();
    for (const pass of passes) pass.controller.abort();
    await Promise.all(passes.map((p) => p.done));
  }

  override dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const pass of this.passes.values()) pass.controller.abort();
    super.dispose();
  }
}

/** A new store lives in its journal until the first snapshot writes the .db file. */
async function someExists(files: string[]): Promise<boolean> {
  const found = await Promise.all(files.map((f) => fs.stat(f).then(() => true, () => false)));
  return found.includes(true);
}

/** `tidemark.maintenance.idleMinutes` of a folder in ms; 0 (or less) turns maintenance off. */
function maintenanceIdleMs(folder: vscode.WorkspaceFolder): number {
  const minutes = vscode.workspace.getConfiguration('tidemark', folder).get<number>('maintenance.idleMinutes', 10);
  return Number.isFinite(minutes) ? minutes * 60_000 : 0;
}

function formatBytes(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;
}
