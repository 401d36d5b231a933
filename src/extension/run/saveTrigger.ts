/**
 * Run on save: a saved file schedules the metrics whose `onSave` globs match it, debounced per
 * folder. Saving tidemark.json reloads the config instead and never runs metrics.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import type { FolderModelImpl } from '../folders/folderModel';
import type { FolderRegistry } from '../folders/folderRegistry';
import type { Runner } from './runner';
import { metricsForSave } from './saveMatch';
import { folderSettings } from '../folders/settings';

interface Pending {
  metrics: Set<string>;
  timer: NodeJS.Timeout;
}

export class SaveTrigger extends Disposable {
  /** Why each document is being saved, learnt in onWillSave and used in onDidSave. */
  private readonly reasons = new Map<string, vscode.TextDocumentSaveReason>();
  private readonly pending = new Map<FolderModelImpl, Pending>();

  constructor(
    private readonly registry: FolderRegistry,
    private readonly runner: Runner,
  ) {
    super();
    this.register(vscode.workspace.onWillSaveTextDocument((e) => this.reasons.set(e.document.uri.toString(), e.reason)));
    this.register(vscode.workspace.onDidSaveTextDocument((doc) => this.saved(doc)));
    this.register(runner.onDidStop(() => this.cancelPending()));
  }

  private cancelPending(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }

  private saved(doc: vscode.TextDocument): void {
    const reason = this.reasons.get(doc.uri.toString());
    this.reasons.delete(doc.uri.toString());
    const configOwner = this.registry.isConfigFile(doc.uri);
    if (configOwner) {
      void this.registry.reload(configOwner);
      return;
    }
    const model = this.registry.folderFor(doc.uri);
    if (!model?.config || !vscode.workspace.isTrusted) return;
    const settings = folderSettings(model.folder);
    if (!settings.runOnSave) return;
    if (reason === vscode.TextDocumentSaveReason.AfterDelay && !settings.runOnAutoSave) return;

    const relative = path.relative(model.cwd, doc.uri.fsPath).split(path.sep).join('/');
    const metrics = metricsForSave(model.config, relative);
    if (metrics.length === 0) return;
    this.registry.log.debug(`${model.folder.name}: ${relative} saved, scheduling ${metrics.join(', ')}`);
    this.schedule(model, metrics, settings.saveDebounceMs);
  }

  private schedule(model: FolderModelImpl, metrics: string[], delayMs: number): void {
    const pending = this.pending.get(model);
    if (pending) clearTimeout(pending.timer);
    const all = new Set([...(pending?.metrics ?? []), ...metrics]);
    const timer = setTimeout(() => {
      this.pending.delete(model);
      // Quiet progress in the status bar only: runs on save never pop up anything.
      void vscode.window
        .withProgress({ location: vscode.ProgressLocation.Window, title: `Tidemark: ${[...all].join(', ')}` }, () =>
          this.runner.run(model, { metrics: [...all], trigger: 'save' }),
        )
        .then((outcome) => {
          if (outcome.kind === 'refused') this.registry.log.warn(`${model.folder.name}: run on save skipped: ${outcome.reason}`);
        });
    }, delayMs);
    this.pending.set(model, { metrics: all, timer });
  }

  override dispose(): void {
    this.cancelPending();
    super.dispose();
  }
}
