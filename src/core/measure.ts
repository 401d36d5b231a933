/**
 * Relative mode: measure the baseline commit on this machine, now, so a comparison is not
 * skewed by a different CI runner or an old toolchain. The commit is checked out in a
 * temporary detached `git worktree`; the user's working tree, index and branches are never
 * touched, and the worktree is removed whatever happens (success, failure, cancellation).
 */
import { shortSha } from './analysis/baseline';
import { collectAndRecord, type CollectAndRecordOutcome } from './engine';
import { addTemporaryWorktree, checkedOut, defaultBranch, mergeBase, referenceRef, resolveCommit, WorktreeError, type TemporaryWorktree } from './git';
import type { StoreApi } from './store/api';
import type { Logger, MetricResult, TidemarkConfig } from './types';
import { silentLogger } from './types';

export interface MeasureBaselineOptions {
  cwd: string;
  store: StoreApi;
  config: TidemarkConfig;
  /** Measure this commit instead of the one the baseline rules pick. */
  commit?: string;
  signal?: AbortSignal;
  logger?: Logger;
  only?: string[];
  concurrency?: number;
  onStart?(metric: string, pid: number | undefined): void;
  onResult?(result: MetricResult): void;
}

export interface MeasureBaselineOutcome extends CollectAndRecordOutcome {
  commitSha: string;
  referenceBranch: string;
  /** How the measured commit was chosen, for messages. */
  reason: string;
  /** Where the commit was checked out (already removed). */
  worktree: string;
}

export class MeasureBaselineError extends Error {}

/** The commit relative mode measures: the merge-base off the reference branch, the parent on it. */
async function targetCommit(o: MeasureBaselineOptions, referenceBranch: string): Promise<{ sha: string; reason: string }> {
  if (o.commit) {
    const sha = await resolveCommit(o.cwd, o.commit);
    if (!sha) throw new MeasureBaselineError(`"${o.commit}" is not a commit in this repository`);
    return { sha, reason: `commit ${o.commit}` };
  }
  const checked = await checkedOut(o.cwd);
  if (!checked) throw new MeasureBaselineError(`${o.cwd} is not a git repository with commits`);
  const head = checked.sha;
  if (checked.branch === referenceBranch) {
    const parent = await resolveCommit(o.cwd, `${head}^`);
    if (!parent) throw new MeasureBaselineError(`HEAD is the first commit of ${referenceBranch}: there is no earlier commit to measure`);
    return { sha: parent, reason: `previous commit on ${referenceBranch}` };
  }
  const ref = await referenceRef(o.cwd, referenceBranch);
  if (!ref) throw new MeasureBaselineError(`reference branch "${referenceBranch}" does not exist here (neither locally nor on origin)`);
  const base = await mergeBase(o.cwd, head, ref);
  if (!base) throw new MeasureBaselineError(`HEAD and ${referenceBranch} have no common ancestor, so there is no merge-base to measure`);
  return { sha: base, reason: `merge-base of HEAD and ${referenceBranch}` };
}

export async function measureBaseline(o: MeasureBaselineOptions): Promise<MeasureBaselineOutcome> {
  const logger = o.logger ?? silentLogger;
  o.signal?.throwIfAborted();
  const referenceBranch = o.config.baseline.referenceBranch ?? (await defaultBranch(o.cwd));
  if (!referenceBranch) throw new MeasureBaselineError('no reference branch: set baseline.referenceBranch in tidemark.json');
  const target = await targetCommit(o, referenceBranch);
  o.signal?.throwIfAborted();

  logger.info(`measuring ${shortSha(target.sha)} (${target.reason}) in a temporary worktree`);
  let worktree: TemporaryWorktree;
  try {
    worktree = await addTemporaryWorktree(o.cwd, target.sha, { prefix: 'tidemark-baseline-', logger });
  } catch (error) {
    if (error instanceof WorktreeError) throw new MeasureBaselineError(error.message);
    throw error;
  }
  try {
    const outcome = await collectAndRecord({
      cwd: worktree.path,
      config: o.config,
      store: o.store,
      event: 'manual',
      branch: referenceBranch,
      signal: o.signal,
      logger: o.logger,
      only: o.only,
      concurrency: o.concurrency,
      onStart: o.onStart,
      onResult: o.onResult,
    });
    return { ...outcome, commitSha: target.sha, referenceBranch, reason: target.reason, worktree: worktree.path };
  } finally {
    await worktree.dispose();
  }
}
