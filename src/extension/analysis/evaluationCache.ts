/**
 * The analysis engine's evaluation of each folder's HEAD, cached per folder. evaluate() runs git
 * and store queries, so it runs once per change (a recorded run, a config or settings change, a
 * moved HEAD) rather than on every view refresh, and never during activation: the first view
 * that asks starts it. Views listen to onDidChange and re-read.
 */
import * as vscode from 'vscode';
import { EvaluationError, evaluate, type Evaluation } from '../../core/analysis';
import { Disposable } from '../common/disposable';
import type { FolderModelImpl } from '../folders/folderModel';
import type { FolderRegistry } from '../folders/folderRegistry';

/** An evaluation, or why there is none (shown in tooltips as the reason deltas use a fallback). */
export type FolderEvaluation = { evaluation: Evaluation; reason?: undefined } | { evaluation?: undefined; reason: string };

export class EvaluationCache extends Disposable {
  private readonly entries = new Map<FolderModelImpl, Promise<FolderEvaluation>>();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires when an evaluation is out of date: views re-read (which recomputes it). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly registry: FolderRegistry) {
    super();
    this.register(registry.onDidRecordBuild((e) => this.invalidate(registry.folderByUri(e.folder.uri.toString()))));
    this.register(registry.onDidChangeFolders(() => this.invalidate(undefined)));
    // A checkout or a commit moves HEAD: the head and its merge-base (so the baseline) change.
    const heads = this.register(vscode.workspace.createFileSystemWatcher('**/.git/{HEAD,refs/heads/**}'));
    const moved = (uri: vscode.Uri) => this.invalidate(registry.folderFor(uri));
    this.register(heads.onDidChange(moved));
    this.register(heads.onDidCreate(moved));
    this.register(heads.onDidDelete(moved));
  }

  get(model: FolderModelImpl): Promise<FolderEvaluation> {
    let entry = this.entries.get(model);
    if (!entry) {
      entry = this.compute(model);
      this.entries.set(model, entry);
    }
    return entry;
  }

  /** Forgets one folder's evaluation (all of them for undefined) and tells the views. */
  invalidate(model: FolderModelImpl | undefined): void {
    if (model) this.entries.delete(model);
    else this.entries.clear();
    this.changed.fire();
  }

  private async compute(model: FolderModelImpl): Promise<FolderEvaluation> {
    // Restricted Mode runs no git (a repository's config can make git run programs).
    if (!vscode.workspace.isTrusted) return { reason: 'Restricted Mode runs no git, so no baseline can be chosen' };
    const config = model.config;
    if (!config) return { reason: 'tidemark.json has problems' };
    try {
      const store = await model.historyStore();
      if (!store) return { reason: 'no history yet' };
      const started = performance.now();
      const evaluation = await evaluate({ cwd: model.cwd, store, config });
      this.registry.log.info(
        `${model.folder.name}: evaluated ${evaluation.metrics.length} metrics against ${evaluation.baseline ? evaluation.baseline.explanation : 'no baseline'} ` +
          `(${evaluation.status}) in ${Math.round(performance.now() - started)} ms`,
      );
      return { evaluation };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // EvaluationError is expected (HEAD not measured yet, no commits); anything else is a bug.
      if (error instanceof EvaluationError) this.registry.log.info(`${model.folder.name}: no verdicts: ${reason}`);
      else this.registry.log.error(`${model.folder.name}: evaluation failed: ${error instanceof Error ? (error.stack ?? reason) : reason}`);
      return { reason };
    }
  }
}
