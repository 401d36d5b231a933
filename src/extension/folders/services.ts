/**
 * What the extension's views (tree, status bar, report panel) need from the per-folder model.
 * Implemented by the activation code (one `FolderModel` per workspace folder that has a
 * tidemark.json); consumed by the views. Views never run commands or open stores themselves.
 */
import type * as vscode from 'vscode';
import type { StoreApi } from '../../core/store/api';
import type { BuildRecord, ConfigProblem, TidemarkConfig } from '../../core/types';

export interface FolderModel {
  readonly folder: vscode.WorkspaceFolder;
  /** Parsed config, or undefined while missing/invalid (see `problems`). */
  readonly config: TidemarkConfig | undefined;
  readonly problems: readonly ConfigProblem[];
  /** The folder's store (opened lazily, in a worker thread). */
  store(): Promise<StoreApi>;
  /**
   * The store for reading history: undefined in Restricted Mode while the folder has no store
   * yet, so that viewing an untrusted workspace creates no files. Views should prefer this.
   */
  historyStore(): Promise<StoreApi | undefined>;
  /** Current git branch of the folder, `(no git)` outside git. */
  currentBranch(): Promise<string>;
  /** The configured or detected reference branch (baseline). */
  referenceBranch(): Promise<string>;
  /** How often the views' shared state read this folder (tests count refreshes with it). */
  readonly reads: Readonly<StateReads>;
}

/** Reads of a folder made for the views: each cause of change should cost one of each at most. */
export interface StateReads {
  /** Git context reads (HEAD, branch, dirty: git processes). */
  git: number;
  /** Reads of HEAD's latest values and evaluation from the store. */
  state: number;
  /** Reads of the recent runs list (only while a metric is expanded in the tree). */
  runs: number;
}

export interface BuildRecordedEvent {
  folder: vscode.WorkspaceFolder;
  build: BuildRecord;
}

/** HEAD moved (a checkout, a commit, a merge, in the editor or outside it). */
export interface HeadMovedEvent {
  folder: vscode.WorkspaceFolder;
}

export interface TidemarkServices {
  folders(): readonly FolderModel[];
  folderFor(uri: vscode.Uri): FolderModel | undefined;
  /** Fires after a run is recorded (any trigger), after the store committed it. */
  readonly onDidRecordBuild: vscode.Event<BuildRecordedEvent>;
  /** Fires when folders, configs or settings change. */
  readonly onDidChangeFolders: vscode.Event<void>;
  /** Fires when a folder's state finds HEAD moved: its head, baseline and judgements may differ. */
  readonly onDidMoveHead: vscode.Event<HeadMovedEvent>;
  readonly log: vscode.LogOutputChannel;
}
