/**
 * "Which commit moved this metric?": change points of every numeric metric's series, per
 * branch, in commit order — the branch's first-parent line as git knows it — named by commit
 * with its subject and author. Runs of commits off that line (or of a repository git cannot
 * read) fall back to run-time order. Dirty runs are left out (they measure uncommitted work);
 * a commit measured several times counts once, with its latest value.
 */
import { commitDetails, firstParentOrder } from '../git/commits';
import { resolveRevision, RevisionError } from '../git/revisions';
import type { SeriesPoint, StoreApi } from '../store/api';
import { NO_GIT_SHA, type Unit } from '../types';
import { detectChangePoints, type ChangePointOptions } from './changePoints';

export interface MetricChange {
  metric: string;
  branch: string;
  commitSha: string;
  previousSha: string | null;
  before: number;
  after: number;
  relativeChange: number | null;
  unit: string | null;
  time: string;
  subject?: string;
  author?: string;
}

export interface FindChangesOptions extends Pick<ChangePointOptions, 'significance' | 'minSegment'> {
  metrics?: string[];
  branch?: string;
  /** ISO time: only changes at or after it (the series before it still informs detection). */
  since?: string;
}

/** Most commits of a branch's first-parent line read from git. */
const ORDER_LIMIT = 100_000;

export async function findChanges(store: StoreApi, cwd: string, options: FindChangesOptions = {}): Promise<MetricChange[]> {
  const definitions = (await store.definitions()).filter((d) => d.type === 'numeric');
  const wanted = options.metrics?.length ? definitions.filter((d) => options.metrics!.includes(d.id)) : definitions;
  const branches = options.branch !== undefined ? [options.branch] : (await store.branches()).map((b) => b.branch);
  const changes: MetricChange[] = [];
  for (const branch of branches) {
    const order = await commitOrder(store, cwd, branch);
    for (const definition of wanted) {
      const points = await store.series({ metric: definition.id, branch, dirty: false });
      const series = ordered(points, order);
      if (series.length === 0) continue;
      const found = detectChangePoints(series.map((p) => p.value as number), { significance: options.significance, minSegment: options.minSegment });
      for (const c of found) {
        const point = series[c.index];
        changes.push({
          metric: definition.id,
          branch,
          commitSha: point.commitSha,
          previousSha: series[c.index - 1]?.commitSha ?? null,
          before: c.before,
          after: c.after,
          relativeChange: c.relativeChange,
          unit: (definition.unit as Unit | null) ?? null,
          time: point.timestamp,
        });
      }
    }
  }
  const since = options.since;
  const kept = since === undefined ? changes : changes.filter((c) => c.time >= since);
  const details = await commitDetails(cwd, kept.map((c) => c.commitSha).filter((sha) => sha !== NO_GIT_SHA));
  for (const change of kept) {
    const d = details.get(change.commitSha);
    if (d) {
      change.subject = d.subject;
      change.author = d.author;
    }
  }
  return kept.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : a.metric.localeCompare(b.metric)));
}

/** Position of each commit on the branch's first-parent line (the branch as git has it, else its newest run's commit). */
async function commitOrder(store: StoreApi, cwd: string, branch: string): Promise<Map<string, number>> {
  let tip: string | null = null;
  try {
    tip = await resolveRevision(cwd, `refs/heads/${branch}`) ?? (await resolveRevision(cwd, `refs/remotes/origin/${branch}`));
  } catch (error) {
    if (!(error instanceof RevisionError)) throw error;
  }
  tip ??= (await store.resolveRef(branch))?.commitSha ?? null;
  const order = new Map<string, number>();
  if (!tip || tip === NO_GIT_SHA) return order;
  const commits = await firstParentOrder(cwd, tip, ORDER_LIMIT);
  commits.forEach((sha, i) => order.set(sha, i));
  return order;
}

/**
 * One numeric point per commit (its latest clean run), in first-parent order; when none of the
 * runs' commits is on the line (no git here), one point per run in run order.
 */
function ordered(points: SeriesPoint[], order: Map<string, number>): SeriesPoint[] {
  const numeric = points.filter((p) => typeof p.value === 'number' && Number.isFinite(p.value));
  const onLine = numeric.filter((p) => order.has(p.commitSha));
  if (onLine.length === 0) return order.size === 0 ? numeric : [];
  const latest = new Map<string, SeriesPoint>();
  for (const p of onLine) latest.set(p.commitSha, p); // oldest first: the last one wins
  return [...latest.values()].sort((a, b) => order.get(a.commitSha)! - order.get(b.commitSha)!);
}
