/**
 * The status bar item for the pinned metric of one folder: the folder last pinned from, else
 * the active editor's, else the first configured one. Text, colours and tooltip come from
 * statusBarModel.ts.
 */
import * as vscode from 'vscode';
import { Disposable } from '../../common/disposable';
import type { FolderModelImpl } from '../../folders/folderModel';
import type { FolderRegistry } from '../../folders/folderRegistry';
import type { FolderStates } from '../../state/folderStates';
import { escapeStatusText } from '../../common/markdown';
import { folderSettings } from '../../folders/settings';
import { buildStatusBarView, resolvePinnedMetric } from './statusBarModel';
import { COMMANDS } from '../../commands/ids';

const PINNED_FOLDER_KEY = 'tidemark.statusBar.folder';

export class StatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('tidemark.status', vscode.StatusBarAlignment.Left, 50));
  /** Guards against an older, slower refresh overwriting a newer one. */
  private generation = 0;

  constructor(
    private readonly registry: FolderRegistry,
    private readonly states: FolderStates,
    private readonly workspaceState: vscode.Memento,
  ) {
    super();
    this.item.name = vscode.l10n.t('Tidemark');
    this.register(states.onDidChange(() => void this.refresh()));
    // Another editor may belong to another folder: its state is shared with the tree (no new reads).
    this.register(vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()));
  }

  /** Shows this folder's pinned metric from now on (kept across reloads). */
  pin(model: FolderModelImpl): void {
    void this.workspaceState.update(PINNED_FOLDER_KEY, model.folder.uri.toString());
    void this.refresh();
  }

  /** The folder whose metric is shown. */
  currentFolder(): FolderModelImpl | undefined {
    const pinned = this.registry.folderByUri(this.workspaceState.get<string>(PINNED_FOLDER_KEY));
    if (pinned?.config) return pinned;
    const active = vscode.window.activeTextEditor && this.registry.folderFor(vscode.window.activeTextEditor.document.uri);
    if (active?.config) return active;
    return this.registry.folders().find((m) => m.config);
  }

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const model = this.currentFolder();
    const config = model?.config;
    const metric = config && resolvePinnedMetric(config, folderSettings(model.folder).statusBarMetric);
    if (!model || !config || !metric) {
      this.item.hide();
      return;
    }
    try {
      const state = await this.states.get(model);
      if (generation !== this.generation) return;
      if (state.error !== undefined) throw new Error(state.error);
      const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
      const view = buildStatusBarView(
        {
          id: metric,
          config: config.metrics[metric],
          latest: state.latest.get(metric),
          baseline: state.analysis.baselines.get(metric),
          judgement: state.analysis.judgements.get(metric),
          headSha: state.headSha,
          configChangedAt: model.configChangedAt(metric),
          now: new Date(),
        },
        this.states.isRunning(model),
        multiRoot ? model.folder.name : undefined,
      );
      this.item.text = view.text;
      const tooltip = new vscode.MarkdownString(view.tooltip);
      tooltip.isTrusted = false;
      this.item.tooltip = tooltip;
      this.item.backgroundColor = view.backgroundColor && new vscode.ThemeColor(view.backgroundColor);
      this.item.accessibilityInformation = { label: view.accessibilityLabel };
      this.item.command = {
        title: vscode.l10n.t('Open Report'),
        command: COMMANDS.openReport,
        arguments: [{ folder: model.folder.uri.toString(), view: 'trends', metric }],
      };
      this.item.show();
    } catch (error) {
      if (generation !== this.generation) return;
      this.registry.log.error(`status bar: ${String(error)}`);
      this.item.text = `$(graph) ${escapeStatusText(metric)} $(warning)`;
      this.item.tooltip = vscode.l10n.t('Tidemark cannot read its history: see the Tidemark log.');
      this.item.command = COMMANDS.showLog;
      this.item.show();
    }
  }
}
