/**
 * One state per folder: its git context, HEAD's latest values, the evaluation of its rules (the
 * baselines and judgements the views show) and whether it is running. The tree, the status bar
 * and the Problems entries render from it; none of them reads the store or runs git itself.
 *
 * A folder's state is read once per change and shared: a recorded run, a config or settings
 * change, trust, or a moved HEAD (the `.git` watcher) invalidates it; the next view that asks
 * reads it again. Every cause of change ends in one debounced `onDidChange`, so a run (running
 * on, recorded, running off) repaints the views once or twice, never once per event per view.
 */
import * as vscode from 'vscode';
import { EvaluationError, evaluate } from '../../core/analysis';
import type { BuildWithValues, LatestMetric } from '../../core/store/api';
import { NO_GIT_SHA, type GitContext } from '../../core/types';
import { folderAnalysis, headLatest, NO_ANALYSIS, type FolderAnalysis, type FolderEvaluation } from '../analysis/folderAnalysis';
import { Disposable } from '../common/disposable';
import type { FolderModelImpl } from '../folders/folderModel';
import type { FolderRegistry } from '../folders/folderRegistry';
import type { Runner } from '../run/runner';

/** How long the state waits for quiet before telling the views (a run fires three causes in a row). */
export const STATE_DEBOUNCE_MS = 75;

/** How many recent runs the tree's run rows are taken from (failures included). */
export const RECENT_RUNS_READ = 100;

export interface FolderState {
  /** HEAD, branch, dirty; undefined in Restricted Mode or when git failed. */
  git: GitContext | undefined;
  /** HEAD's commit, or null outside git / in Restricted Mode. */
  headSha: string | null;
  isGitRepo: boolean;
  /** Each metric's latest values, HEAD's own where HEAD has a run. */
  latest: ReadonlyMap<string, LatestMetric>;
  /** Baselines and judgements per metric. */
  analysis: FolderAnalysis;
  /** The evaluation of HEAD, or why there is none. */
  evaluation: FolderEvaluation;
  /** The store could not be read (shown in the tree, logged). */
  error?: string;
}

interface Entry {
  state: Promise<FolderState>;
  runs?: Promise<readonly BuildWithValues[]>;
}

export class FolderStates extends Disposable {
  private readonly entries = new Map<FolderModelImpl, Entry>();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires once after a burst of changes (debounced): views re-render from `get()`. */
  readonly onDidChange = this.changed.event;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: FolderRegistry,
    private readonly runner: Runner,
  ) {
    super();
    this.register(registry.onDidRecordBuild((e) => this.invalidate(registry.folderByUri(e.folder.uri.toString()))));
    this.register(registry.onDidChangeFolders(() => this.invalidate(undefined)));
    // Running state is not read from anywhere: the views only need to be told.
    this.register(runner.onDidChangeRunning(() => this.schedule()));
    // A checkout or a commit moves HEAD: the head and its merge-base (so the baseline) change.
    const heads = this.register(vscode.workspace.createFileSystemWatcher('**/.git/{HEAD,refs/heads/**}'));
    const moved = (uri: vscode.Uri) => this.invalidate(registry.folderFor(uri));
    this.register(heads.onDidChange(moved));
    this.register(heads.onDidCreate(moved));
    this.register(heads.onDidDelete(moved));
    this.register({ dispose: () => clearTimeout(this.timer) });
  }

  /** The folder's state: read once per change, shared by every view. */
  get(model: FolderModelImpl): Promise<FolderState> {
    return this.entry(model).state;
  }

  /** The folder's recent runs (for the tree's run rows), read once per change when first asked. */
  recentRuns(model: FolderModelImpl): Promise<readonly BuildWithValues[]> {
    const entry = this.entry(model);
    entry.runs ??= this.readRuns(model);
    return entry.runs;
  }

  isRunning(model: FolderModelImpl): boolean {
    return this.runner.isRunningIn(model);
  }

  /** Forgets one folder's state (all of them for undefined) and tells the views, debounced. */
  invalidate(model: FolderModelImpl | undefined): void {
    if (model) this.entries.delete(model);
    else this.entries.clear();
    this.schedule();
  }

  private schedule(): void {
    if (this.isDisposed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(), STATE_DEBOUNCE_MS);
  }

  private entry(model: FolderModelImpl): Entry {
    let entry = this.entries.get(model);
    if (!entry) {
      entry = { state: this.read(model) };
      this.entries.set(model, entry);
    }
    return entry;
  }

  private async readRuns(model: FolderModelImpl): Promise<readonly BuildWithValues[]> {
    const store = await model.historyStore();
    if (!store) return [];
    model.reads.runs++;
    return store.builds({ limit: RECENT_RUNS_READ });
  }

  private async read(model: FolderModelImpl): Promise<FolderState> {
    const [isGitRepo, git] = await Promise.all([model.isGitRepo(), this.readGit(model)]);
    const headSha = git && git.commitSha !== NO_GIT_SHA ? git.commitSha : null;
    const empty: FolderState = { git, headSha, isGitRepo, latest: new Map(), analysis: NO_ANALYSIS, evaluation: { reason: 'no history yet' } };
    if (!model.config) return { ...empty, evaluation: { reason: 'tidemark.json has problems' } };
    try {
      const store = await model.historyStore();
      if (!store) return empty;
      model.reads.state++;
      const [latest, evaluation] = await Promise.all([headLatest(store, headSha), this.evaluate(model)]);
      const analysis = await folderAnalysis(evaluation, model, store);
      return { git, headSha, isGitRepo, latest: new Map(latest.map((l) => [l.metric, l])), analysis, evaluation };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.registry.log.error(`${model.folder.name}: cannot read history: ${message}`);
      // Not remembered: the next view that asks tries again.
      this.entries.delete(model);
      return { ...empty, error: message };
    }
  }

  private async readGit(model: FolderModelImpl): Promise<GitContext | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    model.reads.git++;
    return model.git().catch(() => undefined);
  }

  private async evaluate(model: FolderModelImpl): Promise<FolderEvaluation> {
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
      if (error instanceof EvaluationError) this.registry.log.info(`${model.folder.name}: no judgements: ${reason}`);
      else this.registry.log.error(`${model.folder.name}: evaluation failed: ${error instanceof Error ? (error.stack ?? reason) : reason}`);
      return { reason };
    }
  }
}
