/**
 * Activation wiring. activate() only creates objects and registers listeners: configs load in the
 * background, and each folder's store (sql.js in a worker) opens on first use.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './commands/handlers';
import { ContextKeys } from './folders/contextKeys';
import { ConfigDiagnostics } from './diagnostics/configDiagnostics';
import { FolderRegistry } from './folders/folderRegistry';
import { Maintenance } from './maintenance/maintenance';
import { registerReportPanel } from './report/reportPanel';
import { countOf } from './common/plural';
import { useLanguage, useTranslator } from '../shared/l10n';
import { Runner } from './run/runner';
import { SaveTrigger } from './run/saveTrigger';
import { StatusBar } from './views/statusBar/statusBar';
import type { TidemarkServices } from './folders/services';
import { MetricsTree } from './views/tree/metricsTree';
import { RegressionDiagnostics } from './diagnostics/regressionDiagnostics';
import { registerHistoryCommands } from './commands/historyCommands';
import { StoreWatcher } from './sharing/storeWatcher';
import { TeamHistory } from './sharing/teamHistory';
import { FolderStates } from './state/folderStates';
import { CoverageGutter } from './coverage/coverageGutter';

let registry: FolderRegistry | undefined;
let runner: Runner | undefined;
let maintenance: Maintenance | undefined;

/** Returns the services: the extension's API for the report panel, other extensions and tests. */
export function activate(context: vscode.ExtensionContext): TidemarkServices {
  const started = performance.now();
  useTranslator(vscode.l10n.t);
  useLanguage(vscode.env.language);
  const log = vscode.window.createOutputChannel('Tidemark', { log: true });
  context.subscriptions.push(log);

  registry = new FolderRegistry(
    { storageDir: context.storageUri?.fsPath, workerScript: path.join(context.extensionPath, 'dist', 'storeWorker.js'), workspaceState: context.workspaceState },
    log,
  );
  runner = new Runner(registry);
  const states = new FolderStates(registry, runner);
  const tree = new MetricsTree(registry, states);
  const statusBar = new StatusBar(registry, states, context.workspaceState);
  const contextKeys = new ContextKeys(registry, runner);
  maintenance = new Maintenance(registry, runner, context.workspaceState, context.logUri);
  const team = new TeamHistory(registry);
  context.subscriptions.push(
    registry,
    runner,
    states,
    new RegressionDiagnostics(registry, states),
    new SaveTrigger(registry, runner),
    new ConfigDiagnostics(registry),
    tree,
    vscode.window.registerTreeDataProvider('tidemark.metrics', tree),
    statusBar,
    contextKeys,
    registerCommands({ registry, runner, statusBar }),
    registerHistoryCommands({ registry, team }),
    new StoreWatcher(registry),
    team,
    registerReportPanel(context, registry),
    new CoverageGutter(registry, context.extensionUri),
    maintenance,
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.info('Workspace trusted: metrics can run now.');
      for (const model of registry?.allFolders() ?? []) model.forgetGitState();
      registry?.notifyChanged();
    }),
  );

  void contextKeys.update();
  const ready = registry.initialize();
  ready.then(
    () => log.info(`Configs loaded for ${countOf(registry?.folders().length ?? 0, 'folder', 'folders')} in ${Math.round(performance.now() - started)} ms`),
    (error) => log.error(`Loading configs failed: ${String(error)}`),
  );
  log.info(`Tidemark activated in ${Math.round(performance.now() - started)} ms (trusted: ${vscode.workspace.isTrusted})`);
  return registry;
}

export async function deactivate(): Promise<void> {
  // VS Code calls this before disposing the subscriptions: stop the commands (their process
  // trees are killed) before the stores close, and let the stores finish their writes.
  runner?.stop();
  await maintenance?.stop();
  await registry?.closeAll();
  registry = undefined;
  runner = undefined;
  maintenance = undefined;
}
