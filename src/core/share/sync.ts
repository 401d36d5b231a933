/**
 * Publish, pull and sync: runs travel as git notes on the commit they measured.
 *
 * - publish: every clean local run of the shared events not yet in the notes ref is appended
 *   to its commit's note (only the lines that note does not have yet), then marked published
 *   in the store. With `push`, the ref is pushed; a rejected push fetches the remote's ref,
 *   merges it as a union of lines (cat_sort_uniq) and retries, bounded, with jitter.
 * - pull: fetches the remote's ref into refs/tidemark/remotes/<remote>/…, merges it into the
 *   local ref, then imports the notes added or changed since the last pull (all of them the
 *   first time). Runs already stored are skipped, so pulling twice is harmless.
 *
 * Every git failure becomes a ShareError with one clear line; nothing recorded locally is
 * lost (a run is marked published only once it is in the local notes ref).
 */
import {
  appendNote,
  changedNotes,
  fetchNotes,
  fullNotesRef,
  isGitRepository,
  listNotes,
  mergeNotes,
  notesRefFiles,
  pushNotes,
  readBlobs,
  readNote,
  refTip,
  refTips,
  remoteExists,
  trackingRef,
} from '../git/notes';
import type { SharedRun, StoreApi } from '../store/api';
import { silentLogger, type Logger, type RunEvent } from '../types';
import { encodeRun, MAX_NOTE_BYTES, parseNote, type NoteProblem } from './format';

export const DEFAULT_NOTES_REF = 'refs/notes/tidemark';
export const DEFAULT_REMOTE = 'origin';
export const DEFAULT_SHARED_EVENTS: RunEvent[] = ['ci', 'manual', 'backfill'];
/** The `source` field of lines Tidemark writes (Unentropy's field: who produced the line). */
export const NOTE_SOURCE = 'tidemark';

/** Sharing failed (no repository, no remote, no network, push refused): CLI exit code 4. */
export class ShareError extends Error {
  override name = 'ShareError';
}

export interface ShareOptions {
  /** Notes ref, default refs/notes/tidemark. */
  ref?: string;
  /** Remote name or URL, default origin. */
  remote?: string;
  logger?: Logger;
  /** Called for each skipped note line (untrusted input). */
  onProblem?: (problem: NoteProblem) => void;
}

export interface PublishOptions extends ShareOptions {
  /** Events whose clean runs are shared (default ci and manual; never save). */
  events?: RunEvent[];
  push?: boolean;
  /** Push attempts when the remote keeps moving (default DEFAULT_PUSH_ATTEMPTS). */
  maxAttempts?: number;
}

export interface PublishOutcome {
  ref: string;
  /** Runs newly written to notes. */
  published: number;
  /** Runs marked published without a line to write (no value, or already in the note). */
  alreadyShared: number;
  /** Runs whose commit is not in this repository (not published, retried next time). */
  missingCommits: string[];
  pushed: boolean;
  pushAttempts: number;
}

export interface PullOptions extends ShareOptions {
  /** Fetch from the remote first (default true); false = import what the local ref holds. */
  fetch?: boolean;
}

export interface PullOutcome {
  ref: string;
  /** The local notes commit imported up to (null: no notes yet). */
  tip: string | null;
  notesRead: number;
  imported: number;
  skipped: number;
  rejected: number;
  problems: NoteProblem[];
}

function refOf(options: ShareOptions): string {
  return fullNotesRef(options.ref ?? DEFAULT_NOTES_REF);
}

async function requireRepository(cwd: string): Promise<void> {
  if (!(await isGitRepository(cwd))) throw new ShareError(`${cwd} is not in a git repository: runs are shared through git notes`);
}

async function requireRemote(cwd: string, remote: string): Promise<void> {
  if (remote.startsWith('-')) throw new ShareError(`"${remote}" is not a remote name`);
  if (!(await remoteExists(cwd, remote))) throw new ShareError(`no git remote named "${remote}" (git remote -v lists them; set share.remote in tidemark.json or pass --remote)`);
}

/** Writes every clean run not yet shared into the local notes ref; pushes it when asked. */
export async function publishRuns(cwd: string, store: StoreApi, options: PublishOptions = {}): Promise<PublishOutcome> {
  await requireRepository(cwd);
  const ref = refOf(options);
  const remote = options.remote ?? DEFAULT_REMOTE;
  if (options.push) await requireRemote(cwd, remote);
  const events = (options.events ?? DEFAULT_SHARED_EVENTS).filter((e) => e !== 'save');
  const runs = await store.unpublishedRuns({ ref, events });
  const byCommit = new Map<string, SharedRun[]>();
  for (const run of runs) byCommit.set(run.commitSha, [...(byCommit.get(run.commitSha) ?? []), run]);
  const outcome: PublishOutcome = { ref, published: 0, alreadyShared: 0, missingCommits: [], pushed: false, pushAttempts: 0 };
  for (const [commit, commitRuns] of byCommit) {
    const note = await readNote(cwd, ref, commit);
    if (note === 'missing') {
      outcome.missingCommits.push(commit);
      continue;
    }
    const existing = new Set(note?.split('\n') ?? []);
    let text = '';
    for (const run of commitRuns) {
      const lines = encodeRun(run, NOTE_SOURCE);
      const fresh = lines.split('\n').filter((l) => l !== '' && !existing.has(l));
      if (fresh.length) {
        text += fresh.join('\n') + '\n';
        outcome.published++;
      } else {
        outcome.alreadyShared++;
      }
    }
    if (text) await appendNote(cwd, ref, commit, text);
    // Only now is it safe to say so: the lines are in the local ref.
    await store.markPublished(ref, commitRuns.map((r) => r.buildId!));
  }
  if (options.push) {
    const pushed = await pushWithRetry(cwd, remote, ref, options.maxAttempts ?? DEFAULT_PUSH_ATTEMPTS, options.logger ?? silentLogger);
    outcome.pushed = pushed.pushed;
    outcome.pushAttempts = pushed.attempts;
  }
  return outcome;
}

/**
 * Pushes the notes ref; when the remote moved on, fetches and unions it in, then tries again
 * after a random pause that doubles each time (so racing CI jobs spread out).
 */
/**
 * Push attempts before giving up (exit 4; the next sync retries). With the doubling random pause
 * (at most 3.2 s) twelve attempts ride out several publishers pushing at once on a busy machine.
 */
export const DEFAULT_PUSH_ATTEMPTS = 12;

export async function pushWithRetry(cwd: string, remote: string, ref: string, maxAttempts: number, logger: Logger = silentLogger): Promise<{ pushed: boolean; attempts: number }> {
  const full = fullNotesRef(ref);
  if (!(await refTip(cwd, full))) return { pushed: false, attempts: 0 };
  for (let attempt = 1; ; attempt++) {
    const result = await pushNotes(cwd, remote, full);
    if (result.ok) return { pushed: true, attempts: attempt };
    if (!result.rejected) throw new ShareError(`cannot push ${full} to ${remote}: ${result.message}`);
    if (attempt >= maxAttempts) {
      if (result.lockedBy) throw new ShareError(`cannot push ${full} to ${remote}: the remote's ref stays locked (${result.lockedBy} exists there) after ${attempt} attempts; if no push is running there, a killed one left the file: remove it on the remote, then run tidemark sync again`);
      throw new ShareError(`cannot push ${full} to ${remote}: still rejected after ${attempt} attempts (others keep pushing); run tidemark sync again`);
    }
    logger.info(`share: push of ${full} rejected (attempt ${attempt}); merging ${remote}'s notes and retrying`);
    await fetchAndMerge(cwd, remote, full);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** Math.min(attempt, 6)));
  }
}

/** Fetches and merges the remote's notes; returns the local tip afterwards (undefined: not known, no remote notes). */
async function fetchAndMerge(cwd: string, remote: string, ref: string): Promise<{ tip: string | null; local?: string | null }> {
  let tip: string | null;
  try {
    tip = await fetchNotes(cwd, remote, ref);
  } catch (err) {
    throw new ShareError((err as Error).message);
  }
  if (!tip) return { tip };
  try {
    const local = await mergeNotes(cwd, ref, trackingRef(remote, ref), { local: await refTip(cwd, fullNotesRef(ref)), other: tip });
    return { tip, local };
  } catch (err) {
    throw new ShareError((err as Error).message);
  }
}

/**
 * Fetches the remote's notes (unless `fetch: false`), merges them into the local ref and
 * imports every run not yet stored. Reads only the notes changed since the last pull.
 */
export async function pullNotes(cwd: string, store: StoreApi | Promise<StoreApi>, options: PullOptions = {}): Promise<PullOutcome> {
  const ref = refOf(options);
  const remote = options.remote ?? DEFAULT_REMOTE;
  if (options.fetch !== false) {
    await requireRepository(cwd);
    await requireRemote(cwd, remote);
    const fetched = await fetchAndMerge(cwd, remote, ref);
    return importNotes(cwd, store, { ...options, ref }, fetched.local);
  }
  // Both tips with one git call; a plain `git fetch` with Tidemark's refspec may have updated
  // the remote's copy: merge it in.
  const full = fullNotesRef(ref);
  const tracking = trackingRef(remote, ref);
  const tips = await refTips(cwd, [full, tracking]);
  const local = await mergeNotes(cwd, ref, tracking, { local: tips.get(full) ?? null, other: tips.get(tracking) ?? null });
  return importNotes(cwd, store, { ...options, ref }, local);
}

/** Imports the local notes ref into the store (no network). */
export async function importNotes(cwd: string, storeOrOpening: StoreApi | Promise<StoreApi>, options: ShareOptions = {}, knownTip?: string | null): Promise<PullOutcome> {
  const ref = refOf(options);
  const outcome: PullOutcome = { ref, tip: null, notesRead: 0, imported: 0, skipped: 0, rejected: 0, problems: [] };
  const tip = knownTip !== undefined ? knownTip : await refTip(cwd, ref);
  outcome.tip = tip;
  const store = await storeOrOpening;
  if (!tip) {
    await requireRepository(cwd);
    return outcome;
  }
  const previous = await store.pulledTip(ref);
  if (previous === tip) return outcome;
  const entries = (previous && (await changedNotes(cwd, previous, tip))) || (await listNotes(cwd, tip));
  const commitsByBlob = new Map<string, string[]>();
  for (const e of entries) commitsByBlob.set(e.blob, [...(commitsByBlob.get(e.blob) ?? []), e.commit]);
  const runs: SharedRun[] = [];
  const report = (problem: NoteProblem) => {
    if (outcome.problems.length < 1000) outcome.problems.push(problem);
    options.onProblem?.(problem);
  };
  // Oversized notes are known from cat-file's header and dropped as they stream past.
  await readBlobs(
    cwd,
    [...commitsByBlob.keys()],
    MAX_NOTE_BYTES,
    (blob, text) => {
      for (const commit of commitsByBlob.get(blob) ?? []) {
        outcome.notesRead++;
        const parsed = parseNote(commit, text);
        runs.push(...parsed.runs);
        parsed.problems.forEach(report);
      }
    },
    (blob, size) => {
      for (const commit of commitsByBlob.get(blob) ?? []) report({ commit, line: 0, message: `note of ${size} bytes is larger than ${MAX_NOTE_BYTES}; skipped` });
    },
  );
  const imported = await store.importShared({ ref, tip, runs });
  outcome.imported = imported.imported;
  outcome.skipped = imported.skipped;
  outcome.rejected = imported.rejected.length;
  for (const r of imported.rejected) report({ commit: r.commitSha, line: 0, message: `run ${r.runId} skipped: ${r.message}` });
  return outcome;
}

export interface SyncOutcome {
  publish: PublishOutcome;
  pull: PullOutcome;
}

/** Publish locally, fetch + merge, push (now usually a fast-forward), import. */
export async function syncNotes(cwd: string, store: StoreApi, options: PublishOptions = {}): Promise<SyncOutcome> {
  const ref = refOf(options);
  const remote = options.remote ?? DEFAULT_REMOTE;
  await requireRepository(cwd);
  await requireRemote(cwd, remote);
  const publish = await publishRuns(cwd, store, { ...options, ref, push: false });
  await fetchAndMerge(cwd, remote, ref);
  const pushed = await pushWithRetry(cwd, remote, ref, options.maxAttempts ?? DEFAULT_PUSH_ATTEMPTS, options.logger ?? silentLogger);
  publish.pushed = pushed.pushed;
  publish.pushAttempts = pushed.attempts;
  const pull = await importNotes(cwd, store, { ...options, ref });
  return { publish, pull };
}

/** What the editor watches to see new notes arrive (git fetch from a terminal or the Git UI). */
export async function notesRefWatch(cwd: string, ref: string = DEFAULT_NOTES_REF, remote: string = DEFAULT_REMOTE) {
  return notesRefFiles(cwd, ref, remote);
}

export { fullNotesRef, trackingRef };
