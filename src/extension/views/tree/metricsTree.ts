/**
 * The Metrics tree: folder → metric → its last runs. Items are described by viewModel.ts;
 * this file only fetches the data and turns descriptions into TreeItems.
 *
 * Metric nodes carry `{ folder, view: 'trends', metric }` so the inline "show chart" action can
 * pass them straight to `tidemark.openReport`.
 */
import * as vscode from 'vscode';
import { NO_GIT_SHA } from '../../../core/types';
import { folderAnalysis, headLatest, NO_ANALYSIS } from '../../analysis/folderAnalysis';
import { Disposable } from '../../common/disposable';
import type { FolderModelImpl } from '../../folders/folderModel';
import type { FolderRegistry } from '../../folders/folderRegistry';
import type { Runner } from '../../run/runner';
import type { EvaluationCache } from '../../analysis/evaluationCache';
import { buildMetricView, buildRunView, type IconSpec } from './viewModel';
import { COMMANDS } from '../../commands/ids';

const RUNS_SHOWN = 10;
/** How many recent runs are scanned for a metric's last attempts (failures included). */
const RUNS_SCANNED = 100;

export interface FolderNode {
  kind: 'folder';
  folder: string;
}
export interface MetricNode {
  kind: 'metric';
  folder: string;
  metric: string;
  view: 'trends';
}
interface RunNode {
  kind: 'run';
  item: vscode.TreeItem;
}
interface MessageNode {
  kind: 'message';
  item: vscode.TreeItem;
}
export type TreeNode = FolderNode | MetricNode | RunNode | MessageNode;

function icon(spec: IconSpec): vscode.ThemeIcon {
  return new vscode.ThemeIcon(spec.id, spec.color ? new vscode.ThemeColor(spec.color) : undefined);
}

function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.supportHtml = false;
  md.isTrusted = false;
  return md;
}

function message(label: string, iconId: string, tooltip: string, command?: vscode.Command): MessageNode {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.iconPath = new vscode.ThemeIcon(iconId);
  item.tooltip = tooltip;
  item.command = command;
  item.contextValue = 'message';
  return { kind: 'message', item };
}

export class MetricsTree extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  /** Metric items built during the last expansion of each folder, reused by getTreeItem. */
  private readonly metricItems = new Map<string, vscode.TreeItem>();

  constructor(
    private readonly registry: FolderRegistry,
    private readonly runner: Runner,
    private readonly evaluations: EvaluationCache,
  ) {
    super();
    this.register(registry.onDidChangeFolders(() => this.refresh()));
    this.register(evaluations.onDidChange(() => this.refresh()));
    this.register(registry.onDidRecordBuild(() => this.refresh()));
    this.register(runner.onDidChangeRunning(() => this.refresh()));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder':
        return this.folderItem(node);
      case 'metric':
        return this.metricItems.get(metricKey(node)) ?? new vscode.TreeItem(node.metric);
      case 'run':
      case 'message':
        return node.item;
    }
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.registry.folders().map((m) => ({ kind: 'folder', folder: m.folder.uri.toString() }));
    if (node.kind === 'folder') {
      const model = this.registry.folderByUri(node.folder);
      return model ? this.folderChildren(model) : [];
    }
    if (node.kind === 'metric') {
      const model = this.registry.folderByUri(node.folder);
      return model ? this.runChildren(model, node.metric) : [];
    }
    return [];
  }

  private folderItem(node: FolderNode): vscode.TreeItem {
    const model = this.registry.folderByUri(node.folder);
    const item = new vscode.TreeItem(model?.folder.name ?? node.folder, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `folder:${node.folder}`;
    item.iconPath = new vscode.ThemeIcon(model && this.runner.isRunningIn(model) ? 'sync~spin' : 'root-folder');
    item.contextValue = 'folder';
    const count = Object.keys(model?.config?.metrics ?? {}).length;
    item.description = model?.config ? `${count} metric${count === 1 ? '' : 's'}${model && this.runner.isRunningIn(model) ? ' · running' : ''}` : 'invalid config';
    item.tooltip = model?.storePath ? `${model.cwd}\nHistory: ${model.storePath}` : model?.cwd;
    return item;
  }

  private async folderChildren(model: FolderModelImpl): Promise<TreeNode[]> {
    const nodes: TreeNode[] = [];
    if (!vscode.workspace.isTrusted) {
      nodes.push(
        message('Restricted Mode: nothing runs', 'shield', 'Tidemark runs the commands in tidemark.json only in a trusted workspace. Recorded history is still shown.', {
          title: 'Manage Workspace Trust',
          command: 'workbench.trust.manage',
        }),
      );
    }
    if (!(await model.isGitRepo())) {
      nodes.push(
        message('Not a git repository', 'info', 'Metrics run and are recorded (branch "(no git)"), but there is no baseline branch to compare with and no commit to tell stale values.'),
      );
    }
    if (!model.config) {
      const n = model.problems.length;
      nodes.push(
        message(`tidemark.json has ${n} problem${n === 1 ? '' : 's'}`, 'error', 'Nothing runs until tidemark.json is valid. Click to open the Problems view.', {
          title: 'Show Problems',
          command: 'workbench.actions.view.problems',
        }),
      );
      return nodes;
    }
    const config = model.config;
    try {
      const [store, git] = await Promise.all([model.historyStore(), model.git().catch(() => undefined)]);
      const [latest, analysis] = store ? await Promise.all([headLatest(store, git?.commitSha), folderAnalysis(this.evaluations, model, store)]) : [[], NO_ANALYSIS];
      const byMetric = new Map(latest.map((l) => [l.metric, l]));
      const now = new Date();
      for (const [id, metricConfig] of Object.entries(config.metrics)) {
        const latestOf = byMetric.get(id);
        const baseline = analysis.baselines.get(id);
        // The top three files that moved the value since the baseline (built-in collectors record them).
        const parts =
          store && latestOf?.valueBuild && baseline && latestOf.valueBuild.id !== baseline.build.id
            ? await store.partChanges(id, baseline.build.id, latestOf.valueBuild.id, 3).catch(() => [])
            : [];
        const view = buildMetricView({
          parts,
          id,
          config: metricConfig,
          latest: byMetric.get(id),
          baseline: analysis.baselines.get(id),
          judgement: analysis.judgements.get(id),
          headSha: git && git.commitSha !== NO_GIT_SHA ? git.commitSha : null,
          configChangedAt: model.configChangedAt(id),
          now,
        });
        const node: MetricNode = { kind: 'metric', folder: model.folder.uri.toString(), metric: id, view: 'trends' };
        const item = new vscode.TreeItem(view.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `metric:${metricKey(node)}`;
        item.description = view.description;
        item.iconPath = icon(view.icon);
        item.tooltip = markdown(view.tooltip);
        item.contextValue = view.contextValue;
        item.accessibilityInformation = { label: view.accessibilityLabel };
        this.metricItems.set(metricKey(node), item);
        nodes.push(node);
      }
    } catch (error) {
      this.registry.log.error(`${model.folder.name}: cannot read history: ${String(error)}`);
      nodes.push(message(`Cannot read history: ${error instanceof Error ? error.message : String(error)}`, 'error', 'See the Tidemark log.', { title: 'Show Log', command: COMMANDS.showLog }));
    }
    return nodes;
  }

  private async runChildren(model: FolderModelImpl, metric: string): Promise<TreeNode[]> {
    const config = model.config?.metrics[metric];
    if (!config) return [];
    const store = await model.historyStore();
    const builds = store ? await store.builds({ limit: RUNS_SCANNED }) : [];
    const now = new Date();
    const nodes: TreeNode[] = [];
    for (const { build, outcomes } of builds) {
      const outcome = outcomes.find((o) => o.metric === metric);
      if (!outcome) continue;
      const view = buildRunView({ build, status: outcome.status, value: outcome.value, durationMs: outcome.durationMs, message: outcome.message, config, now });
      const item = new vscode.TreeItem(view.label, vscode.TreeItemCollapsibleState.None);
      item.id = `run:${model.folder.uri.toString()}:${metric}:${build.id}`;
      item.description = view.description;
      item.iconPath = icon(view.icon);
      item.tooltip = markdown(view.tooltip);
      item.contextValue = 'run';
      nodes.push({ kind: 'run', item });
      if (nodes.length === RUNS_SHOWN) break;
    }
    if (nodes.length === 0) nodes.push(message('No runs yet', 'circle-outline', 'Run the metric to record a first value.'));
    return nodes;
  }
}

function metricKey(node: MetricNode): string {
  return `${node.folder}#${node.metric}`;
}
