/** Context keys for `when` clauses: tidemark.hasConfig, tidemark.running, tidemark.noGit. */
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import type { FolderRegistry } from './folderRegistry';
import type { Runner } from '../run/runner';

export class ContextKeys extends Disposable {
  constructor(
    private readonly registry: FolderRegistry,
    private readonly runner: Runner,
  ) {
    super();
    this.register(registry.onDidChangeFolders(() => void this.update()));
    this.register(runner.onDidChangeRunning(() => void this.set('tidemark.running', runner.isRunning)));
  }

  async update(): Promise<void> {
    const all = this.registry.allFolders();
    await this.set('tidemark.hasConfig', this.registry.folders().length > 0);
    await this.set('tidemark.running', this.runner.isRunning);
    const git = await Promise.all(all.map((m) => m.isGitRepo()));
    await this.set('tidemark.noGit', all.length > 0 && git.every((g) => !g));
  }

  private async set(key: string, value: boolean): Promise<void> {
    await vscode.commands.executeCommand('setContext', key, value);
  }
}
