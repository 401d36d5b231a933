/**
 * "Create Config": the starter tidemark.json that `tidemark init` writes (src/core/init), then
 * opened. Detection only reads the folder (in-process collectors), so it is safe untrusted.
 */
import * as vscode from 'vscode';
import { InitRefused, initProject } from '../../core/init/initProject';
import type { FolderModelImpl } from './folderModel';
import type { FolderRegistry } from './folderRegistry';
import { plural } from '../../shared/l10n';

export async function createConfig(registry: FolderRegistry, model: FolderModelImpl): Promise<void> {
  if (model.hasConfigFile) {
    await vscode.window.showTextDocument(model.configUri);
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} already has a tidemark.json.', model.folder.name));
    return;
  }
  let created;
  try {
    created = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Tidemark: looking for metrics in {0}', model.folder.name) },
      () => initProject({ cwd: model.cwd, configPath: model.configPath, dryRun: false, force: false }),
    );
  } catch (error) {
    if (!(error instanceof InitRefused)) throw error;
    for (const note of error.notes) registry.log.info(`${model.folder.name}: ${note}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Tidemark: {0}', error.message), vscode.l10n.t('Show Log')).then((c) => c && registry.log.show());
    return;
  }
  for (const note of created.notes) registry.log.info(`${model.folder.name}: ${note}`);
  registry.log.info(`${model.folder.name}: created tidemark.json with ${created.metrics.join(', ')}`);
  await registry.reload(model);
  await vscode.window.showTextDocument(model.configUri);
  // The list of metrics is in the file just opened: the toast stays one line.
  const n = created.metrics.length;
  void vscode.window.showInformationMessage(plural(n, vscode.l10n.t('Created tidemark.json with {0} metric.', n), vscode.l10n.t('Created tidemark.json with {0} metrics.', n)));
}
