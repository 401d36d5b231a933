// The report panel inside a real extension host: VS Code's webview loads the bundle under the
// panel's CSP, says ready, asks for the Overview over the message channel, and refreshes in
// place when a run is recorded. (The webview's DOM is not reachable from here; the Chromium
// suite in test/webview checks what the page shows.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { openStore } from '../../src/core/store';
import type { RecordBuildInput } from '../../src/core/store/api';
import { ReportPanel, REPORT_VIEW_TYPE } from '../../src/extension/report/panel';
import type { BuildRecordedEvent, FolderModel, HeadMovedEvent, TidemarkServices } from '../../src/extension/folders/services';

function run(n: number): RecordBuildInput {
  return {
    build: { commitSha: String(n).repeat(40).slice(0, 40), branch: 'main', runId: `it-${n}`, event: 'manual', timestamp: new Date(Date.UTC(2026, 0, n)).toISOString(), dirty: false },
    definitions: [{ id: 'size', type: 'numeric', unit: 'bytes', direction: 'lower-is-better' }],
    results: [{ metric: 'size', status: 'ok', value: 1000 * n, durationMs: 1 }],
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('Report panel in the extension host', () => {
  it('loads the webview, completes the ready handshake, answers its requests and refreshes on a new run', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
    const store = await openStore(path.join(dir, 'tidemark.db'));
    const lines: string[] = [];
    const capture = (level: string) => (message: unknown) => lines.push(`${level} ${String(message)}`);
    const log = { trace() {}, debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') } as unknown as vscode.LogOutputChannel;
    const recorded = new vscode.EventEmitter<BuildRecordedEvent>();
    const folderChanged = new vscode.EventEmitter<void>();
    const headMoved = new vscode.EventEmitter<HeadMovedEvent>();
    const folder = vscode.workspace.workspaceFolders![0];
    let branch = 'main';
    const model: FolderModel = { folder, config: undefined, problems: [], reads: { git: 0, state: 0, runs: 0 }, store: async () => store, historyStore: async () => store, currentBranch: async () => branch, referenceBranch: async () => 'main' };
    const services: TidemarkServices = { folders: () => [model], folderFor: () => model, onDidRecordBuild: recorded.event, onDidChangeFolders: folderChanged.event, onDidMoveHead: headMoved.event, log };
    const extensionUri = vscode.extensions.getExtension('tidemark.tidemark')!.extensionUri;
    let panel: ReportPanel | undefined;
    try {
      await store.recordBuild(run(1));
      const webviewPanel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, 'Tidemark Report', vscode.ViewColumn.Active, ReportPanel.options(extensionUri));
      panel = new ReportPanel(webviewPanel, model, services, extensionUri, {});
      const answered = () => lines.filter((l) => l.startsWith('debug report: overview answered')).length;
      await until(() => answered() >= 1, 'the webview to ask for the Overview');

      const { build } = await store.recordBuild(run(2));
      recorded.fire({ folder, build });
      await until(() => answered() >= 2, 'the open panel to reload the Overview after the new run');

      // A checkout outside the editor: the folder's state tells, and the page shows the new head.
      await store.recordBuild({ ...run(3), build: { ...run(3).build, branch: 'feature' } });
      branch = 'feature';
      headMoved.fire({ folder });
      await until(() => answered() >= 3, 'the open panel to reload the Overview after HEAD moved');
      assert.deepEqual(
        lines.filter((l) => !l.startsWith('debug')),
        [],
        'no rejected message, failure or warning',
      );
    } finally {
      panel?.dispose();
      recorded.dispose();
      folderChanged.dispose();
      headMoved.dispose();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a panel opened while the folder has no history gets the report when a store appears, without reopening', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
    const lines: string[] = [];
    const capture = (level: string) => (message: unknown) => lines.push(`${level} ${String(message)}`);
    const log = { trace() {}, debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') } as unknown as vscode.LogOutputChannel;
    const recorded = new vscode.EventEmitter<BuildRecordedEvent>();
    const folderChanged = new vscode.EventEmitter<void>();
    const folder = vscode.workspace.workspaceFolders![0];
    // As in Restricted Mode: no store until trust is granted.
    let store: Awaited<ReturnType<typeof openStore>> | undefined;
    const model: FolderModel = {
      folder,
      config: undefined,
      problems: [],
      reads: { git: 0, state: 0, runs: 0 },
      store: async () => store!,
      historyStore: async () => store,
      currentBranch: async () => 'main',
      referenceBranch: async () => 'main',
    };
    const services: TidemarkServices = { folders: () => [model], folderFor: () => model, onDidRecordBuild: recorded.event, onDidChangeFolders: folderChanged.event, onDidMoveHead: new vscode.EventEmitter<HeadMovedEvent>().event, log };
    const extensionUri = vscode.extensions.getExtension('tidemark.tidemark')!.extensionUri;
    let panel: ReportPanel | undefined;
    try {
      const webviewPanel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, 'Tidemark Report', vscode.ViewColumn.Active, ReportPanel.options(extensionUri));
      panel = new ReportPanel(webviewPanel, model, services, extensionUri, {});
      const posted: string[] = [];
      const post = webviewPanel.webview.postMessage.bind(webviewPanel.webview);
      webviewPanel.webview.postMessage = (message: { type: string }) => {
        posted.push(message.type);
        return post(message);
      };
      await until(() => posted.includes('unavailable'), 'the panel to say the report is not available');

      store = await openStore(path.join(dir, 'tidemark.db'));
      const { build } = await store.recordBuild(run(1));
      folderChanged.fire();
      recorded.fire({ folder, build });
      await until(() => lines.some((l) => l.startsWith('debug report: overview answered')), 'the same panel to ask for the Overview');
      assert.equal(posted.filter((t) => t === 'init').length, 1, 'the page got the report once');
      assert.deepEqual(
        lines.filter((l) => !l.startsWith('debug')),
        [],
        'no rejected message, failure or warning',
      );
    } finally {
      panel?.dispose();
      recorded.dispose();
      folderChanged.dispose();
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
