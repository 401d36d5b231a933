/**
 * The Trends commit axis: the measured commits of the reference branch in first-parent order
 * take positions 0, 1, 2…; another branch's own commits follow the position of its fork
 * point, in its first-parent order. Positions count measured commits only, so a backfill
 * with --every 10 is as readable as one of every commit. Each position carries what the
 * ticks and tooltips show: tag or short sha, subject, author, committer time.
 */
import { commitDetails, existingCommits, firstParentOrder } from '../git/commits';
import { referenceTip } from '../git/history';
import type { AxisCommit } from '../../shared/protocol';

/** A run as the axis needs it. */
export interface AxisRun {
  sha: string;
  branch: string;
  time: number;
  dirty: boolean;
}

/** Walks per branch (one per line of history its runs are on) and commits per walk. */
const MAX_WALKS = 20;
const MAX_BRANCH_COMMITS = 20_000;

export interface CommitAxis {
  commits: AxisCommit[];
  /** The runs the axis was built from (for the span of a query). */
  runs: AxisRun[];
  /** Measured commits git does not know here (another clone's history, rewritten branches). */
  unplaced: number;
}

/**
 * Positions for the commits of `runs` (sha and the branch they were recorded on); null when
 * the reference branch is not in this repository (or there is no git).
 */
export async function buildCommitAxis(cwd: string, referenceBranch: string, runs: AxisRun[]): Promise<CommitAxis | null> {
  // The reference branch's tip: the same ref the baseline rules use.
  const tip = (await referenceTip(cwd, referenceBranch))?.sha;
  if (!tip) return null;
  const measured = new Set(runs.map((r) => r.sha));
  const known = await existingCommits(cwd, [...measured]);
  const chain = await firstParentOrder(cwd, tip);
  const chainIndex = new Map(chain.map((sha, i) => [sha, i]));
  const placed = new Map<string, { x: number; branch: string }>();
  // The reference branch: measured commits of its chain, in chain order.
  const onChain = [...known].filter((sha) => chainIndex.has(sha)).sort((a, b) => chainIndex.get(a)! - chainIndex.get(b)!);
  onChain.forEach((sha, x) => placed.set(sha, { x, branch: referenceBranch }));
  /** The position of the last measured reference commit at or before chain index `i` (-1: none). */
  const positionAt = (i: number) => {
    let lo = 0;
    let hi = onChain.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (chainIndex.get(onChain[mid])! <= i) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  // Other branches: their own commits after the fork point.
  const byBranch = new Map<string, Set<string>>();
  for (const r of runs) {
    if (!known.has(r.sha) || chainIndex.has(r.sha)) continue;
    const set = byBranch.get(r.branch) ?? new Set<string>();
    set.add(r.sha);
    byBranch.set(r.branch, set);
  }
  for (const [branch, shas] of byBranch) {
    // Walk back along first parents from each measured commit not yet placed until the
    // reference chain (the fork point); the walk is the branch's own commits in order.
    for (let walks = 0; walks < MAX_WALKS; walks++) {
      const next = [...shas].find((sha) => !placed.has(sha));
      if (!next) break;
      const walk = (await firstParentOrder(cwd, next, MAX_BRANCH_COMMITS)).reverse();
      const forkAt = walk.findIndex((sha) => chainIndex.has(sha));
      const own = (forkAt < 0 ? walk : walk.slice(0, forkAt)).reverse().filter((sha) => shas.has(sha));
      const start = forkAt < 0 ? -1 : positionAt(chainIndex.get(walk[forkAt])!);
      own.forEach((sha, k) => {
        if (!placed.has(sha)) placed.set(sha, { x: start + 1 + k, branch });
      });
      if (!placed.has(next)) shas.delete(next);
    }
  }
  const details = await commitDetails(cwd, [...placed.keys()]);
  const commits: AxisCommit[] = [];
  for (const [sha, p] of placed) {
    const d = details.get(sha);
    commits.push({ sha, x: p.x, branch: p.branch, tag: d?.tag ?? null, subject: d?.subject ?? '', author: d?.author ?? '', time: d?.time ?? 0 });
  }
  commits.sort((a, b) => a.x - b.x || (a.branch === referenceBranch ? -1 : b.branch === referenceBranch ? 1 : a.branch.localeCompare(b.branch)));
  return { commits, runs, unplaced: [...measured].filter((sha) => !placed.has(sha)).length };
}

/** One cached axis per folder, rebuilt when the reference branch moves or the runs change (`version`). */
const cache = new Map<string, { key: string; axis: Promise<CommitAxis | null> }>();

export async function cachedCommitAxis(cwd: string, referenceBranch: string, version: string, runs: () => Promise<AxisRun[]>): Promise<CommitAxis | null> {
  const key = `${referenceBranch}\n${(await referenceTip(cwd, referenceBranch))?.sha ?? null}\n${version}`;
  const hit = cache.get(cwd);
  if (hit && hit.key === key) return hit.axis;
  const axis = runs().then((list) => buildCommitAxis(cwd, referenceBranch, list));
  cache.set(cwd, { key, axis });
  axis.catch(() => cache.delete(cwd));
  return axis;
}
