/**
 * Answers report requests inside an exported HTML file from its inlined snapshot. Trends go
 * through the same assembleTrends as the host, and long ranges are bucketed on the same
 * calendar grain the host reads from the rollups, so the file draws what the panel draws
 * (runs deleted by retention aside: the file inlines the stored runs only).
 */
import { assembleCommitTrends, assembleTrends, bucketsFromPoints, commitSpan, labelBucketsFromPoints, resolveWindow, rollupGrain, rollupLine, type MetricPoints, type TrendPoint, type TrendWindow } from '../src/core/report/trends';
import { Bucketer, type Grain as RollupGrain } from '../src/core/buckets';
import { l10n } from '../src/shared/l10n';
import {
  describeIssues,
  standaloneSnapshotSchema,
  type CompareModel,
  type MetricInfo,
  type ReportReplies,
  type ReportRequest,
  type RunDetail,
  type RunRow,
  type StandaloneSnapshot,
  type TrendsModel,
  type TrendsQuery,
} from '../src/shared/protocol';

export const SNAPSHOT_ELEMENT_ID = 'tidemark-data';

export function readInlinedSnapshot(): StandaloneSnapshot | undefined {
  const node = document.getElementById(SNAPSHOT_ELEMENT_ID);
  if (!node) return undefined;
  const parsed = standaloneSnapshotSchema.safeParse(JSON.parse(node.textContent ?? 'null'));
  if (!parsed.success) throw new Error(l10n.t('The report data in this file is damaged: {0}', describeIssues(parsed.error)));
  return parsed.data;
}

export class StandaloneBackend {
  constructor(readonly snapshot: StandaloneSnapshot) {}

  handle(request: ReportRequest): ReportReplies[ReportRequest['kind']] {
    switch (request.kind) {
      case 'overview':
        return this.snapshot.overview;
      case 'trends':
        return this.trends(request.query);
      case 'compare':
        return this.compare(request.base, request.head);
      case 'run':
        return this.run(request.buildId);
      case 'changes':
        return this.snapshot.changes ?? { changes: [], note: l10n.t('This file was exported without change points.') };
    }
  }

  private trends(query: TrendsQuery): TrendsModel {
    const { runs, values, metrics } = this.snapshot;
    const branches = query.branches.length ? new Set(query.branches) : undefined;
    const history = { first: runs.length ? runs[0].time : null, last: runs.length ? runs[runs.length - 1].time : null };
    const window = resolveWindow(query, this.snapshot.meta.generatedAt, history);
    const wanted = query.metrics ? new Set(query.metrics) : undefined;
    if (query.axis === 'commit') {
      const axis = this.snapshot.commits;
      if (axis) return this.commitTrends(query, window, axis);
      return { ...this.trends({ ...query, axis: 'time' }), query, axisNote: l10n.t('exported without git history: drawn by time') };
    }
    // Long ranges: the panel reads whole rollup buckets (the first one may start before the window).
    const grain = rollupGrain(window.from, window.to, query.width);
    const bucketer = new Bucketer(this.snapshot.timeZone ?? 'UTC');
    const bucketStart = (time: number) => bucketer.start(time, grain!);
    const series: MetricPoints[] = [];
    metrics.forEach((metric, m) => {
      if (wanted && !wanted.has(metric.id)) return;
      const rolls = grain !== null;
      const lo = rolls ? bucketStart(window.from) : window.from;
      const points: TrendPoint[] = [];
      runs.forEach((run, i) => {
        if (run.time < lo || (!rolls && run.time > window.to)) return;
        const value = values[m][i];
        if (value === null) return;
        if (branches && !branches.has(run.branch)) return;
        if (!query.includeDirty && run.dirty) return;
        if (!fromOrigin(query, run)) return;
        points.push({ time: run.time, value, run });
      });
      if (!rolls) series.push({ metric, points });
      else if (metric.type === 'label') series.push(this.rollUpLabels(metric, points, query, window, grain, bucketStart));
      else series.push(this.rollUp(metric, points, query, window, grain, bucketStart));
    });
    const limits = this.snapshot.limits;
    return { ...assembleTrends(query, window, series, new Map(runs.map((r) => [r.id, r]))), ...(limits && { limits }) };
  }

  /** As ReportBackend.commitTrends: every inlined run of the requested metrics, placed by commit. */
  private commitTrends(query: TrendsQuery, window: TrendWindow, axis: NonNullable<StandaloneSnapshot['commits']>): TrendsModel {
    const { runs, values, metrics } = this.snapshot;
    const branches = query.branches.length ? new Set(query.branches) : undefined;
    const series: MetricPoints[] = [];
    metrics.forEach((metric, m) => {
      if (query.metrics && !query.metrics.includes(metric.id)) return;
      const points: TrendPoint[] = [];
      runs.forEach((run, i) => {
        const value = values[m][i];
        if (value === null || (branches && !branches.has(run.branch)) || (!query.includeDirty && run.dirty) || !fromOrigin(query, run)) return;
        points.push({ time: run.time, value, run });
      });
      series.push({ metric, points });
    });
    const model = assembleCommitTrends(query, window, series, axis, this.snapshot.meta.referenceBranch, commitSpan(query, window, axis, runs.map((r) => ({ sha: r.sha, branch: r.branch, time: r.time, dirty: r.dirty }))));
    const limits = this.snapshot.limits;
    return { ...model, ...(limits && { limits }) };
  }

  /** As ReportBackend.numericTrend: branches with more values than the width become bucket lines. */
  private rollUp(metric: MetricInfo, points: TrendPoint[], query: TrendsQuery, window: TrendWindow, grain: RollupGrain, bucketStart: (time: number) => number): MetricPoints {
    const byBranch = new Map<string, TrendPoint[]>();
    for (const p of points) {
      if (bucketStart(p.time) > window.to) continue;
      const list = byBranch.get(p.run.branch);
      if (list) list.push(p);
      else byBranch.set(p.run.branch, [p]);
    }
    const order = query.branches.length ? query.branches : this.snapshot.meta.branches.map((b) => b.branch);
    const raw: TrendPoint[] = [];
    const rolled: NonNullable<MetricPoints['rolled']> = { lines: [], values: 0 };
    for (const branch of order) {
      const list = byBranch.get(branch) ?? [];
      if (list.length <= query.width) {
        raw.push(...list.filter((p) => p.time >= window.from && p.time <= window.to));
        continue;
      }
      rolled.lines.push(rollupLine(branch, bucketsFromPoints(list, bucketStart), grain, window.from, window.to));
      rolled.values += list.length;
    }
    raw.sort((a, b) => a.time - b.time);
    return { metric, points: raw, rolled: rolled.lines.length ? rolled : undefined };
  }

  /** As ReportBackend.labelRollups: more values than the width (all selected branches together) become calendar buckets. */
  private rollUpLabels(metric: MetricInfo, points: TrendPoint[], query: TrendsQuery, window: TrendWindow, grain: RollupGrain, bucketStart: (time: number) => number): MetricPoints {
    const whole = points.filter((p) => bucketStart(p.time) <= window.to);
    if (whole.length <= query.width) return { metric, points: whole.filter((p) => p.time >= window.from && p.time <= window.to) };
    return { metric, points: [], rolledLabels: { grain, buckets: labelBucketsFromPoints(whole, bucketStart) } };
  }

  private compare(base: string, head: string): CompareModel {
    const found = this.snapshot.compares.find((c) => c.base.ref === base && c.head.ref === head);
    if (found) return found;
    // One ref on both sides: nothing to compare, and the view says what to do.
    if (base === head) return { base: { ref: base, commitSha: null, build: null }, head: { ref: head, commitSha: null, build: null }, rows: [] };
    throw new Error(l10n.t('This exported file holds comparisons between branches only ({0} → {1} is not one). Open the report in VS Code to compare any two commits.', base, head));
  }

  private run(buildId: number): RunDetail {
    const { runs, values, metrics, failures, runIds } = this.snapshot;
    const index = runs.findIndex((r) => r.id === buildId);
    if (index < 0) throw new Error(l10n.t('run {0} is not in this file', buildId));
    const run = runs[index];
    return {
      build: { id: run.id, commitSha: run.sha, branch: run.branch, runId: runIds[index], runNumber: run.runNumber, event: run.event, timestamp: new Date(run.time).toISOString(), dirty: run.dirty },
      outcomes: metrics.map((metric, m) => {
        const failure = failures.find((f) => f.run === index && f.metric === m);
        const value = values[m][index];
        return { metric, status: failure?.status ?? (value === null ? null : 'ok'), value, durationMs: null, message: failure?.message ?? null };
      }),
    };
  }
}

/** The Trends filter by where a run was recorded (as ReportBackend's byOrigin). */
function fromOrigin(query: TrendsQuery, run: RunRow): boolean {
  if (query.origin === 'here') return (run.source ?? 'local') === 'local';
  if (query.origin === 'team') return run.source === 'notes';
  return true;
}
