/**
 * Team history and the past: Pull Team History, Publish Runs (git notes, see
 * sharing/teamHistory.ts) and Measure History… (core backfill in temporary worktrees, the
 * report updating as each commit's run lands). Trusted workspaces only; long work shows
 * progress, failures end in the log and one clear message.
 */
import * as vscode from 'vscode';
import { backfill, type BackfillOutcome } from '../../core/backfill';
import { firstParentOrder, resolveRevision, type RevisionSelection } from '../../core/git/revisions';
import { ShareError } from '../../core/share';
import type { FolderModelImpl } from '../folders/folderModel';
import type { FolderRegistry } from '../folders/folderRegistry';
import { plural } from '../common/plural';
import { errorText, shareConfig, type TeamHistory } from '../sharing/teamHistory';
import { COMMANDS } from './ids';

interface Deps {
  registry: FolderRegistry;
  team: TeamHistory;
}

type NodeArg = { folder?: string } | undefined;

async function folderFor(deps: Deps, arg: NodeArg, placeHolder: string): Promise<FolderModelImpl | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage('Tidemark runs no git or command in Restricted Mode. Trust the workspace first.');
    return undefined;
  }
  const fromNode = deps.registry.folderByUri(arg?.folder);
  if (fromNode) return fromNode;
  const models = deps.registry.folders().filter((m) => m.config);
  if (models.length === 0) {
    void vscode.window.showInformationMessage('No valid tidemark.json yet: run "Tidemark: Create Config".');
    return undefined;
  }
  if (models.length === 1) return models[0];
  const picked = await vscode.window.showQuickPick(models.map((m) => ({ label: m.folder.name, description: m.cwd, model: m })), { placeHolder });
  return picked?.model;
}

function sharingOff(model: FolderModelImpl): boolean {
  if (shareConfig(model).enabled) return false;
  void vscode.window.showInformationMessage(`Sharing is turned off in ${model.folder.name}'s tidemark.json ("share": { "enabled": false }).`);
  return true;
}

/** A sharing failure: one clear line (ShareError says what git said), details in the log. */
function failed(deps: Deps, what: string, error: unknown): void {
  deps.registry.log.error(`${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const message = error instanceof ShareError ? error.message : errorText(error);
  void vscode.window.showErrorMessage(`Tidemark: ${what} failed: ${message}`, 'Show Log').then((c) => c && deps.registry.log.show());
}

async function pullTeamHistory(deps: Deps, arg: NodeArg): Promise<void> {
  const model = await folderFor(deps, arg, 'Pull the team history of which folder?');
  if (!model || sharingOff(model)) return;
  const share = shareConfig(model);
  try {
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Tidemark: pulling ${share.ref} from ${share.remote}` },
      () => deps.team.pull(model),
    );
    const problems = outcome.problems.length ? ` ${plural(outcome.problems.length, 'line')} skipped (see the log).` : '';
    if (!outcome.tip) void vscode.window.showInformationMessage(`${share.remote} has no team history yet (${share.ref}). Publish runs to start it.`);
    else void vscode.window.showInformationMessage(`Pulled ${plural(outcome.imported, 'new run')} from ${share.remote} into ${model.folder.name}.${problems}`);
  } catch (error) {
    failed(deps, `pulling the team history of ${model.folder.name}`, error);
  }
}

async function publishRunsCommand(deps: Deps, arg: NodeArg): Promise<void> {
  const model = await folderFor(deps, arg, 'Publish the runs of which folder?');
  if (!model || sharingOff(model)) return;
  const share = shareConfig(model);
  try {
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Tidemark: publishing runs to ${share.remote}` },
      () => deps.team.publish(model),
    );
    const missing = outcome.missingCommits.length ? ` ${plural(outcome.missingCommits.length, 'commit')} not in this clone were left for later.` : '';
    void vscode.window.showInformationMessage(
      `Published ${plural(outcome.published, 'run')} of ${model.folder.name} (${share.events.join(' and ')}, clean runs only) and pushed ${share.ref} to ${share.remote}.${missing}`,
    );
  } catch (error) {
    failed(deps, `publishing the runs of ${model.folder.name}`, error);
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

type RangeItem = vscode.QuickPickItem & { pick: () => Promise<RevisionSelection[] | undefined> };

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

async function pickRange(model: FolderModelImpl): Promise<{ label: string; selections: RevisionSelection[]; branch: string } | undefined> {
  const ref = await referenceRevision(model);
  if (!ref) throw new Error(`${model.folder.name} has no commit to measure`);
  const branch = await model.referenceBranch();
  const last = (n: number): RangeItem => ({ label: `$(history) Last ${n} commits of ${branch}`, description: `first-parent line of ${ref}`, pick: async () => lastCommits(model, ref, n) });
  const items: RangeItem[] = [
    last(10),
    last(30),
    last(100),
    { label: '$(tag) Every tagged commit', description: 'git tags', pick: async () => [{ tags: true }] },
    {
      label: '$(git-compare) A revision range…',
      description: 'e.g. v1.0..main',
      pick: async () => {
        const range = await vscode.window.showInputBox({
          title: 'Measure History: revision range',
          prompt: 'A git revision range (A..B), or one revision; each commit is measured in a temporary worktree',
          placeHolder: `v1.0..${branch}`,
          validateInput: (v) => (v.trim() === '' ? 'Type a range such as v1.0..main' : v.trim().startsWith('-') ? 'A revision cannot start with "-"' : undefined),
        });
        return range ? [{ range: range.trim(), firstParent: true }] : undefined;
      },
    },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Measure History of ${model.folder.name}`, placeHolder: 'Which commits to measure (commits already measured are skipped)' });
  if (!picked) return undefined;
  const selections = await picked.pick();
  return selections ? { label: picked.label.replace(/^\$\([a-z-]+\) /, '').replace(/^./, (c) => c.toLowerCase()), selections, branch } : undefined;
}

async function measureHistory(deps: Deps, arg: NodeArg): Promise<void> {
  const model = await folderFor(deps, arg, 'Measure the history of which folder?');
  if (!model) return;
  const config = model.config;
  if (!config) {
    void vscode.window.showErrorMessage(`tidemark.json in ${model.folder.name} has problems; fix them to measure history.`);
    return;
  }
  const range = await pickRange(model);
  if (!range) return;
  const log = deps.registry.log;
  const store = await model.store();
  const total: BackfillOutcome = { commits: [], measured: 0, skipped: 0, failed: 0, values: 0 };
  let cancelled = false;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Tidemark: measuring ${range.label}`, cancellable: true },
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
                progress.report({ message: `${plural(event.toMeasure, 'commit')} to measure, ${event.skipped} already measured` });
              } else if (event.kind === 'start') {
                const eta = event.etaMs === null ? '' : `, about ${Math.ceil(event.etaMs / 60_000)} min left`;
                progress.report({ message: `commit ${event.index} of ${event.total}: ${event.commitSha.slice(0, 7)} ${event.subject.slice(0, 60)}${eta}` });
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
  const summary = `${plural(total.measured, 'commit')} measured (${plural(total.values, 'value')}), ${total.skipped} already measured, ${total.failed} failed`;
  log.info(`${model.folder.name}: Measure History ${range.label}: ${summary}${cancelled ? ' (stopped)' : ''}`);
  const openReport = 'Open Report';
  const choice = cancelled
    ? await vscode.window.showInformationMessage(`Measure History stopped: ${summary}. Run it again to continue where it stopped.`, openReport)
    : total.failed
      ? await vscode.window.showWarningMessage(`Measured ${range.label}: ${summary} (see the log).`, openReport, 'Show Log')
      : await vscode.window.showInformationMessage(`Measured ${range.label}: ${summary}.`, openReport);
  if (choice === openReport) await vscode.commands.executeCommand(COMMANDS.openReport, { folder: model.folder.uri.toString(), view: 'trends' });
  else if (choice === 'Show Log') log.show();
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
          failed(deps, id.replace(/^tidemark\./, ''), error);
        }
      }),
    ),
  );
}
