/**
 * The team's history in the editor, through git notes (docs/sharing.md):
 * - every git fetch brings the notes: with `tidemark.share.autoFetch` on (trusted workspaces
 *   only) the remote gets a fetch refspec `+refs/notes/tidemark*:refs/tidemark/remotes/<remote>/notes/tidemark*`
 *   (a wildcard, so a remote without notes never makes `git fetch` fail);
 * - a watcher on the common git directory (loose refs under refs/notes and refs/tidemark, and
 *   packed-refs) sees the remote's copy or the local notes ref move — `git fetch` / `git pull`
 *   in a terminal, VS Code's Git UI, `tidemark pull` — then merges the remote's copy into the
 *   local notes ref (union of lines) and imports the new lines into the folder's store;
 * - when the window gains focus, at most every FOCUS_FETCH_MS, the notes ref is fetched;
 * - Pull Team History / Publish Runs run the same core as `tidemark pull` / `tidemark publish --push`.
 * Each folder's git work runs one at a time (a queue), never in Restricted Mode.
 */
import * as vscode from 'vscode';
import { mergeNotes, notesRefFiles, runGit, trackingRef } from '../../core/git/notes';
import { importNotes, publishRuns, pullNotes, type NoteProblem, type PublishOutcome, type PullOutcome } from '../../core/share';
import type { ShareConfig } from '../../core/types';
import { Disposable } from '../common/disposable';
import type { FolderModelImpl } from '../folders/folderModel';
import type { FolderRegistry } from '../folders/folderRegistry';
import { folderSettings } from '../folders/settings';

export const SHARE_DEFAULTS: ShareConfig = { enabled: true, ref: 'refs/notes/tidemark', remote: 'origin', events: ['ci', 'manual', 'backfill'] };
/** The window gaining focus fetches the notes at most this often. */
export const FOCUS_FETCH_MS = 5 * 60_000;
const SETTLE_MS = 150;

export function shareConfig(model: FolderModelImpl): ShareConfig {
  return { ...SHARE_DEFAULTS, ...model.config?.share };
}

/** The fetch refspec that makes every `git fetch` from `remote` bring the notes ref too. */
export function notesRefspec(share: ShareConfig): string {
  const tracking = trackingRef(share.remote, share.ref);
  return `+${share.ref}*:${tracking}*`;
}

interface Watched {
  key: string;
  watcher: vscode.Disposable;
}

export class TeamHistory extends Disposable {
  private readonly watched = new Map<string, Watched>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Per folder: when the notes were last fetched (kept when a watcher is remade after a config edit). */
  private readonly lastFetch = new Map<string, number>();
  private updating = Promise.resolve();

  constructor(private readonly registry: FolderRegistry) {
    super();
    this.register(registry.onDidChangeFolders(() => this.update()));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()));
    this.register(
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused) this.fetchOnFocus();
      }),
    );
    this.update();
  }

  private get log(): vscode.LogOutputChannel {
    return this.registry.log;
  }

  /** Keeps one watcher per trusted, configured git folder that shares; set up one at a time. */
  private update(): void {
    this.updating = this.updating.then(() => this.sync()).catch((error) => this.log.error(`team history: ${String(error)}`));
  }

  private async sync(): Promise<void> {
    const wanted = new Map<string, FolderModelImpl>();
    if (vscode.workspace.isTrusted) {
      for (const model of this.registry.folders()) {
        if (model.config && shareConfig(model).enabled && (await model.isGitRepo())) wanted.set(model.folder.uri.toString(), model);
      }
    }
    for (const [uri, w] of this.watched) {
      const model = wanted.get(uri);
      if (!model || w.key !== this.keyOf(model)) {
        w.watcher.dispose();
        this.watched.delete(uri);
      }
    }
    for (const [uri, model] of wanted) {
      if (this.watched.has(uri)) continue;
      const watched = await this.watch(model);
      if (watched) {
        this.watched.set(uri, watched);
        // Notes fetched while the editor was closed.
        this.schedule(model);
        if (vscode.window.state.focused) this.fetchOnFocus();
      }
    }
  }

  private keyOf(model: FolderModelImpl): string {
    const share = shareConfig(model);
    return `${share.ref}\n${share.remote}\n${folderSettings(model.folder).autoFetch}`;
  }

  private async watch(model: FolderModelImpl): Promise<Watched | undefined> {
    const share = shareConfig(model);
    const files = await notesRefFiles(model.cwd, share.ref);
    if (!files) return undefined;
    if (folderSettings(model.folder).autoFetch) await this.ensureRefspec(model, share);
    const base = vscode.Uri.file(files.gitDir);
    const changed = () => this.schedule(model);
    const parts: vscode.Disposable[] = [];
    for (const pattern of ['refs/notes/**', 'refs/tidemark/**', 'packed-refs']) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, pattern));
      parts.push(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed));
    }
    this.log.info(`${model.folder.name}: watching ${share.ref} in ${files.gitDir} for the team's runs`);
    return { key: this.keyOf(model), watcher: vscode.Disposable.from(...parts) };
  }

  /** Adds the notes refspec to the remote once (a remote that does not exist is left alone). */
  private async ensureRefspec(model: FolderModelImpl, share: ShareConfig): Promise<void> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(share.remote)) return;
    const key = `remote.${share.remote}.fetch`;
    const url = await runGit(model.cwd, ['config', '--get', `remote.${share.remote}.url`]);
    if (url.code !== 0) return;
    const refspec = notesRefspec(share);
    const current = await runGit(model.cwd, ['config', '--get-all', key]);
    if (current.stdout.split('\n').includes(refspec)) return;
    const added = await runGit(model.cwd, ['config', '--add', key, refspec]);
    if (added.code === 0) this.log.info(`${model.folder.name}: added the fetch refspec ${refspec} to ${share.remote}, so every git fetch brings the team's runs (setting tidemark.share.autoFetch)`);
    else this.log.warn(`${model.folder.name}: could not add the fetch refspec ${refspec}: ${added.stderr.trim()}`);
  }

  private schedule(model: FolderModelImpl): void {
    const uri = model.folder.uri.toString();
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.enqueue(model, () => this.importFromGit(model)).catch((error) => this.log.warn(`${model.folder.name}: importing the team's runs failed: ${errorText(error)}`));
      }, SETTLE_MS),
    );
  }

  private enqueue<T>(model: FolderModelImpl, work: () => Promise<T>): Promise<T> {
    const uri = model.folder.uri.toString();
    const next = (this.queues.get(uri) ?? Promise.resolve()).catch(() => undefined).then(work);
    this.queues.set(uri, next);
    return next;
  }

  /** What git already has: the remote's copy merged into the local notes ref, new lines imported. */
  private async importFromGit(model: FolderModelImpl): Promise<PullOutcome | undefined> {
    if (!vscode.workspace.isTrusted || !model.config) return undefined;
    const share = shareConfig(model);
    await mergeNotes(model.cwd, share.ref, trackingRef(share.remote, share.ref));
    const outcome = await importNotes(model.cwd, await model.store(), { ref: share.ref, logger: this.log, onProblem: (p) => this.problem(model, p) });
    await this.imported(model, outcome);
    return outcome;
  }

  private problem(model: FolderModelImpl, problem: NoteProblem): void {
    const where = problem.line > 0 ? `, line ${problem.line}` : '';
    this.log.warn(`${model.folder.name}: note of commit ${problem.commit.slice(0, 12)}${where} skipped: ${JSON.stringify(problem.message).slice(1, -1)}`);
  }

  private async imported(model: FolderModelImpl, outcome: PullOutcome): Promise<void> {
    if (outcome.imported === 0) return;
    this.log.info(`${model.folder.name}: imported ${outcome.imported} runs from ${outcome.ref} (${outcome.notesRead} notes read, ${outcome.skipped} already here, ${outcome.rejected} refused)`);
    const [newest] = await (await model.store()).builds({ limit: 1 });
    if (newest) this.registry.notifyRecorded(model, newest.build);
    else this.registry.notifyChanged();
  }

  private fetchOnFocus(): void {
    const now = Date.now();
    for (const uri of this.watched.keys()) {
      const model = this.registry.folderByUri(uri);
      if (!model || !folderSettings(model.folder).autoFetch || now - (this.lastFetch.get(uri) ?? 0) < FOCUS_FETCH_MS) continue;
      this.lastFetch.set(uri, now);
      this.log.info(`${model.folder.name}: fetching the team's runs from ${shareConfig(model).remote} (window focus)`);
      void this.pull(model).catch((error) => this.log.warn(`${model.folder.name}: fetching the team's runs failed (retried later): ${errorText(error)}`));
    }
  }

  /** Fetch + merge + import (Pull Team History, focus). */
  pull(model: FolderModelImpl): Promise<PullOutcome> {
    return this.enqueue(model, async () => {
      const share = shareConfig(model);
      this.lastFetch.set(model.folder.uri.toString(), Date.now());
      const outcome = await pullNotes(model.cwd, await model.store(), { ref: share.ref, remote: share.remote, logger: this.log, onProblem: (p) => this.problem(model, p) });
      await this.imported(model, outcome);
      return outcome;
    });
  }

  /** Publish clean runs and push the notes ref (Publish Runs). */
  publish(model: FolderModelImpl): Promise<PublishOutcome> {
    return this.enqueue(model, async () => {
      const share = shareConfig(model);
      return publishRuns(model.cwd, await model.store(), { ref: share.ref, remote: share.remote, events: share.events, push: true, logger: this.log });
    });
  }

  override dispose(): void {
    for (const w of this.watched.values()) w.watcher.dispose();
    for (const t of this.timers.values()) clearTimeout(t);
    this.watched.clear();
    super.dispose();
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
