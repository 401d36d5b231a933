/**
 * Report panel host: the `tidemark.openReport` and `tidemark.exportReportHtml` commands and
 * the serializer that restores open panels after a reload. One panel per workspace folder.
 */
import * as vscode from 'vscode';
import type { FolderModel, TidemarkServices } from '../folders/services';
import { exportReportHtml } from '../../core/report/standaloneHtml';
import { navigationSchema, VIEWS, webviewStateSchema, type Navigation } from '../../shared/protocol';
import { ReportPanel, REPORT_VIEW_TYPE, sourceFor } from './panel';
import { COMMANDS } from '../commands/ids';

/** The optional argument of `tidemark.openReport` (apis.md). */
interface OpenReportArgument extends Navigation {
  folder?: string;
}

function parseArgument(arg: unknown): OpenReportArgument {
  if (arg === undefined || arg === null || typeof arg !== 'object' || arg instanceof vscode.Uri) {
    return arg instanceof vscode.Uri ? { folder: arg.toString() } : {};
  }
  const parsed = navigationSchema.extend({ folder: navigationSchema.shape.metric }).safeParse(arg);
  if (!parsed.success) throw new Error(`tidemark.openReport: invalid argument (expected { folder?, view?: ${VIEWS.join('|')}, metric?, base?, head? })`);
  return parsed.data;
}

async function pickFolder(services: TidemarkServices, folderUri: string | undefined, placeHolder: string): Promise<FolderModel | undefined> {
  const folders = services.folders();
  if (folderUri) {
    const match = folders.find((f) => f.folder.uri.toString() === folderUri) ?? services.folderFor(vscode.Uri.parse(folderUri));
    if (!match) void vscode.window.showErrorMessage(vscode.l10n.t('Tidemark: no Tidemark folder at {0}.', folderUri));
    return match;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  const fromEditor = active ? services.folderFor(active) : undefined;
  if (fromEditor) return fromEditor;
  if (folders.length === 1) return folders[0];
  if (folders.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Tidemark: no workspace folder has a tidemark.json yet.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    folders.map((f) => ({ label: f.folder.name, description: f.folder.uri.fsPath, model: f })),
    { placeHolder },
  );
  return picked?.model;
}

const RESTORE_WAIT_MS = 10_000;

/** Resolves on the next change of the folder list, or after `timeoutMs`. */
function folderChange(services: TidemarkServices, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    const listener = services.onDidChangeFolders(done);
    function done() {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    }
  });
}

export function registerReportPanel(context: vscode.ExtensionContext, services: TidemarkServices): vscode.Disposable {
  const panels = new Map<string, ReportPanel>();
  const distUri = vscode.Uri.joinPath(context.extensionUri, 'dist');

  const adopt = (webviewPanel: vscode.WebviewPanel, model: FolderModel, navigate: Navigation): ReportPanel => {
    const key = model.folder.uri.toString();
    const panel = new ReportPanel(webviewPanel, model, services, context.extensionUri, navigate);
    panels.set(key, panel);
    panel.onDidDispose(() => {
      if (panels.get(key) === panel) panels.delete(key);
    });
    return panel;
  };

  const open = vscode.commands.registerCommand(COMMANDS.openReport, async (arg?: unknown) => {
    const { folder, ...navigate } = parseArgument(arg);
    const model = await pickFolder(services, folder, vscode.l10n.t('Open the report of which folder?'));
    if (!model) return;
    const existing = panels.get(model.folder.uri.toString());
    if (existing) {
      existing.reveal(navigate);
      return;
    }
    const webviewPanel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, ReportPanel.title(model), vscode.ViewColumn.Active, ReportPanel.options(context.extensionUri));
    adopt(webviewPanel, model, navigate);
  });

  const exportHtml = vscode.commands.registerCommand(COMMANDS.exportReportHtml, async (arg?: unknown) => {
    const model = await pickFolder(services, parseArgument(arg).folder, vscode.l10n.t('Export the report of which folder?'));
    if (!model) return;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(model.folder.uri, 'tidemark-report.html'),
      filters: { [vscode.l10n.t('HTML files')]: ['html'] },
      title: vscode.l10n.t('Export Tidemark Report as HTML'),
    });
    if (!target) return;
    try {
      const html = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Tidemark: exporting the report…') }, async () =>
        exportReportHtml(await sourceFor(model), distUri.fsPath),
      );
      await vscode.workspace.fs.writeFile(target, Buffer.from(html, 'utf8'));
      const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Tidemark: report written to {0}.', vscode.workspace.asRelativePath(target)), vscode.l10n.t('Open in Browser'));
      if (choice) await vscode.env.openExternal(target);
    } catch (error) {
      services.log.error(error as Error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Tidemark: could not export the report: {0}', (error as Error).message));
    }
  });

  const serializer = vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
    async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown) {
      const parsed = webviewStateSchema.safeParse(state);
      const wanted = parsed.success ? parsed.data.folder : undefined;
      const find = () => (wanted ? services.folders().find((f) => f.folder.uri.toString() === wanted) : services.folders()[0]);
      // After a reload the folder models may still be loading; give them a moment.
      const model = find() ?? (await folderChange(services, RESTORE_WAIT_MS).then(find));
      if (!model) {
        services.log.warn(`report: could not restore a report panel, its folder ${wanted ?? '(unknown)'} is not a Tidemark folder now`);
        webviewPanel.dispose();
        return;
      }
      webviewPanel.webview.options = ReportPanel.options(context.extensionUri);
      adopt(webviewPanel, model, {});
    },
  });

  return vscode.Disposable.from(open, exportHtml, serializer, {
    dispose: () => {
      for (const panel of panels.values()) panel.dispose();
      panels.clear();
    },
  });
}
