/**
 * Backfill: measure past commits, each in its own temporary `git worktree`, and record each as
 * a run with event "backfill" and the commit's committer time as the run's time, so a history
 * built today draws where the commits happened. Commits that already have a clean run are
 * skipped, which also makes an interrupted backfill resumable: run it again. A commit that
 * fails (setup broken, command missing, checkout impossible) is recorded or reported and the
 * backfill goes on; cancellation kills the running commands, removes the worktree and stops.
 */
import { collectAndRecord } from './engine';
import { addTemporaryWorktree, commitDetails, selectCommits, WorktreeError, type RevisionSelection } from './git';
import type { StoreApi } from './store/api';
import type { Logger, MetricResult, TidemarkConfig } from './types';
import { silentLogger } from './types';

export interface BackfillOptions {
  cwd: string;
  store: StoreApi;
  config: TidemarkConfig;
  selection: RevisionSelection;
  /** Branch the runs are recorded under (default: the reference branch). */
  branch: string;
  only?: string[];
  concurrency?: number;
  signal?: AbortSignal;
  logger?: Logger;
  onProgress?(event: BackfillProgress): void;
}

export type BackfillProgress =
  | { kind: 'planned'; total: number; toMeasure: number; skipped: number }
  | { kind: 'start'; index: number; total: number; commitSha: string; subject: string; etaMs: number | null }
  | { kind: 'done'; index: number; total: number; commit: BackfillCommit; etaMs: number | null };

export interface BackfillCommit {
  commitSha: string;
  subject: string;
  /** Committer time = the recorded run's time. */
  time: string;
  status: 'measured' | 'skipped' | 'failed';
  /** Metrics with a value. */
  values: number;
  /** Metrics without one (failed, timed out, invalid output). */
  failures: number;
  runNumber?: number;
  /** Why the commit could not be measured at all, or the first metric failure. */
  message?: string;
  durationMs: number;
}

export interface BackfillOutcome {
  commits: BackfillCommit[];
  measured: number;
  skipped: number;
  failed: number;
  values: number;
}

export async function backfill(o: BackfillOptions): Promise<BackfillOutcome> {
  const logger = o.logger ?? silentLogger;
  const shas = await selectCommits(o.cwd, o.selection);
  const details = await commitDetails(o.cwd, shas);
  const commits: BackfillCommit[] = [];
  const todo: string[] = [];
  for (const sha of shas) {
    const info = details.get(sha);
    if ((await o.store.builds({ commitSha: sha, dirty: false, limit: 1 })).length) {
      commits.push({ commitSha: sha, subject: info?.subject ?? '', time: info ? new Date(info.time).toISOString() : '', status: 'skipped', values: 0, failures: 0, durationMs: 0 });
    } else todo.push(sha);
  }
  o.onProgress?.({ kind: 'planned', total: shas.length, toMeasure: todo.length, skipped: shas.length - todo.length });
  const started = Date.now();
  for (let i = 0; i < todo.length; i++) {
    o.signal?.throwIfAborted();
    const sha = todo[i];
    const info = details.get(sha);
    const subject = info?.subject ?? '';
    const time = info ? new Date(info.time).toISOString() : new Date().toISOString();
    const eta = (done: number) => (done === 0 ? null : ((Date.now() - started) / done) * (todo.length - done));
    o.onProgress?.({ kind: 'start', index: i + 1, total: todo.length, commitSha: sha, subject, etaMs: eta(i) });
    const t0 = Date.now();
    const commit = await measureOne(o, sha, subject, time, logger);
    commit.durationMs = Date.now() - t0;
    commits.push(commit);
    o.onProgress?.({ kind: 'done', index: i + 1, total: todo.length, commit, etaMs: eta(i + 1) });
  }
  const order = new Map(shas.map((s, i) => [s, i]));
  commits.sort((a, b) => order.get(a.commitSha)! - order.get(b.commitSha)!);
  return {
    commits,
    measured: commits.filter((c) => c.status === 'measured').length,
    skipped: commits.filter((c) => c.status === 'skipped').length,
    failed: commits.filter((c) => c.status === 'failed').length,
    values: commits.reduce((n, c) => n + c.values, 0),
  };
}

async function measureOne(o: BackfillOptions, sha: string, subject: string, time: string, logger: Logger): Promise<BackfillCommit> {
  const base = { commitSha: sha, subject, time, durationMs: 0 };
  let worktree;
  try {
    worktree = await addTemporaryWorktree(o.cwd, sha, { prefix: 'tidemark-backfill-', logger });
  } catch (error) {
    if (!(error instanceof WorktreeError)) throw error;
    logger.warn(`backfill ${sha.slice(0, 7)}: ${error.message}`);
    return { ...base, status: 'failed', values: 0, failures: 0, message: `could not check it out: ${error.message}` };
  }
  try {
    const outcome = await collectAndRecord({
      cwd: worktree.path,
      config: o.config,
      store: o.store,
      event: 'backfill',
      branch: o.branch,
      timestamp: time,
      signal: o.signal,
      logger: o.logger,
      only: o.only,
      concurrency: o.concurrency,
    });
    const values = outcome.results.filter((r) => r.status === 'ok').length;
    const failed = outcome.results.filter((r) => r.status !== 'ok');
    return {
      ...base,
      status: values === 0 && failed.length > 0 ? 'failed' : 'measured',
      values,
      failures: failed.length,
      runNumber: outcome.build.runNumber,
      message: failed.length ? firstFailure(failed) : undefined,
    };
  } finally {
    await worktree.dispose();
  }
}

function firstFailure(failed: MetricResult[]): string {
  const f = failed[0];
  const text = (f.message ?? f.status).replace(/\s*\n\s*/g, ' ⏎ ');
  return `${f.metric}: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}
