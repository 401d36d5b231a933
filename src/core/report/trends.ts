/**
 * Trend series for the report's charts: raw points for short histories, per-bucket
 * min / max / mean / last for long ones, so that no series carries more than about two
 * points per horizontal pixel and spikes stay visible.
 *
 * Pure functions over data already read from somewhere: the extension host feeds them raw
 * points from `store.series` for short ranges and rollup buckets from `store.rollupSeries`
 * for long ones (ReportBackend.trends); the standalone HTML aggregates its inlined runs into
 * the same calendar buckets (bucketsFromPoints). Both therefore draw the same picture.
 */
import type { RollupGrain, RollupPoint } from '../store/api';
import type { MetricValue } from '../types';
import type { AxisCommit, MetricInfo, NumericLine, RunRow, TrendSeries, TrendsModel, TrendsQuery } from '../../shared/protocol';

const DAY_MS = 86_400_000;
const RANGE_DAYS = { '7d': 7, '30d': 30, '90d': 90 } as const;
/** Labels beyond this many distinct values are folded into "other". */
const MAX_LABELS = 8;
/** Distinct bars a label chart shows at most, and the pixels each one needs. */
const MAX_LABEL_BARS = 60;
const PX_PER_LABEL_BAR = 10;

export interface TrendPoint {
  time: number;
  value: MetricValue;
  run: RunRow;
}

export interface TrendWindow {
  from: number;
  to: number;
}

/**
 * The time span a query shows. `now` is when the data was read; `history` is the first and
 * last run in the store, which range `all` spans (so every chart shares one x axis).
 */
export function resolveWindow(query: TrendsQuery, now: number, history: { first: number | null; last: number | null }): TrendWindow {
  let from: number;
  let to: number;
  if (query.range === 'all') {
    from = history.first ?? now;
    to = history.last ?? now;
  } else if (query.range === 'custom') {
    from = query.since ?? history.first ?? now;
    to = query.until ?? now;
  } else {
    from = now - RANGE_DAYS[query.range] * DAY_MS;
    to = now;
  }
  // A single run (or none) still needs a visible span around it.
  return to > from ? { from, to } : { from: from - DAY_MS / 2, to: to + DAY_MS / 2 };
}

function round6(n: number): number {
  return Number(n.toPrecision(6));
}

/**
 * One branch's numeric points (sorted by time) as line data: raw while there is at most one
 * point per pixel, else one bucket per two pixels carrying min and max (two points per
 * bucket), mean and the last run. This is the one place that decides the resolution, so
 * pre-aggregated rollups can replace the per-point pass without touching the views.
 */
export function bucketLine(branch: string, points: TrendPoint[], from: number, to: number, width: number): NumericLine {
  const numeric = points.filter((p): p is TrendPoint & { value: number } => typeof p.value === 'number' && Number.isFinite(p.value));
  if (numeric.length <= width) {
    return { branch, bucketed: false, x: numeric.map((p) => p.time), y: numeric.map((p) => p.value), run: numeric.map((p) => p.run.id) };
  }
  const buckets = Math.max(1, Math.floor(width / 2));
  const bucketMs = Math.max(1, to - from) / buckets;
  const line: NumericLine & { b: number[]; min: number[]; max: number[]; last: number[]; count: number[] } = {
    branch,
    bucketed: true,
    b: [],
    bucketMs,
    y: [],
    min: [],
    max: [],
    last: [],
    count: [],
    run: [],
  };
  let current = -1;
  let sum = 0;
  const close = () => {
    const i = line.b.length - 1;
    line.y.push(round6(sum / line.count[i]));
    line.min[i] = round6(line.min[i]);
    line.max[i] = round6(line.max[i]);
    line.last[i] = round6(line.last[i]);
  };
  for (const p of numeric) {
    const index = Math.min(buckets - 1, Math.max(0, Math.floor((p.time - from) / bucketMs)));
    if (index !== current) {
      if (current >= 0) close();
      current = index;
      sum = 0;
      line.b.push(index);
      line.min.push(p.value);
      line.max.push(p.value);
      line.count.push(0);
      line.last.push(p.value);
      line.run.push(p.run.id);
    }
    const i = line.b.length - 1;
    sum += p.value;
    line.count[i]++;
    if (p.value < line.min[i]) line.min[i] = p.value;
    if (p.value > line.max[i]) line.max[i] = p.value;
    line.last[i] = p.value;
    line.run[i] = p.run.id;
  }
  if (current >= 0) close();
  return line;
}

/** Nominal bucket length per rollup grain (a month counted as its mean length). */
const GRAIN_MS: Record<RollupGrain, number> = { hour: 3_600_000, day: DAY_MS, week: 7 * DAY_MS, month: 30.436875 * DAY_MS };
const GRAIN_ORDER: RollupGrain[] = ['hour', 'day', 'week', 'month'];

/**
 * The finest rollup grain whose buckets over the window fit the chart (one bucket per two
 * pixels, as bucketLine), or null when even months are too many (then raw points are bucketed).
 */
export function rollupGrain(from: number, to: number, width: number): RollupGrain | null {
  const buckets = Math.max(1, Math.floor(width / 2));
  // +1: the window rarely starts on a bucket boundary, so it touches one bucket more.
  return GRAIN_ORDER.find((grain) => Math.ceil(Math.max(1, to - from) / GRAIN_MS[grain]) + 1 <= buckets) ?? null;
}

/**
 * One branch's rollup buckets (store.rollupSeries, oldest first) as the same bucketed line
 * bucketLine makes from raw points: per bucket mean, min, max, last and the last run's id.
 * Buckets sit on calendar boundaries, so their centres go in `x` (clamped into the window).
 */
export function rollupLine(branch: string, points: RollupPoint[], grain: RollupGrain, from: number, to: number): NumericLine {
  const bucketMs = GRAIN_MS[grain];
  const line: NumericLine & { x: number[]; min: number[]; max: number[]; last: number[]; count: number[] } = {
    branch,
    bucketed: true,
    x: [],
    bucketMs,
    y: [],
    min: [],
    max: [],
    last: [],
    count: [],
    run: [],
  };
  for (const p of points) {
    if (p.carried || p.count === 0 || p.min === null || p.max === null || p.sum === null || typeof p.last !== 'number') continue;
    line.x.push(Math.round(Math.min(to, Math.max(from, Date.parse(p.bucketStart) + bucketMs / 2))));
    line.y.push(round6(p.sum / p.count));
    line.min.push(round6(p.min));
    line.max.push(round6(p.max));
    line.last.push(round6(p.last));
    line.count.push(p.count);
    line.run.push(p.lastBuildId);
  }
  return line;
}

/**
 * Raw points aggregated the way the store's rollups aggregate them (one bucket per
 * `bucketStart(time)`): how the standalone export, which inlines raw runs only, draws the
 * same buckets the panel reads from the rollups. Points sorted by time.
 */
export function bucketsFromPoints(points: TrendPoint[], bucketStart: (time: number) => number): RollupPoint[] {
  const buckets: RollupPoint[] = [];
  let current = Number.NaN;
  for (const p of points) {
    if (typeof p.value !== 'number' || !Number.isFinite(p.value)) continue;
    const start = bucketStart(p.time);
    const at = new Date(p.time).toISOString();
    const b = buckets[buckets.length - 1];
    if (start !== current || !b) {
      current = start;
      buckets.push({ bucketStart: new Date(start).toISOString(), count: 1, failures: 0, min: p.value, max: p.value, sum: p.value, mean: p.value, first: p.value, last: p.value, firstAt: at, lastAt: at, lastBuildId: p.run.id });
      continue;
    }
    b.count++;
    b.min = Math.min(b.min!, p.value);
    b.max = Math.max(b.max!, p.value);
    b.sum = b.sum! + p.value;
    b.mean = b.sum / b.count;
    b.last = p.value;
    b.lastAt = at;
    b.lastBuildId = p.run.id;
  }
  return buckets;
}

/** The x positions of a line's points (bucket centres for bucketed lines). */
export function lineX(line: NumericLine, from: number): number[] {
  if (line.x) return line.x;
  const bucketMs = line.bucketMs ?? 0;
  return (line.b ?? []).map((b) => Math.round(from + (b + 0.5) * bucketMs));
}

/** Per-bucket label counts (bucket starts ascending) as a stacked distribution: top labels, the rest as "other". */
function labelDistribution(metric: MetricInfo, x: number[], bucketMs: number, perBucket: Map<string, number>[]): TrendSeries {
  const totals = new Map<string, number>();
  for (const bucket of perBucket) for (const [label, n] of bucket) totals.set(label, (totals.get(label) ?? 0) + n);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label]) => label);
  const labels = ranked.slice(0, MAX_LABELS);
  const hasOther = ranked.length > MAX_LABELS;
  const row = new Map(labels.map((label, i) => [label, i]));
  const counts = Array.from({ length: labels.length + (hasOther ? 1 : 0) }, () => new Array<number>(x.length).fill(0));
  perBucket.forEach((bucket, i) => {
    for (const [label, n] of bucket) counts[row.get(label) ?? labels.length][i] += n;
  });
  const points = [...totals.values()].reduce((sum, n) => sum + n, 0);
  return { kind: 'label', metric, points, x, bucketMs, labels, counts, hasOther };
}

function labelSeries(metric: MetricInfo, points: TrendPoint[], from: number, to: number, width: number): TrendSeries {
  const bars = Math.max(1, Math.min(MAX_LABEL_BARS, Math.floor(width / PX_PER_LABEL_BAR)));
  const bucketMs = Math.max(1, (to - from) / bars);
  const perBucket = Array.from({ length: bars }, () => new Map<string, number>());
  for (const p of points) {
    const bucket = perBucket[Math.min(bars - 1, Math.max(0, Math.floor((p.time - from) / bucketMs)))];
    bucket.set(String(p.value), (bucket.get(String(p.value)) ?? 0) + 1);
  }
  const x = Array.from({ length: bars }, (_, i) => Math.round(from + i * bucketMs));
  return labelDistribution(metric, x, bucketMs, perBucket);
}

/** A label metric read from rollups (long ranges): one bar per calendar bucket, at its start. */
function rolledLabelSeries(metric: MetricInfo, rolled: RolledLabels): TrendSeries {
  const buckets = rolled.buckets.filter((b) => !b.carried && b.labels);
  return labelDistribution(
    metric,
    buckets.map((b) => Date.parse(b.bucketStart)),
    GRAIN_MS[rolled.grain],
    buckets.map((b) => new Map(Object.entries(b.labels!))),
  );
}

/**
 * Label values aggregated into per-bucket label counts the way the store's label rollups
 * count them: how the standalone export draws the buckets the panel reads. Points sorted by time.
 */
export function labelBucketsFromPoints(points: TrendPoint[], bucketStart: (time: number) => number): RollupPoint[] {
  const buckets: RollupPoint[] = [];
  for (const p of points) {
    if (typeof p.value !== 'string') continue;
    const start = new Date(bucketStart(p.time)).toISOString();
    const at = new Date(p.time).toISOString();
    let b = buckets[buckets.length - 1];
    if (!b || b.bucketStart !== start) {
      b = { bucketStart: start, count: 0, failures: 0, min: null, max: null, sum: null, mean: null, first: p.value, last: p.value, firstAt: at, lastAt: at, lastBuildId: p.run.id, labels: {} };
      buckets.push(b);
    }
    b.count++;
    b.labels![p.value] = (b.labels![p.value] ?? 0) + 1;
    Object.assign(b, { last: p.value, lastAt: at, lastBuildId: p.run.id });
  }
  return buckets;
}

/** A label metric's rollup buckets (with per-label counts) at one grain. */
export interface RolledLabels {
  grain: RollupGrain;
  buckets: RollupPoint[];
}

export interface MetricPoints {
  metric: MetricInfo;
  /** Sorted by time. */
  points: TrendPoint[];
  /** Branches read from rollups (long ranges): their lines, already bucketed, and how many values they hold. */
  rolled?: { lines: NumericLine[]; values: number };
  /** Label metrics over a long range: the distribution comes from these buckets instead of `points`. */
  rolledLabels?: RolledLabels;
}

/**
 * The Trends view model from the requested metrics' points inside the window. `knownRuns`
 * details the runs rolled-up lines point at; a run missing from it was deleted by retention.
 */
export function assembleTrends(query: TrendsQuery, window: TrendWindow, metrics: MetricPoints[], knownRuns?: Map<number, RunRow>): TrendsModel {
  const { from, to } = window;
  const runs = new Map<number, RunRow>();
  const series: TrendSeries[] = metrics.map(({ metric, points, rolled, rolledLabels }) => {
    if (metric.type === 'label' && rolledLabels) return rolledLabelSeries(metric, rolledLabels);
    const inside = points.filter((p) => p.time >= from && p.time <= to);
    if (metric.type === 'label') return labelSeries(metric, inside, from, to, query.width);
    const byBranch = new Map<string, TrendPoint[]>();
    for (const p of inside) {
      const list = byBranch.get(p.run.branch);
      if (list) list.push(p);
      else byBranch.set(p.run.branch, [p]);
    }
    const lines = [...byBranch.entries()].map(([branch, list]) => bucketLine(branch, list, from, to, query.width));
    const byId = new Map(inside.map((p) => [p.run.id, p.run]));
    for (const line of lines) for (const id of line.run) runs.set(id, byId.get(id)!);
    for (const line of rolled?.lines ?? []) {
      for (const id of line.run) {
        const run = knownRuns?.get(id);
        if (run) runs.set(id, run);
      }
    }
    const all = rolled ? [...lines, ...rolled.lines] : lines;
    return { kind: 'numeric', metric, points: inside.length + (rolled?.values ?? 0), lines: all };
  });
  return { query, from, to, series, runs: [...runs.values()].sort((a, b) => a.time - b.time) };
}

/**
 * The Trends view model on the commit axis: each branch's line has one point per measured
 * commit (its newest run in the window) at the commit's axis position, in axis order. Runs
 * of commits without a position are left out and counted in `axisNote`. Label metrics keep
 * their time buckets (a distribution has no single commit).
 */
export function assembleCommitTrends(query: TrendsQuery, window: TrendWindow, metrics: MetricPoints[], axis: AxisCommit[], referenceBranch: string, span?: { from: number; to: number }): TrendsModel {
  const { from, to } = window;
  const position = new Map(axis.map((c) => [c.sha, c]));
  const runs = new Map<number, RunRow>();
  const used = new Set<AxisCommit>();
  let unplaced = 0;
  let lo = Infinity;
  let hi = -Infinity;
  const series: TrendSeries[] = metrics.map(({ metric, points }) => {
    const inside = points.filter((p) => p.time >= from && p.time <= to);
    if (metric.type === 'label') return labelSeries(metric, inside, from, to, query.width);
    const byBranch = new Map<string, Map<number, TrendPoint & { value: number }>>();
    for (const p of inside) {
      if (typeof p.value !== 'number' || !Number.isFinite(p.value)) continue;
      const commit = position.get(p.run.sha);
      if (!commit) {
        unplaced++;
        continue;
      }
      const line = byBranch.get(p.run.branch) ?? new Map<number, TrendPoint & { value: number }>();
      byBranch.set(p.run.branch, line);
      const seen = line.get(commit.x);
      // Several runs of one commit: the newest stands for it.
      if (!seen || seen.run.sha !== p.run.sha || seen.time <= p.time) line.set(commit.x, p as TrendPoint & { value: number });
      used.add(commit);
    }
    let count = 0;
    const lines: NumericLine[] = [...byBranch.entries()].map(([branch, byX]) => {
      const xs = [...byX.keys()].sort((a, b) => a - b);
      count += xs.length;
      for (const x of xs) {
        const run = byX.get(x)!.run;
        runs.set(run.id, run);
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      return { branch, bucketed: false, x: xs, y: xs.map((x) => byX.get(x)!.value), run: xs.map((x) => byX.get(x)!.run.id) };
    });
    // A branch is drawn from its fork point: its line starts at the reference's point there.
    const reference = lines.find((l) => l.branch === referenceBranch);
    for (const line of lines) {
      if (line === reference || !reference) continue;
      const first = runs.get(line.run[0])!;
      if (position.get(first.sha)?.branch !== line.branch) continue;
      const at = reference.x!.indexOf(line.x![0] - 1);
      if (at < 0) continue;
      line.x!.unshift(reference.x![at]);
      line.y.unshift(reference.y[at]);
      line.run.unshift(reference.run[at]);
    }
    return { kind: 'numeric', metric, points: count, lines };
  });
  const commits = [...used].sort((a, b) => a.x - b.x);
  const note = unplaced > 0 ? `${unplaced} value${unplaced === 1 ? '' : 's'} of commits this clone does not have are not drawn on the commit axis` : undefined;
  return {
    query,
    from: span?.from ?? (Number.isFinite(lo) ? lo : 0),
    to: span?.to ?? (Number.isFinite(hi) ? hi : 0),
    series,
    runs: [...runs.values()].sort((a, b) => a.time - b.time),
    commits,
    ...(note && { axisNote: note }),
  };
}

/**
 * The commit-axis span every chart of a query shares: the positions of the runs inside the
 * window on the requested branches (so charts line up whichever metrics a reply carries).
 */
export function commitSpan(query: TrendsQuery, window: TrendWindow, axis: AxisCommit[], runs: { sha: string; branch: string; time: number; dirty: boolean }[]): { from: number; to: number } | undefined {
  const position = new Map(axis.map((c) => [c.sha, c.x]));
  const branches = query.branches.length ? new Set(query.branches) : undefined;
  let from = Infinity;
  let to = -Infinity;
  for (const r of runs) {
    if (r.time < window.from || r.time > window.to || (branches && !branches.has(r.branch)) || (!query.includeDirty && r.dirty)) continue;
    const x = position.get(r.sha);
    if (x === undefined) continue;
    from = Math.min(from, x);
    to = Math.max(to, x);
  }
  return Number.isFinite(from) ? { from, to } : undefined;
}
