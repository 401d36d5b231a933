/**
 * Command handlers. Each takes an optional tree node (inline actions, context menus) and
 * otherwise asks which folder when the workspace has several.
 */
import * as vscode from 'vscode';
import { measureBaseline } from '../../core/measure';
import { createConfig } from '../folders/createConfig';
import type { FolderModelImpl } from '../folders/folderModel';
import type { FolderRegistry } from '../folders/folderRegistry';
import type { Runner, RunCompletion } from '../run/runner';
import type { StatusBar } from '../views/statusBar/statusBar';
import { relativeTime, relativeTimeInSentence } from '../common/time';
import { list, plural } from '../../shared/l10n';
import { configProblemsToast, restrictedToast } from '../common/toasts';
import { COMMANDS, type CommandId } from './ids';

/** What tree nodes (and callers such as tests) pass: a folder URI string and maybe a metric. */
type NodeArg = { folder?: string; metric?: string } | undefined;

interface Deps {
  registry: FolderRegistry;
  runner: Runner;
  statusBar: StatusBar;
}

async function pickFolder(models: readonly FolderModelImpl[], placeHolder: string): Promise<FolderModelImpl | undefined> {
  if (models.length <= 1) return models[0];
  const picked = await vscode.window.showQuickPick(
    models.map((m) => ({ label: m.folder.name, description: m.cwd, model: m })),
    { placeHolder },
  );
  return picked?.model;
}

/** The folder a command applies to: the tree node's, else the only one, else the user's pick. */
async function targetFolder(deps: Deps, arg: NodeArg, placeHolder: string): Promise<FolderModelImpl | undefined> {
  const fromNode = deps.registry.folderByUri(arg?.folder);
  if (fromNode) return fromNode;
  const models = deps.registry.folders();
  if (models.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No tidemark.json yet: run "Tidemark: Create Config".'));
    return undefined;
  }
  return pickFolder(models, placeHolder);
}

/** Runs with progress in a notification whose Cancel stops the run; reports failures once. */
async function runInteractively(deps: Deps, models: FolderModelImpl[], metrics?: string[]): Promise<void> {
  const outcomes = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Tidemark: running metrics'), cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => deps.runner.stop());
      progress.report({ message: list(metrics ?? models.map((m) => m.folder.name)) });
      return Promise.all(models.map(async (model) => [model, await deps.runner.run(model, { metrics, trigger: 'manual' })] as const));
    },
  );
  reportOutcomes(deps, outcomes);
}

function reportOutcomes(deps: Deps, outcomes: readonly (readonly [FolderModelImpl, RunCompletion])[]): void {
  // One toast per reason (folders refused for the same reason say it once), with the button that fixes it.
  const refusals = new Map(outcomes.flatMap(([, o]) => (o.kind === 'refused' ? [[o.reason, o.cause] as const] : [])));
  for (const [reason, cause] of refusals) {
    if (cause === 'restricted') restrictedToast(reason);
    else if (cause === 'config-problems') configProblemsToast(reason);
    else void vscode.window.showErrorMessage(reason);
  }
  const failed = outcomes.flatMap(([model, o]) =>
    o.kind === 'recorded' ? o.results.filter((r) => r.status !== 'ok').map((r) => (outcomes.length > 1 ? `${model.folder.name}/${r.metric}` : r.metric)) : [],
  );
  const total = outcomes.reduce((n, [, o]) => n + (o.kind === 'recorded' ? o.results.length : 0), 0);
  if (failed.length) {
    const message = plural(total, vscode.l10n.t('{0} of {1} metric failed: {2}.', failed.length, total, list(failed)), vscode.l10n.t('{0} of {1} metrics failed: {2}.', failed.length, total, list(failed)));
    void vscode.window.showWarningMessage(message, vscode.l10n.t('Show Log')).then((choice) => {
      if (choice) deps.registry.log.show();
    });
  }
}

async function runAll(deps: Deps, arg: NodeArg): Promise<void> {
  const fromNode = deps.registry.folderByUri(arg?.folder);
  const models = fromNode ? [fromNode] : [...deps.registry.folders()];
  if (models.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No tidemark.json yet: run "Tidemark: Create Config".'));
    return;
  }
  let chosen = models;
  if (models.length > 1) {
    const all = { label: `$(folder-library) ${vscode.l10n.t('All folders')}`, models };
    const picked = await vscode.window.showQuickPick([all, ...models.map((m) => ({ label: m.folder.name, description: m.cwd, models: [m] }))], {
      placeHolder: vscode.l10n.t('Run all metrics of which folder?'),
    });
    if (!picked) return;
    chosen = picked.models;
  }
  await runInteractively(deps, chosen);
}

async function runMetric(deps: Deps, arg: NodeArg): Promise<void> {
  const fromNode = deps.registry.folderByUri(arg?.folder);
  if (fromNode && arg?.metric) return runInteractively(deps, [fromNode], [arg.metric]);
  const models = fromNode ? [fromNode] : deps.registry.folders().filter((m) => m.config);
  const multi = models.length > 1;
  const items = models.flatMap((model) =>
    Object.entries(model.config?.metrics ?? {}).map(([id, m]) => ({
      label: id,
      description: multi ? model.folder.name : m.name,
      detail: m.command,
      model,
    })),
  );
  if (items.length === 0) {
    const open = vscode.l10n.t('Open Config');
    void vscode.window.showInformationMessage(vscode.l10n.t('No metric to run: add one to tidemark.json.'), open).then((c) => {
      if (c === open) void vscode.commands.executeCommand(COMMANDS.openConfig, fromNode ? { folder: fromNode.folder.uri.toString() } : undefined);
    });
    return;
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Run which metric?'), matchOnDetail: true });
  if (picked) await runInteractively(deps, [picked.model], [picked.label]);
}

async function compareBranches(deps: Deps, arg: NodeArg): Promise<void> {
  const model = await targetFolder(deps, arg, vscode.l10n.t('Compare branches of which folder?'));
  if (!model) return;
  const store = await model.historyStore();
  if (!store) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No runs are recorded for {0} yet.', model.folder.name));
    return;
  }
  const [branches, builds, reference, current] = await Promise.all([
    store.branches(),
    store.builds({ limit: 50 }),
    model.referenceBranch(),
    model.currentBranch().catch(() => undefined),
  ]);
  if (builds.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No runs of {0} yet: run the metrics first.', model.folder.name));
    return;
  }
  const now = new Date();
  type RefItem = vscode.QuickPickItem & { ref?: string };
  const commits = new Map<string, RefItem>();
  for (const { build } of builds) {
    if (!commits.has(build.commitSha) && /^[0-9a-f]{40}$/.test(build.commitSha) && build.commitSha !== '0'.repeat(40)) {
      commits.set(build.commitSha, { label: `$(git-commit) ${build.commitSha.slice(0, 7)}`, description: `${build.branch} · ${relativeTime(build.timestamp, now)}`, ref: build.commitSha });
    }
  }
  const items = (first: string | undefined): RefItem[] => {
    const sorted = [...branches].sort((a, b) => Number(b.branch === first) - Number(a.branch === first));
    return [
      { label: vscode.l10n.t('Branches'), kind: vscode.QuickPickItemKind.Separator },
      ...sorted.map((b) => ({ label: `$(git-branch) ${b.branch}`, description: plural(b.builds, vscode.l10n.t('{0} run · last {1}', b.builds, relativeTimeInSentence(b.lastRun, now)), vscode.l10n.t('{0} runs · last {1}', b.builds, relativeTimeInSentence(b.lastRun, now))), ref: b.branch })),
      { label: vscode.l10n.t('Commits'), kind: vscode.QuickPickItemKind.Separator },
      ...commits.values(),
    ];
  };
  const base = await vscode.window.showQuickPick(items(reference), { title: vscode.l10n.t('Compare Branches (1/2)'), placeHolder: vscode.l10n.t('Base: the branch or commit to compare against') });
  if (!base?.ref) return;
  const head = await vscode.window.showQuickPick(items(current), { title: vscode.l10n.t('Compare Branches (2/2)'), placeHolder: vscode.l10n.t('Head: compared with {0}', base.ref) });
  if (!head?.ref) return;
  await vscode.commands.executeCommand(COMMANDS.openReport, { folder: model.folder.uri.toString(), view: 'compare', base: base.ref, head: head.ref });
}

async function selectStatusBarMetric(deps: Deps, arg: NodeArg): Promise<void> {
  let model = deps.registry.folderByUri(arg?.folder);
  let metric = arg?.metric;
  if (!model || !metric) {
    const models = deps.registry.folders().filter((m) => m.config);
    const multi = models.length > 1;
    const items = models.flatMap((m) =>
      Object.entries(m.config?.metrics ?? {})
        .filter(([, c]) => c.type === 'numeric')
        .map(([id, c]) => ({ label: id, description: multi ? m.folder.name : c.name, model: m })),
    );
    if (items.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no numeric metric to show in the status bar.'));
      return;
    }
    const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Show which metric in the status bar?') });
    if (!picked) return;
    model = picked.model;
    metric = picked.label;
  }
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  await vscode.workspace
    .getConfiguration('tidemark', model.folder.uri)
    .update('statusBar.metric', metric, multiRoot ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace);
  deps.statusBar.pin(model);
}

async function createConfigCommand(deps: Deps, arg: NodeArg): Promise<void> {
  const all = deps.registry.allFolders();
  if (all.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a folder first: Tidemark measures a folder.'));
    return;
  }
  const fromNode = deps.registry.folderByUri(arg?.folder);
  const unconfigured = all.filter((m) => !m.hasConfigFile);
  const model = fromNode ?? (await pickFolder(unconfigured.length ? unconfigured : all, vscode.l10n.t('Create tidemark.json in which folder?')));
  if (model) await createConfig(deps.registry, model);
}

async function openConfig(deps: Deps, arg: NodeArg): Promise<void> {
  const model = await targetFolder(deps, arg, vscode.l10n.t('Open the tidemark.json of which folder?'));
  if (model) await vscode.window.showTextDocument(model.configUri);
}

async function clearHistory(deps: Deps, arg: NodeArg): Promise<void> {
  const model = await targetFolder(deps, arg, vscode.l10n.t('Clear the history of which folder?'));
  if (!model) return;
  const store = await model.historyStore();
  const builds = store ? (await store.stats()).builds : 0;
  if (!store || builds === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no recorded runs.', model.folder.name));
    return;
  }
  const action = plural(builds, vscode.l10n.t('Delete {0} Run', builds), vscode.l10n.t('Delete {0} Runs', builds));
  const choice = await vscode.window.showWarningMessage(
    plural(builds, vscode.l10n.t('Delete the {0} recorded run of {1}?', builds, model.folder.name), vscode.l10n.t('Delete all {0} recorded runs of {1}?', builds, model.folder.name)),
    { modal: true, detail: vscode.l10n.t('Every value and outcome of these runs is deleted. Export the history first to keep a copy. This cannot be undone.') },
    action,
  );
  if (choice !== action) return;
  const deleted = await store.clearHistory();
  deps.registry.log.info(`${model.folder.name}: deleted ${deleted} runs`);
  deps.registry.notifyChanged();
  void vscode.window.showInformationMessage(plural(deleted, vscode.l10n.t('Deleted {0} run of {1}.', deleted, model.folder.name), vscode.l10n.t('Deleted {0} runs of {1}.', deleted, model.folder.name)));
}

async function exportHistory(deps: Deps, arg: NodeArg): Promise<void> {
  const model = await targetFolder(deps, arg, vscode.l10n.t('Export the history of which folder?'));
  if (!model) return;
  // Nothing to export: say so before asking where to write it.
  const store = await model.historyStore();
  if (!store || (await store.stats()).builds === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No runs are recorded for {0} yet.', model.folder.name));
    return;
  }
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export Tidemark History'),
    defaultUri: vscode.Uri.joinPath(model.folder.uri, `tidemark-history-${model.folder.name}.jsonl`),
    filters: { [vscode.l10n.t('JSON Lines')]: ['jsonl'] },
    saveLabel: vscode.l10n.t('Export'),
  });
  if (!target) return;
  const lines = await store.exportJsonl(target.fsPath);
  deps.registry.log.info(`${model.folder.name}: exported ${lines} lines to ${target.fsPath}`);
  void vscode.window.showInformationMessage(plural(lines, vscode.l10n.t('Exported {0} value to {1}.', lines, target.fsPath), vscode.l10n.t('Exported {0} values to {1}.', lines, target.fsPath)));
}

/**
 * Relative mode: runs the metrics at the baseline commit (the merge-base, or the previous commit
 * on the reference branch) in a temporary git worktree and records the clean runs, so the
 * comparison is made on this machine, now.
 */
async function measureBaselineNow(deps: Deps, arg: NodeArg): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    restrictedToast(vscode.l10n.t('Restricted Mode: Tidemark runs no command.'));
    return;
  }
  const model = await targetFolder(deps, arg, vscode.l10n.t('Measure the baseline of which folder?'));
  if (!model) return;
  const config = model.config;
  if (!config) {
    configProblemsToast(vscode.l10n.t("Fix the problems in {0}'s tidemark.json first.", model.folder.name));
    return;
  }
  const store = await model.store();
  const log = deps.registry.log;
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Tidemark: measuring the baseline of {0}', model.folder.name), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      try {
        return await measureBaseline({
          cwd: model.cwd,
          store,
          config,
          signal: controller.signal,
          logger: log,
          onStart: (metric) => progress.report({ message: metric }),
        });
      } catch (error) {
        if (controller.signal.aborted) return undefined;
        throw error;
      }
    },
  );
  if (!outcome) {
    log.info(`${model.folder.name}: measuring the baseline was cancelled`);
    return;
  }
  deps.registry.notifyRecorded(model, outcome.build);
  const failed = outcome.results.filter((r) => r.status !== 'ok').map((r) => r.metric);
  const sha = outcome.commitSha.slice(0, 7);
  log.info(`${model.folder.name}: measured baseline ${sha} (${outcome.reason}) as run #${outcome.build.runNumber}`);
  // Toasts are one line of ~60 characters: the reason and the failed metrics are in the log.
  const measured = outcome.results.length;
  if (failed.length) {
    log.warn(`${model.folder.name}: at the baseline ${sha} these metrics failed: ${failed.join(', ')}`);
    void vscode.window
      .showWarningMessage(
        plural(measured, vscode.l10n.t('Baseline {0}: {1} of {2} metric failed.', sha, failed.length, measured), vscode.l10n.t('Baseline {0}: {1} of {2} metrics failed.', sha, failed.length, measured)),
        vscode.l10n.t('Show Log'),
      )
      .then((c) => c && log.show());
  } else {
    void vscode.window.showInformationMessage(plural(measured, vscode.l10n.t('Measured the baseline {0}: {1} metric.', sha, measured), vscode.l10n.t('Measured the baseline {0}: {1} metrics.', sha, measured)));
  }
}

/** Errors from handlers end in the log and one message, never an unhandled rejection. */
function guarded(deps: Deps, name: string, handler: (deps: Deps, arg: NodeArg) => Promise<void>) {
  return async (arg?: NodeArg) => {
    try {
      await handler(deps, arg && typeof arg === 'object' ? arg : undefined);
    } catch (error) {
      deps.registry.log.error(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Tidemark: {0}', error instanceof Error ? error.message : String(error)), vscode.l10n.t('Show Log')).then((c) => c && deps.registry.log.show());
    }
  };
}

export function registerCommands(deps: Deps): vscode.Disposable {
  const handlers: Partial<Record<CommandId, (deps: Deps, arg: NodeArg) => Promise<void>>> = {
    [COMMANDS.runAll]: runAll,
    [COMMANDS.runMetric]: runMetric,
    [COMMANDS.compareBranches]: compareBranches,
    [COMMANDS.selectStatusBarMetric]: selectStatusBarMetric,
    [COMMANDS.createConfig]: createConfigCommand,
    [COMMANDS.openConfig]: openConfig,
    [COMMANDS.clearHistory]: clearHistory,
    [COMMANDS.exportHistory]: exportHistory,
    [COMMANDS.measureBaseline]: measureBaselineNow,
  };
  return vscode.Disposable.from(
    ...Object.entries(handlers).map(([name, handler]) => vscode.commands.registerCommand(name, guarded(deps, name, handler))),
    vscode.commands.registerCommand(COMMANDS.stop, () => deps.runner.stop()),
    vscode.commands.registerCommand(COMMANDS.showLog, () => deps.registry.log.show()),
    // Restricted Mode's way out, offered in the Metrics view's title bar and its first row.
    vscode.commands.registerCommand(COMMANDS.manageTrust, () => vscode.commands.executeCommand('workbench.trust.manage')),
  );
}
