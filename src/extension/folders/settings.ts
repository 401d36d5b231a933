/** The extension's settings (package.json `contributes.configuration`), read per folder. */
import * as vscode from 'vscode';

export interface FolderSettings {
  runOnSave: boolean;
  saveDebounceMs: number;
  runOnAutoSave: boolean;
  /** 0 = the config's concurrency, else the available cores. */
  concurrency: number;
  statusBarMetric: string | undefined;
  /** Fetch the notes ref on focus and let every git fetch bring it (trusted workspaces only). */
  autoFetch: boolean;
}

export function folderSettings(scope: vscode.Uri | vscode.WorkspaceFolder | undefined): FolderSettings {
  const c = vscode.workspace.getConfiguration('tidemark', scope);
  return {
    runOnSave: c.get<boolean>('runOnSave', true),
    saveDebounceMs: Math.max(0, c.get<number>('saveDebounceMs', 1500)),
    runOnAutoSave: c.get<boolean>('runOnAutoSave', false),
    concurrency: Math.max(0, Math.floor(c.get<number>('concurrency', 0))),
    statusBarMetric: c.get<string>('statusBar.metric') || undefined,
    autoFetch: c.get<boolean>('share.autoFetch', true),
  };
}
