/**
 * One state per folder: its git context, HEAD's latest values, the evaluation of its rules (the
 * baselines and judgements the views show) and whether it is running. The tree, the status bar
 * and the Problems entries render from it; none of them reads the store or runs git itself.
 *
 * A folder's state is read once per change and shared: a recorded run, a config or settings
 * change, trust, or a moved HEAD (the `.git` watcher) marks it out of date. After a short quiet
 * period (a run fires three causes in a row) it is read again, once, and only then swapped in and
 * announced by one `onDidChange`: until then the views keep rendering the previous state, so
 * their refreshes never wait on git or the store (a tree row's inline action clicked during a
 * refresh would otherwise find no element and get no argument).
 */
import * as vscode from 'vscode';
import { EvaluationError, evaluate } from '../../core/analysis';
import type { BuildWithValues, LatestMetric } from '../../core/store/api';
import type { PartChange } from '../../core/store/parts';
import { NO_GIT_SHA, usableBranch, type GitContext } from '../../core/types';
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
  /** Per metric: the files that moved its value since the baseline, top three (built-in collectors record them). */
  parts: ReadonlyMap<string, readonly PartChange[]>;
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
  /** Folders whose state is out of date, read again at the next flush. */
  private readonly outdated = new Set<FolderModelImpl>();
  /** The newest read per folder, so an older one finishing late is not swapped in. */
  private readonly reading = new Map<FolderModelImpl, Entry>();
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

  /** Marks one folder's state (all of them for undefined) out of date: read again, then the views are told. */
  invalidate(model: FolderModelImpl | undefined): void {
    for (const m of model ? [model] : this.registry.allFolders()) this.outdated.add(m);
    // Folders gone from the workspace are forgotten.
    if (!model) for (const m of this.entries.keys()) if (!this.registry.allFolders().includes(m)) this.entries.delete(m);
    this.schedule();
  }

  private schedule(): void {
    if (this.isDisposed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), STATE_DEBOUNCE_MS);
  }

  /** Reads every out-of-date folder that a view has asked for, swaps the new states in, then fires once. */
  private async flush(): Promise<void> {
    const reads: Promise<unknown>[] = [];
    for (const model of this.outdated) {
      const old = this.entries.get(model);
      // Never asked for: the first view that asks reads it.
      if (!old) continue;
      const next: Entry = { state: this.read(model) };
      if (old.runs) next.runs = this.readRuns(model);
      this.reading.set(model, next);
      reads.push(
        Promise.all([next.state, next.runs, old.state.catch(() => undefined)]).then(
          ([state, , before]) => {
            if (this.reading.get(model) !== next) return;
            this.reading.delete(model);
            if (!this.entries.has(model)) return;
            this.entries.set(model, next);
            // The report reads its own baseline: it is told, and starts over, when HEAD moved.
            if (before && (before.headSha !== state.headSha || before.git?.branch !== state.git?.branch)) this.registry.notifyHeadMoved(model);
          },
          () => undefined,
        ),
      );
    }
    this.outdated.clear();
    await Promise.all(reads);
    if (!this.isDisposed) this.changed.fire();
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
    const head = git && headSha ? { sha: headSha, branch: usableBranch(git.branch) } : undefined;
    const empty: FolderState = { git, headSha, isGitRepo, latest: new Map(), analysis: NO_ANALYSIS, parts: new Map(), evaluation: { reason: 'no history yet' } };
    if (!model.config) return { ...empty, evaluation: { reason: 'tidemark.json has problems' } };
    try {
      const store = await model.historyStore();
      if (!store) return empty;
      model.reads.state++;
      const [latest, evaluation] = await Promise.all([headLatest(store, headSha), this.evaluate(model, head)]);
      const analysis = await folderAnalysis(evaluation, model, store);
      const parts = new Map<string, readonly PartChange[]>();
      await Promise.all(
        latest.map(async (l) => {
          const baseline = analysis.baselines.get(l.metric);
          if (!l.valueBuild || !baseline || l.valueBuild.id === baseline.build.id) return;
          const changes = await store.partChanges(l.metric, baseline.build.id, l.valueBuild.id, 3).catch(() => []);
          if (changes.length) parts.set(l.metric, changes);
        }),
      );
      return { git, headSha, isGitRepo, latest: new Map(latest.map((l) => [l.metric, l])), analysis, parts, evaluation };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.registry.log.error(`${model.folder.name}: cannot read history: ${message}`);
      // Read again at the next change (or the next time a view asks, if this was the first read).
      this.outdated.add(model);
      return { ...empty, error: message };
    }
  }

  private async readGit(model: FolderModelImpl): Promise<GitContext | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    model.reads.git++;
    return model.git().catch(() => undefined);
  }

  /** `head`: HEAD as this read's git context says, so evaluate() does not ask git again. */
  private async evaluate(model: FolderModelImpl, head?: { sha: string; branch: string | null }): Promise<FolderEvaluation> {
    // Restricted Mode runs no git (a repository's config can make git run programs).
    if (!vscode.workspace.isTrusted) return { reason: 'Restricted Mode runs no git, so no baseline can be chosen' };
    const config = model.config;
    if (!config) return { reason: 'tidemark.json has problems' };
    try {
      const store = await model.historyStore();
      if (!store) return { reason: 'no history yet' };
      const started = performance.now();
      const evaluation = await evaluate({ cwd: model.cwd, store, config, checkedOut: head });
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
