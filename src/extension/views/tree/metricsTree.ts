/**
 * The Metrics tree: folder → metric → its last runs. Items are described by viewModel.ts;
 * this file only fetches the data and turns descriptions into TreeItems.
 *
 * Metric nodes carry `{ folder, view: 'trends', metric }` so the inline "show chart" action can
 * pass them straight to `tidemark.openReport`.
 */
import * as vscode from 'vscode';
import { Disposable } from '../../common/disposable';
import type { FolderModelImpl } from '../../folders/folderModel';
import type { FolderRegistry } from '../../folders/folderRegistry';
import { RECENT_RUNS_READ, type FolderStates } from '../../state/folderStates';
import { buildMetricView, buildRunView, type IconSpec } from './viewModel';
import { COMMANDS, INTERNAL_COMMANDS } from '../../commands/ids';
import { plural } from '../../../shared/l10n';

/** Runs shown under a metric at first; "Show more runs" adds as many again. */
export const RUNS_PAGE = 10;

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
  /** Metric nodes by key, so "Show more runs" can refresh just that metric. */
  private readonly metricNodes = new Map<string, MetricNode>();
  /** How many runs each metric shows (after "Show more runs"). */
  private readonly runsShown = new Map<string, number>();

  constructor(
    private readonly registry: FolderRegistry,
    private readonly states: FolderStates,
  ) {
    super();
    // Folders, configs, trust, runs and HEAD moves all arrive here, debounced, as one event.
    this.register(states.onDidChange(() => this.refresh()));
    this.register(
      vscode.commands.registerCommand(INTERNAL_COMMANDS.showMoreRuns, (key: string) => {
        this.runsShown.set(key, (this.runsShown.get(key) ?? RUNS_PAGE) + RUNS_PAGE);
        this.changed.fire(this.metricNodes.get(key));
      }),
    );
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
    const running = model !== undefined && this.states.isRunning(model);
    item.iconPath = new vscode.ThemeIcon(running ? 'sync~spin' : 'root-folder');
    item.contextValue = 'folder';
    const count = Object.keys(model?.config?.metrics ?? {}).length;
    const metrics = plural(count, vscode.l10n.t('{0} metric', count), vscode.l10n.t('{0} metrics', count));
    item.description = model?.config ? (running ? vscode.l10n.t('{0} · running', metrics) : metrics) : vscode.l10n.t('tidemark.json has problems');
    item.tooltip = model?.storePath ? `${model.cwd}\n${vscode.l10n.t('History: {0}', model.storePath)}` : model?.cwd;
    return item;
  }

  private async folderChildren(model: FolderModelImpl): Promise<TreeNode[]> {
    const nodes: TreeNode[] = [];
    if (!vscode.workspace.isTrusted) {
      nodes.push(
        message(vscode.l10n.t('Restricted Mode: nothing runs'), 'shield', vscode.l10n.t('Tidemark runs the commands in tidemark.json only in a trusted workspace; recorded history is still shown. Click to manage workspace trust.'), {
          title: vscode.l10n.t('Manage Workspace Trust'),
          command: COMMANDS.manageTrust,
        }),
      );
    }
    const state = await this.states.get(model);
    if (!state.isGitRepo) {
      nodes.push(
        message(vscode.l10n.t('Not a git repository'), 'info', vscode.l10n.t('Metrics run and are recorded (branch "(no git)"), but there is no baseline branch to compare with and no commit to tell stale values.')),
      );
    }
    if (!model.config) {
      const n = model.problems.length;
      nodes.push(
        message(plural(n, vscode.l10n.t('tidemark.json has {0} problem', n), vscode.l10n.t('tidemark.json has {0} problems', n)), 'error', vscode.l10n.t('Nothing runs until tidemark.json is valid. Click to open the Problems view.'), {
          title: vscode.l10n.t('Show Problems'),
          command: 'workbench.actions.view.problems',
        }),
      );
      return nodes;
    }
    const config = model.config;
    if (state.error !== undefined) {
      nodes.push(message(vscode.l10n.t('Cannot read history: {0}', state.error), 'error', vscode.l10n.t('See the Tidemark log.'), { title: vscode.l10n.t('Show Log'), command: COMMANDS.showLog }));
      return nodes;
    }
    const now = new Date();
    for (const [id, metricConfig] of Object.entries(config.metrics)) {
      const view = buildMetricView({
        parts: state.parts.get(id),
        id,
        config: metricConfig,
        latest: state.latest.get(id),
        baseline: state.analysis.baselines.get(id),
        judgement: state.analysis.judgements.get(id),
        headSha: state.headSha,
        configChangedAt: model.configChangedAt(id),
        now,
      });
      const node: MetricNode = { kind: 'metric', folder: model.folder.uri.toString(), metric: id, view: 'trends' };
      this.metricNodes.set(metricKey(node), node);
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
    return nodes;
  }

  private async runChildren(model: FolderModelImpl, metric: string): Promise<TreeNode[]> {
    const config = model.config?.metrics[metric];
    if (!config) return [];
    const builds = await this.states.recentRuns(model);
    const key = `${model.folder.uri.toString()}#${metric}`;
    const shown = this.runsShown.get(key) ?? RUNS_PAGE;
    const now = new Date();
    const nodes: TreeNode[] = [];
    const runs = builds.flatMap(({ build, outcomes }) => {
      const outcome = outcomes.find((o) => o.metric === metric);
      return outcome ? [{ build, outcome }] : [];
    });
    for (const { build, outcome } of runs.slice(0, shown)) {
      const view = buildRunView({ build, status: outcome.status, value: outcome.value, durationMs: outcome.durationMs, message: outcome.message, config, now });
      const item = new vscode.TreeItem(view.label, vscode.TreeItemCollapsibleState.None);
      item.id = `run:${model.folder.uri.toString()}:${metric}:${build.id}`;
      item.description = view.description;
      item.iconPath = icon(view.icon);
      item.tooltip = markdown(view.tooltip);
      item.contextValue = 'run';
      nodes.push({ kind: 'run', item });
    }
    if (runs.length > shown) {
      const older = Math.min(RUNS_PAGE, runs.length - shown);
      const more = message(vscode.l10n.t('Show more runs'), 'ellipsis', plural(older, vscode.l10n.t("Shows {0} older run of this metric. The report's Trends view has the whole history.", older), vscode.l10n.t("Shows {0} older runs of this metric. The report's Trends view has the whole history.", older)), {
        title: vscode.l10n.t('Show More Runs'),
        command: INTERNAL_COMMANDS.showMoreRuns,
        arguments: [key],
      });
      more.item.id = `more:${key}:${shown}`;
      nodes.push(more);
    } else if (runs.length > 0 && builds.length >= RECENT_RUNS_READ) {
      nodes.push(
        message(vscode.l10n.t('Older runs are in the report'), 'graph', vscode.l10n.t("Opens the report's Trends view with this metric's whole history."), {
          title: vscode.l10n.t('Open Report'),
          command: COMMANDS.openReport,
          arguments: [{ folder: model.folder.uri.toString(), view: 'trends', metric }],
        }),
      );
    }
    if (nodes.length === 0) nodes.push(message(vscode.l10n.t('No runs yet'), 'circle-outline', vscode.l10n.t('Run the metric to record a first value.')));
    return nodes;
  }
}

function metricKey(node: MetricNode): string {
  return `${node.folder}#${node.metric}`;
}
