/**
 * TEMPORARY stand-in for src/core/analysis/changes.ts (being written on another branch with
 * exactly this interface). Only the declarations the report uses, and a plain stub detector
 * (binary segmentation on the mean, ordered by the commit axis) so the report can be built
 * and tested now. Delete this file and point changes.ts's import at ../analysis/changes when
 * that module is on main.
 */
import type { StoreApi } from '../store/api';
import type { Unit } from '../types';
import { buildCommitAxis } from './commitAxis';

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

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** The noise of a series from its successive differences (a step moves one difference only). */
function noiseOf(values: readonly number[]): number {
  const diffs = values.slice(1).map((v, i) => Math.abs(v - values[i])).sort((a, b) => a - b);
  return diffs.length ? diffs[Math.floor(diffs.length / 2)] / 0.6745 / Math.SQRT2 : 0;
}

/** Indexes where the mean steps by more than 5 % and 5 × the noise. */
function steps(values: readonly number[], from: number, to: number, found: number[], noise = noiseOf(values)): void {
  if (to - from < 2) return;
  let best = -1;
  let bestGap = 0;
  for (let i = from + 1; i < to; i++) {
    const gap = Math.abs(mean(values.slice(from, i)) - mean(values.slice(i, to)));
    if (gap > bestGap) {
      best = i;
      bestGap = gap;
    }
  }
  if (best < 0) return;
  const left = values.slice(from, best);
  if (bestGap <= 5 * noise || bestGap <= 0.05 * Math.abs(mean(left))) return;
  found.push(best);
  steps(values, from, best, found, noise);
  steps(values, best, to, found, noise);
}

export async function findChanges(store: StoreApi, cwd: string, options: { metrics?: string[]; branch?: string; since?: string }): Promise<MetricChange[]> {
  const definitions = (await store.definitions()).filter((d) => d.type === 'numeric' && (!options.metrics || options.metrics.includes(d.id)));
  const changes: MetricChange[] = [];
  for (const d of definitions) {
    const points = (await store.series({ metric: d.id, branch: options.branch, since: options.since, dirty: false })).filter((p) => typeof p.value === 'number');
    const axis = await buildCommitAxis(cwd, options.branch ?? points[0]?.branch ?? 'main', points.map((p) => ({ sha: p.commitSha, branch: p.branch, time: Date.parse(p.timestamp), dirty: p.dirty })));
    const x = new Map((axis?.commits ?? []).map((c) => [c.sha, c]));
    const perCommit = new Map<string, (typeof points)[number]>();
    for (const p of [...points].sort((a, b) => a.timestamp.localeCompare(b.timestamp))) perCommit.set(p.commitSha, p);
    const ordered = [...perCommit.values()].sort((a, b) => (x.get(a.commitSha)?.x ?? Infinity) - (x.get(b.commitSha)?.x ?? Infinity) || a.timestamp.localeCompare(b.timestamp));
    const values = ordered.map((p) => p.value as number);
    const found: number[] = [];
    steps(values, 0, values.length, found);
    found.sort((a, b) => a - b);
    const bounds = [0, ...found, values.length];
    found.forEach((index, k) => {
      const before = mean(values.slice(bounds[k], index));
      const after = mean(values.slice(index, bounds[k + 2]));
      const p = ordered[index];
      const c = x.get(p.commitSha);
      changes.push({
        metric: d.id,
        branch: p.branch,
        commitSha: p.commitSha,
        previousSha: ordered[index - 1]?.commitSha ?? null,
        before,
        after,
        relativeChange: before !== 0 ? (after - before) / Math.abs(before) : null,
        unit: (d.unit as Unit | null) ?? null,
        time: p.timestamp,
        ...(c && { subject: c.subject, author: c.author }),
      });
    });
  }
  return changes;
}
