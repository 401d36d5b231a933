/** "Create Config": a starter tidemark.json from what the folder already has, then opened. */
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { detectStarterConfig, starterConfigText } from '../core/init/detect';
import type { FolderModelImpl } from './folders';
import type { FolderRegistry } from './folderRegistry';

export async function createConfig(registry: FolderRegistry, model: FolderModelImpl): Promise<void> {
  if (model.hasConfigFile) {
    await vscode.window.showTextDocument(model.configUri);
    void vscode.window.showInformationMessage(`${model.folder.name} already has a tidemark.json.`);
    return;
  }
  const { config, findings } = await detectStarterConfig(model.cwd);
  try {
    // 'wx': never overwrite a tidemark.json written meanwhile by someone else.
    await fs.writeFile(model.configPath, starterConfigText(config), { flag: 'wx' });
  } catch (error) {
    void vscode.window.showErrorMessage(`Cannot create ${model.configPath}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  registry.log.info(`${model.folder.name}: created tidemark.json (${findings.join('; ')})`);
  await registry.reload(model);
  await vscode.window.showTextDocument(model.configUri);
  const names = Object.keys(config.metrics);
  void vscode.window.showInformationMessage(`Created tidemark.json with ${names.length} metric${names.length === 1 ? '' : 's'}: ${names.join(', ')}.`);
}
