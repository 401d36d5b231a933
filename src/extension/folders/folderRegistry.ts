/**
 * The TidemarkServices implementation: a FolderModel per workspace folder, kept in step with
 * folder changes and with every folder's tidemark.json (saved in the editor or edited outside).
 */
import * as vscode from 'vscode';
import { CONFIG_FILE_NAME } from '../../core/config';
import type { BuildRecord } from '../../core/types';
import { Disposable } from '../common/disposable';
import { FolderModelImpl, type StoreLocation } from './folderModel';
import type { BuildRecordedEvent, HeadMovedEvent, TidemarkServices } from './services';

export class FolderRegistry extends Disposable implements TidemarkServices {
  private readonly models = new Map<string, FolderModelImpl>();
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly recorded = this.register(new vscode.EventEmitter<BuildRecordedEvent>());
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  private readonly headMoved = this.register(new vscode.EventEmitter<HeadMovedEvent>());
  readonly onDidRecordBuild = this.recorded.event;
  readonly onDidMoveHead = this.headMoved.event;
  readonly onDidChangeFolders = this.changed.event;

  constructor(
    private readonly location: StoreLocation,
    readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(vscode.workspace.onDidChangeWorkspaceFolders((e) => void this.updateFolders(e.added, e.removed)));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('tidemark')) this.changed.fire();
      }),
    );
  }

  /** Loads every folder's config; called once at activation (not awaited by activate()). */
  async initialize(): Promise<void> {
    await this.updateFolders(vscode.workspace.workspaceFolders ?? [], []);
  }

  /** Folders with a tidemark.json (valid or not), in workspace order. */
  folders(): readonly FolderModelImpl[] {
    return (vscode.workspace.workspaceFolders ?? [])
      .map((f) => this.models.get(f.uri.toString()))
      .filter((m): m is FolderModelImpl => m !== undefined && m.hasConfigFile);
  }

  /** Every workspace folder, configured or not (Create Config offers the others). */
  allFolders(): readonly FolderModelImpl[] {
    return (vscode.workspace.workspaceFolders ?? []).map((f) => this.models.get(f.uri.toString())).filter((m): m is FolderModelImpl => !!m);
  }

  folderFor(uri: vscode.Uri): FolderModelImpl | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const model = folder && this.models.get(folder.uri.toString());
    return model?.hasConfigFile ? model : undefined;
  }

  /** The model for a folder given as a URI string (tree items and report arguments carry those). */
  folderByUri(uri: string | undefined): FolderModelImpl | undefined {
    return uri === undefined ? undefined : this.models.get(uri);
  }

  isConfigFile(uri: vscode.Uri): FolderModelImpl | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const model = folder && this.models.get(folder.uri.toString());
    return model && uri.fsPath === model.configPath ? model : undefined;
  }

  async reload(model: FolderModelImpl): Promise<void> {
    await model.reloadConfig();
    this.changed.fire();
  }

  notifyRecorded(model: FolderModelImpl, build: BuildRecord): void {
    this.recorded.fire({ folder: model.folder, build });
  }

  /** The folder's state found HEAD on another commit or branch than before (FolderStates tells). */
  notifyHeadMoved(model: FolderModelImpl): void {
    this.headMoved.fire({ folder: model.folder });
  }

  /** Views re-read everything (after history was cleared, trust was granted...). */
  notifyChanged(): void {
    this.changed.fire();
  }

  private async updateFolders(added: readonly vscode.WorkspaceFolder[], removed: readonly vscode.WorkspaceFolder[]): Promise<void> {
    for (const folder of removed) {
      const key = folder.uri.toString();
      this.watchers.get(key)?.dispose();
      this.watchers.delete(key);
      const model = this.models.get(key);
      this.models.delete(key);
      await model?.close().catch((error) => this.log.error(`closing the store of ${folder.name}: ${String(error)}`));
    }
    await Promise.all(
      added.map(async (folder) => {
        const model = new FolderModelImpl(folder, this.location, this.log);
        this.models.set(folder.uri.toString(), model);
        this.watchers.set(folder.uri.toString(), this.watchConfig(model));
        await model.reloadConfig();
      }),
    );
    this.changed.fire();
  }

  /** Edits outside the editor (git checkout, another tool) reload the config too. */
  private watchConfig(model: FolderModelImpl): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(model.folder, CONFIG_FILE_NAME));
    const reload = () => void this.reload(model);
    return vscode.Disposable.from(watcher, watcher.onDidCreate(reload), watcher.onDidChange(reload), watcher.onDidDelete(reload));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.models.values()].map((m) => m.close().catch(() => undefined)));
  }

  override dispose(): void {
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
    super.dispose();
  }
}
