/**
 * One workspace folder as Tidemark sees it: its tidemark.json (parsed), its store (the folder's
 * `.tidemark/tidemark.db`, shared with the CLI, opened lazily in a worker thread) and its git state.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { defaultBranch, gitContext, isGitRepo } from '../../core/git';
import { CONFIG_FILE_NAME, parseConfig } from '../../core/config';
import type { StoreApi } from '../../core/store/api';
import { folderStorePath, prepareStoreDir, storeFileName } from '../../core/store/location';
import { NO_GIT_BRANCH, type ConfigProblem, type GitContext, type TidemarkConfig } from '../../core/types';
import { countOf } from '../common/plural';
import type { FolderModel, StateReads } from './services';
import { moveLegacyHistory } from './legacyStore';
import { noteDefinitions, type DefinitionDates } from './definitionDates';

export interface StoreLocation {
  /** context.storageUri.fsPath: where older versions kept history (moved into the folder on first open). */
  storageDir: string | undefined;
  workerScript: string;
  /** context.workspaceState: remembers each metric's definition across window reloads (see definitionDates.ts). */
  workspaceState?: Pick<vscode.Memento, 'get' | 'update'>;
}


export class FolderModelImpl implements FolderModel {
  config: TidemarkConfig | undefined;
  problems: readonly ConfigProblem[] = [];
  /** Counted by FolderStates (src/extension/state). */
  readonly reads: StateReads = { git: 0, state: 0, runs: 0 };
  /** tidemark.json exists at the folder's root (valid or not). */
  hasConfigFile = false;
  /** Per metric: its definition's fingerprint and when it last changed, for "outdated" results. */
  private definitionDates: DefinitionDates | undefined;
  private storePromise: Promise<StoreApi> | undefined;
  private referenceBranchPromise: Promise<string> | undefined;
  private gitRepoPromise: Promise<boolean> | undefined;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly location: StoreLocation,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get cwd(): string {
    return this.folder.uri.fsPath;
  }

  get configPath(): string {
    return path.join(this.cwd, CONFIG_FILE_NAME);
  }

  get configUri(): vscode.Uri {
    return vscode.Uri.joinPath(this.folder.uri, CONFIG_FILE_NAME);
  }

  /** The folder's history, the same file `tidemark collect` writes. */
  get storePath(): string {
    return folderStorePath(this.cwd);
  }

  /** Where versions before 0.x kept this folder's history (the extension's workspace storage). */
  get legacyStorePath(): string | undefined {
    return this.location.storageDir && path.join(this.location.storageDir, storeFileName(this.folder.uri.toString(), this.folder.name));
  }

  /** The store has been opened (views re-read it; watchers compare what changed). */
  get storeOpened(): boolean {
    return this.storePromise !== undefined;
  }

  /** Re-reads tidemark.json from disk; a missing file leaves the folder unconfigured. */
  async reloadConfig(): Promise<void> {
    let text: string;
    let modified: string;
    try {
      const [content, stat] = await Promise.all([fs.readFile(this.configPath, 'utf8'), fs.stat(this.configPath)]);
      text = content;
      modified = stat.mtime.toISOString();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`${this.folder.name}: cannot read ${CONFIG_FILE_NAME}: ${String(error)}`);
      this.hasConfigFile = false;
      this.config = undefined;
      this.problems = [];
      this.referenceBranchPromise = undefined;
      return;
    }
    this.hasConfigFile = true;
    const result = parseConfig(text, { availableCores: os.availableParallelism() });
    if (result.ok) {
      this.noteChangedMetrics(result.config, modified);
      this.config = result.config;
      this.problems = [];
      this.log.info(`${this.folder.name}: loaded ${CONFIG_FILE_NAME} (${Object.keys(result.config.metrics).length} metrics)`);
    } else {
      this.config = undefined;
      this.problems = result.problems;
      this.log.warn(`${this.folder.name}: ${CONFIG_FILE_NAME} has ${countOf(result.problems.length, 'problem', 'problems')}; nothing runs until they are fixed`);
    }
    this.referenceBranchPromise = undefined;
  }

  /**
   * When `metric`'s definition last changed, or null if unknown. A metric whose definition an
   * edit left alone keeps its date, so fixing a typo elsewhere does not make every value stale.
   */
  configChangedAt(metric: string): string | null {
    return this.definitionDates?.[metric]?.changedAt ?? null;
  }

  private get definitionsKey(): string {
    return `tidemark.definitions:${this.folder.uri.toString()}`;
  }

  /**
   * Dates only the metrics whose definition changed. Remembered in workspaceState, so after a
   * window reload the file's date does not stand for every metric (which read all as outdated).
   */
  private noteChangedMetrics(config: TidemarkConfig, modified: string): void {
    const memory = this.definitionDates ?? this.location.workspaceState?.get<DefinitionDates>(this.definitionsKey);
    this.definitionDates = noteDefinitions(config.metrics, memory, modified);
    void Promise.resolve(this.location.workspaceState?.update(this.definitionsKey, this.definitionDates)).catch((e: unknown) =>
      this.log.warn(`${this.folder.name}: cannot remember the metrics' definitions: ${String(e)}`),
    );
  }

  store(): Promise<StoreApi> {
    if (!this.storePromise) {
      this.storePromise = this.openStore();
      // A failed open is retried next time rather than cached forever.
      this.storePromise.catch(() => (this.storePromise = undefined));
    }
    return this.storePromise;
  }

  private async openStore(): Promise<StoreApi> {
    if (!vscode.workspace.isTrusted) throw new Error(vscode.l10n.t('{0}: the history in .tidemark/ is opened only in a trusted workspace', this.folder.name));
    const file = this.storePath;
    prepareStoreDir(path.dirname(file));
    const started = performance.now();
    // The worker client only: sql.js and the store engine live in dist/storeWorker.js.
    const { openStoreInWorker } = await import('../../core/store/workerClient');
    const store = await openStoreInWorker(file, { workerScript: this.location.workerScript });
    this.log.info(`${this.folder.name}: opened store ${file} in ${Math.round(performance.now() - started)} ms`);
    await moveLegacyHistory(this, store, this.location.workerScript, this.log).catch((error) => this.log.error(`${this.folder.name}: moving the old history failed (it is kept where it was): ${String(error)}`));
    return store;
  }

  /**
   * The store for reading history. In Restricted Mode there is none (undefined: no history): the
   * file is in the workspace, written by whoever made it, and opening it may migrate it.
   */
  async historyStore(): Promise<StoreApi | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    return this.store();
  }

  /**
   * HEAD, branch and dirty state; undefined in Restricted Mode, where Tidemark runs no git
   * (a repository's config can make git run programs, e.g. core.fsmonitor).
   */
  async git(): Promise<GitContext | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    return gitContext(this.cwd);
  }

  async currentBranch(): Promise<string> {
    return (await this.git())?.branch ?? NO_GIT_BRANCH;
  }

  isGitRepo(): Promise<boolean> {
    this.gitRepoPromise ??= vscode.workspace.isTrusted
      ? isGitRepo(this.cwd).catch(() => false)
      : fs.stat(path.join(this.cwd, '.git')).then(() => true, () => false);
    return this.gitRepoPromise;
  }

  referenceBranch(): Promise<string> {
    this.referenceBranchPromise ??= this.detectReferenceBranch();
    return this.referenceBranchPromise;
  }

  /** Trust was granted: what was guessed without running git is asked of git now. */
  forgetGitState(): void {
    this.gitRepoPromise = undefined;
    this.referenceBranchPromise = undefined;
  }

  private async detectReferenceBranch(): Promise<string> {
    const configured = this.config?.baseline.referenceBranch;
    if (configured) return configured;
    if (!vscode.workspace.isTrusted) return 'main';
    try {
      return (await defaultBranch(this.cwd)) ?? 'main';
    } catch {
      return 'main';
    }
  }

  async close(): Promise<void> {
    const store = this.storePromise;
    this.storePromise = undefined;
    if (store) await (await store.catch(() => undefined))?.close();
  }
}
