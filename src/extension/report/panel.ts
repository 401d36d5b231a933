/**
 * One report webview panel: serves the bundled app under a strict CSP (per-load script
 * nonce, nothing remote) and connects it to a ReportHost over the webview message channel.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { FolderModel, TidemarkServices } from '../folders/services';
import type { ReportSource } from '../../core/report/backend';
import { ReportHost } from '../../core/report/host';
import { panelHtml } from '../../core/report/panelHtml';
import type { HostMessage, Navigation } from '../../shared/protocol';
import { COMMANDS } from '../commands/ids';
import { openCommit } from './openCommit';

export const REPORT_VIEW_TYPE = 'tidemark.report';

/**
 * The only way the extension posts to the report page: typed by the protocol (host → page).
 * The other direction arrives as `unknown` and ReportHost validates it (webviewMessageSchema).
 */
export function postToPage(webview: vscode.Webview, message: HostMessage): Thenable<boolean> {
  return webview.postMessage(message);
}

/** The folder's history for the report; it never creates a store (an untrusted folder may have none). */
export async function sourceFor(model: FolderModel): Promise<ReportSource> {
  const store = await model.historyStore();
  if (!store) throw new Error(vscode.l10n.t('{0} has no recorded history yet: trust the workspace and run the metrics to start one.', model.folder.name));
  return {
    store,
    folderName: model.folder.name,
    cwd: model.folder.uri.fsPath,
    config: model.config,
    currentBranch: () => model.currentBranch(),
    referenceBranch: () => model.referenceBranch(),
  };
}

export class ReportPanel {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  private readonly host: ReportHost;
  private disposed = false;

  static title(model: FolderModel): string {
    return vscode.l10n.t('Tidemark Report: {0}', model.folder.name);
  }

  static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  constructor(
    private readonly panel: vscode.WebviewPanel,
    model: FolderModel,
    services: TidemarkServices,
    private readonly extensionUri: vscode.Uri,
    navigate: Navigation,
  ) {
    this.host = new ReportHost({
      source: () => sourceFor(model),
      post: (message) => postToPage(panel.webview, message),
      logger: services.log,
      folderUri: model.folder.uri.toString(),
      l10n: { bundle: vscode.l10n.bundle, language: vscode.env.language },
      runAll: () => vscode.commands.executeCommand(COMMANDS.runAll, model.folder.uri),
      copy: async (text) => {
        await vscode.env.clipboard.writeText(text);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Tidemark: commit SHA copied'), 3000);
      },
      openCommit: (commitSha) =>
        openCommit(model.folder.uri.fsPath, commitSha, services.log).catch((error: unknown) => {
          services.log.error(`report: opening commit ${commitSha.slice(0, 12)} failed: ${String(error)}`);
          void vscode.window.showErrorMessage(vscode.l10n.t('Tidemark: could not open commit {0}: {1}', commitSha.slice(0, 12), error instanceof Error ? error.message : String(error)));
        }),
    });
    this.host.navigate(navigate);
    panel.title = ReportPanel.title(model);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'tidemark.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => void this.host.receive(message)),
      // Without retainContextWhenHidden a hidden panel's page is discarded; it says ready again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.host.reset();
      }),
      panel.onDidDispose(() => this.dispose()),
      services.onDidRecordBuild((event) => {
        if (event.folder.uri.toString() === model.folder.uri.toString()) void this.host.runRecorded(event.build.id);
      }),
      services.onDidMoveHead((event) => {
        if (event.folder.uri.toString() === model.folder.uri.toString()) void this.host.headMoved();
      }),
      // Trust granted or a config change may give a folder without history a store; the
      // page's backend (and its cached limits) is built again from the new config.
      services.onDidChangeFolders(() => {
        this.host.sourceChanged();
        void this.host.retry();
      }),
    );
  }

  reveal(navigate: Navigation): void {
    this.panel.reveal();
    this.host.navigate(navigate);
  }

  private html(): string {
    const webview = this.panel.webview;
    const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', file)).toString();
    return panelHtml({ nonce: randomBytes(18).toString('base64'), cspSource: webview.cspSource, scriptUri: asset('webview.js'), styleUri: asset('webview.css') });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    this.panel.dispose();
  }
}
