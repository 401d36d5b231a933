/**
 * Team history and the past: Pull Team History, Publish Runs (git notes, see
 * sharing/teamHistory.ts) and Measure History… (core backfill in temporary worktrees, the
 * report updating as each commit's run lands). Trusted workspaces only; long work shows
 * progress, failures end in the log and one clear message.
 */
import * as vscode from 'vscode';
import { backfill, type BackfillOutcome } from '../../core/backfill';
import { firstParentOrder } from '../../core/git/commits';
import { resolveRevision, type RevisionSelection } from '../../core/git/revisions';
import { ShareError } from '../../core/share';
import type { FolderModelImpl } from '../folders/folderModel';
import type { FolderRegistry } from '../folders/folderRegistry';
import { plural } from '../../shared/l10n';
import { errorText, shareConfig, type TeamHistory } from '../sharing/teamHistory';
import { configProblemsToast, restrictedToast } from '../common/toasts';
import { COMMANDS } from './ids';

interface Deps {
  registry: FolderRegistry;
  team: TeamHistory;
}

type NodeArg = { folder?: string } | undefined;

async function folderFor(deps: Deps, arg: NodeArg, placeHolder: string): Promise<FolderModelImpl | undefined> {
  if (!vscode.workspace.isTrusted) {
    restrictedToast(vscode.l10n.t('Restricted Mode: Tidemark runs no git or command.'));
    return undefined;
  }
  const fromNode = deps.registry.folderByUri(arg?.folder);
  if (fromNode) return fromNode;
  const models = deps.registry.folders().filter((m) => m.config);
  if (models.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No valid tidemark.json yet: create or fix one.'));
    return undefined;
  }
  if (models.length === 1) return models[0];
  const picked = await vscode.window.showQuickPick(models.map((m) => ({ label: m.folder.name, description: m.cwd, model: m })), { placeHolder });
  return picked?.model;
}

function sharingOff(model: FolderModelImpl): boolean {
  if (shareConfig(model).enabled) return false;
  const open = vscode.l10n.t('Open Config');
  // The setting is "share": { "enabled": false }; the button opens the file that has it.
  void vscode.window.showInformationMessage(vscode.l10n.t("Sharing is turned off in {0}'s tidemark.json.", model.folder.name), open).then((c) => {
    if (c === open) void vscode.commands.executeCommand(COMMANDS.openConfig, { folder: model.folder.uri.toString() });
  });
  return true;
}

/**
 * A sharing failure: one clear line (ShareError says what git said), details in the log.
 * `say` words the line around git's reason.
 */
function failed(deps: Deps, what: string, error: unknown, say: (reason: string) => string): void {
  deps.registry.log.error(`${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const reason = error instanceof ShareError ? error.message : errorText(error);
  void vscode.window.showErrorMessage(say(reason), vscode.l10n.t('Show Log')).then((c) => c && deps.registry.log.show());
}

async function pullTeamHistory(deps: Deps, arg: NodeArg): Promise<void> {
  const model = await folderFor(deps, arg, vscode.l10n.t('Pull the team history of which folder?'));
  if (!model || sharingOff(model)) return;
  const share = shareConfig(model);
  try {
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Tidemark: pulling {0} from {1}', share.ref, share.remote) },
      () => deps.team.pull(model),
    );
    const skipped = outcome.problems.length;
    const pulled = { count: outcome.imported, remote: share.remote, skipped };
    if (!outcome.tip) void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no team history yet: publish runs first.', share.remote));
    else if (skipped) {
      // The skipped lines and why are in the log.
      const showLog = vscode.l10n.t('Show Log');
      void vscode.window
        .showWarningMessage(plural(outcome.imported, vscode.l10n.t('Pulled {count} new run from {remote}; {skipped} skipped.', pulled), vscode.l10n.t('Pulled {count} new runs from {remote}; {skipped} skipped.', pulled)), showLog)
        .then((c) => c && deps.registry.log.show());
    } else void vscode.window.showInformationMessage(plural(outcome.imported, vscode.l10n.t('Pulled {count} new run from {remote}.', pulled), vscode.l10n.t('Pulled {count} new runs from {remote}.', pulled)));
  } catch (error) {
    failed(deps, `pulling the team history of ${model.folder.name}`, error, (reason) => vscode.l10n.t('Could not pull the team history: {0}', reason));
  }
}

async function publishRunsCommand(deps: Deps, arg: NodeArg): Promise<void> {
  const model = await folderFor(deps, arg, vscode.l10n.t('Publish the runs of which folder?'));
  if (!model || sharingOff(model)) return;
  const share = shareConfig(model);
  try {
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Tidemark: publishing runs to {0}', share.remote) },
      () => deps.team.publish(model),
    );
    const left = outcome.missingCommits.length;
    const published = { count: outcome.published, remote: share.remote, left };
    // Which events were published, the ref and the commits left for later are in the log.
    deps.registry.log.info(`${model.folder.name}: published ${outcome.published} runs (${share.events.join(', ')}, clean runs only) to ${share.remote} ${share.ref}; ${left} commits not in this clone left for later`);
    void vscode.window.showInformationMessage(
      left
        ? plural(outcome.published, vscode.l10n.t('Published {count} run to {remote}; {left} left for later.', published), vscode.l10n.t('Published {count} runs to {remote}; {left} left for later.', published))
        : plural(outcome.published, vscode.l10n.t('Published {count} run to {remote}.', published), vscode.l10n.t('Published {count} runs to {remote}.', published)),
    );
  } catch (error) {
    failed(deps, `publishing the runs of ${model.folder.name}`, error, (reason) => vscode.l10n.t('Could not publish runs: {0}', reason));
  }
}

/** The reference branch as a revision this clone has: the local branch, else the remote's. */
async function referenceRevision(model: FolderModelImpl): Promise<string | undefined> {
  const reference = await model.referenceBranch();
  for (const candidate of [reference, `origin/${reference}`, 'HEAD']) {
    if (await resolveRevision(model.cwd, candidate)) return candidate;
  }
  return undefined;
}

/** `what`: the choice in a sentence ("Measured {what}: …"). */
type RangeItem = vscode.QuickPickItem & { what: string; pick: () => Promise<RevisionSelection[] | undefined> };

/** The last N commits of `ref`'s first-parent line as selections (a root commit needs its own). */
async function lastCommits(model: FolderModelImpl, ref: string, n: number): Promise<RevisionSelection[]> {
  const commits = await firstParentOrder(model.cwd, ref, n);
  if (commits.length === 0) return [];
  const oldest = commits[0];
  const tip = commits[commits.length - 1];
  const parent = await resolveRevision(model.cwd, `${oldest}^1`);
  if (parent) return [{ range: `${parent}..${tip}`, firstParent: true }];
  return commits.length > 1 ? [{ range: oldest }, { range: `${oldest}..${tip}`, firstParent: true }] : [{ range: oldest }];
}

async function pickRange(model: FolderModelImpl): Promise<{ what: string; selections: RevisionSelection[]; branch: string } | undefined> {
  const ref = await referenceRevision(model);
  if (!ref) throw new Error(vscode.l10n.t('{0} has no commit to measure', model.folder.name));
  const branch = await model.referenceBranch();
  const last = (n: number): RangeItem => ({
    label: `$(history) ${vscode.l10n.t('Last {0} commits of {1}', n, branch)}`,
    description: vscode.l10n.t('first-parent line of {0}', ref),
    what: vscode.l10n.t('the last {0} commits of {1}', n, branch),
    pick: async () => lastCommits(model, ref, n),
  });
  const items: RangeItem[] = [
    last(10),
    last(30),
    last(100),
    { label: `$(tag) ${vscode.l10n.t('Every tagged commit')}`, description: vscode.l10n.t('git tags'), what: vscode.l10n.t('every tagged commit'), pick: async () => [{ tags: true }] },
    {
      label: `$(git-compare) ${vscode.l10n.t('A revision range…')}`,
      description: vscode.l10n.t('e.g. v1.0..main'),
      what: vscode.l10n.t('a revision range'),
      pick: async () => {
        const range = await vscode.window.showInputBox({
          title: vscode.l10n.t('Measure History: revision range'),
          prompt: vscode.l10n.t('A git revision range (A..B), or one revision; each commit is measured in a temporary worktree'),
          placeHolder: `v1.0..${branch}`,
          validateInput: (v) => (v.trim() === '' ? vscode.l10n.t('Type a range such as v1.0..main') : v.trim().startsWith('-') ? vscode.l10n.t('A revision cannot start with "-"') : undefined),
        });
        return range ? [{ range: range.trim(), firstParent: true }] : undefined;
      },
    },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Measure History of {0}', model.folder.name), placeHolder: vscode.l10n.t('Which commits to measure (commits already measured are skipped)') });
  if (!picked) return undefined;
  const selections = await picked.pick();
  return selections ? { what: picked.what, selections, branch } : undefined;
}

async function measureHistory(deps: Deps, arg: NodeArg): Promise<void> {
  const model = await folderFor(deps, arg, vscode.l10n.t('Measure the history of which folder?'));
  if (!model) return;
  const config = model.config;
  if (!config) {
    configProblemsToast(vscode.l10n.t("Fix the problems in {0}'s tidemark.json first.", model.folder.name));
    return;
  }
  const range = await pickRange(model);
  if (!range) return;
  const log = deps.registry.log;
  const store = await model.store();
  const total: BackfillOutcome = { commits: [], measured: 0, skipped: 0, failed: 0, values: 0 };
  let cancelled = false;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Tidemark: measuring {0}', range.what), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      for (const selection of range.selections) {
        try {
          const outcome = await backfill({
            cwd: model.cwd,
            store,
            config,
            selection,
            branch: range.branch,
            signal: controller.signal,
            logger: log,
            onProgress: (event) => {
              if (event.kind === 'planned') {
                progress.report({
                  message: plural(event.toMeasure, vscode.l10n.t('{0} commit to measure, {1} already measured', event.toMeasure, event.skipped), vscode.l10n.t('{0} commits to measure, {1} already measured', event.toMeasure, event.skipped)),
                });
              } else if (event.kind === 'start') {
                const commit = { index: event.index, total: event.total, sha: event.commitSha.slice(0, 7), subject: event.subject.slice(0, 60), minutes: event.etaMs === null ? 0 : Math.ceil(event.etaMs / 60_000) };
                progress.report({
                  message: event.etaMs === null ? vscode.l10n.t('commit {index} of {total}: {sha} {subject}', commit) : vscode.l10n.t('commit {index} of {total}: {sha} {subject}, about {minutes} min left', commit),
                });
              } else {
                progress.report({ increment: 100 / event.total / range.selections.length });
                log.info(`${model.folder.name}: backfill ${event.commit.commitSha.slice(0, 7)} ${event.commit.status}: ${event.commit.values} values, ${event.commit.failures} failures${event.commit.message ? ` (${event.commit.message})` : ''}`);
                // The report (and tree) update as each run lands.
                if (event.commit.status !== 'skipped') {
                  void store.builds({ commitSha: event.commit.commitSha, limit: 1 }).then(([b]) => b && deps.registry.notifyRecorded(model, b.build));
                }
              }
            },
          });
          total.commits.push(...outcome.commits);
          total.measured += outcome.measured;
          total.skipped += outcome.skipped;
          total.failed += outcome.failed;
          total.values += outcome.values;
        } catch (error) {
          if (controller.signal.aborted) {
            cancelled = true;
            return;
          }
          throw error;
        }
      }
    },
  );
  const values = plural(total.values, vscode.l10n.t('{0} value', total.values), vscode.l10n.t('{0} values', total.values));
  log.info(
    `${model.folder.name}: Measure History ${range.what}: ${total.measured} commits measured (${values}), ${total.skipped} already measured, ${total.failed} failed${cancelled ? ' (stopped)' : ''}`,
  );
  // The toast holds one line: what was measured and what failed; the rest is in the log.
  const counts = { measured: total.measured, failed: total.failed, skipped: total.skipped };
  const summary =
    total.measured === 0 && total.failed === 0
      ? plural(total.skipped, vscode.l10n.t('{skipped} commit already measured', counts), vscode.l10n.t('{skipped} commits already measured', counts))
      : total.failed
        ? plural(total.measured, vscode.l10n.t('{measured} commit measured, {failed} failed', counts), vscode.l10n.t('{measured} commits measured, {failed} failed', counts))
        : plural(total.measured, vscode.l10n.t('{measured} commit measured', counts), vscode.l10n.t('{measured} commits measured', counts));
  const openReport = vscode.l10n.t('Open Report');
  const showLog = vscode.l10n.t('Show Log');
  // Run Again asks for the range again; the commits measured already are skipped.
  const runAgain = vscode.l10n.t('Run Again');
  const choice = cancelled
    ? await vscode.window.showInformationMessage(
        plural(total.measured, vscode.l10n.t('Measure History stopped after {0} commit.', total.measured), vscode.l10n.t('Measure History stopped after {0} commits.', total.measured)),
        runAgain,
        openReport,
      )
    : total.failed
      ? await vscode.window.showWarningMessage(vscode.l10n.t('Measure History: {0}.', summary), openReport, showLog)
      : await vscode.window.showInformationMessage(vscode.l10n.t('Measure History: {0}.', summary), openReport);
  if (choice === runAgain) await vscode.commands.executeCommand(COMMANDS.measureHistory, { folder: model.folder.uri.toString() });
  else if (choice === openReport) await vscode.commands.executeCommand(COMMANDS.openReport, { folder: model.folder.uri.toString(), view: 'trends' });
  else if (choice === showLog) log.show();
}

export function registerHistoryCommands(deps: Deps): vscode.Disposable {
  const handlers = {
    [COMMANDS.pullTeamHistory]: pullTeamHistory,
    [COMMANDS.publishRuns]: publishRunsCommand,
    [COMMANDS.measureHistory]: measureHistory,
  };
  return vscode.Disposable.from(
    ...Object.entries(handlers).map(([id, handler]) =>
      vscode.commands.registerCommand(id, async (arg?: NodeArg) => {
        try {
          await handler(deps, arg && typeof arg === 'object' ? arg : undefined);
        } catch (error) {
          const name = id.replace(/^tidemark\./, '');
          failed(deps, name, error, (reason) => vscode.l10n.t('Tidemark: {0} failed: {1}', name, reason));
        }
      }),
    ),
  );
}
