/**
 * Runs recorded by another process in the folder's store (`tidemark collect` in the integrated
 * terminal, a git hook, a task, `tidemark pull`) reach the views without a reload: a watcher on
 * `.tidemark/tidemark.db*` (journal appends, snapshots) asks the store what changed — the store
 * itself replays the other process's journal records before answering — and fires the same
 * events as a run recorded here. Our own writes trigger it too; they compare equal and are dropped.
 */
import * as vscode from 'vscode';
import { FOLDER_STORE } from '../../core/store/location';
import { Disposable } from '../common/disposable';
import type { FolderModelImpl } from '../folders/folderModel';
import type { FolderRegistry } from '../folders/folderRegistry';

/** Debounce of a burst of file events (a collect appends once, a snapshot renames twice). */
const SETTLE_MS = 120;

export class StoreWatcher extends Disposable {
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Per folder: what the store held when last looked at (runs per branch and their last time). */
  private readonly known = new Map<string, string>();
  /** Per folder: the run id of the last run recorded by this window (its file events are ours). */
  private readonly recordedHere = new Map<string, string>();

  constructor(private readonly registry: FolderRegistry) {
    super();
    this.register(registry.onDidChangeFolders(() => this.update()));
    // A run recorded here: remember the new state at once (not debounced), so the file events of
    // its own write — before or after this event — compare equal and stay quiet. Debouncing it
    // with them would let a later file event turn it into a second refresh of every view.
    this.register(
      registry.onDidRecordBuild((e) => {
        const model = this.registry.folderByUri(e.folder.uri.toString());
        this.recordedHere.set(e.folder.uri.toString(), e.build.runId);
        if (model) void this.check(model, false).catch((error) => this.registry.log.warn(`${model.folder.name}: reading the store after a run failed: ${String(error)}`));
      }),
    );
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()));
    this.update();
  }

  private update(): void {
    const wanted = new Set(vscode.workspace.isTrusted ? this.registry.folders().map((m) => m.folder.uri.toString()) : []);
    for (const [key, watcher] of this.watchers) {
      if (!wanted.has(key)) {
        watcher.dispose();
        this.watchers.delete(key);
        this.known.delete(key);
      }
    }
    for (const model of this.registry.folders()) {
      const key = model.folder.uri.toString();
      if (!wanted.has(key) || this.watchers.has(key)) continue;
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(model.folder, `${FOLDER_STORE}*`));
      const changed = () => this.schedule(key, true);
      this.watchers.set(key, vscode.Disposable.from(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed)));
    }
  }

  private schedule(key: string, notify: boolean): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        const model = this.registry.folderByUri(key);
        if (model) void this.check(model, notify).catch((error) => this.registry.log.warn(`${model.folder.name}: reading runs recorded elsewhere failed: ${String(error)}`));
      }, SETTLE_MS),
    );
  }

  /** Compares the store with what it held last time; a difference made elsewhere refreshes the views. */
  private async check(model: FolderModelImpl, notify: boolean): Promise<void> {
    if (!vscode.workspace.isTrusted || !model.storeOpened) return;
    const key = model.folder.uri.toString();
    const store = await model.store();
    const state = JSON.stringify(await store.branches());
    const before = this.known.get(key);
    this.known.set(key, state);
    if (!notify || before === state) return;
    const [newest] = await store.builds({ limit: 1 });
    // The newest run is the one this window just recorded (its event already refreshed the views).
    if (newest && newest.build.runId === this.recordedHere.get(key)) return;
    this.registry.log.info(`${model.folder.name}: the history changed outside the editor${newest ? ` (latest run #${newest.build.runNumber}, ${newest.build.event})` : ''}`);
    if (newest) this.registry.notifyRecorded(model, newest.build);
    else this.registry.notifyChanged();
  }

  override dispose(): void {
    for (const w of this.watchers.values()) w.dispose();
    for (const t of this.timers.values()) clearTimeout(t);
    this.watchers.clear();
    super.dispose();
  }
}
