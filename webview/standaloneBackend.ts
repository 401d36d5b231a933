/**
 * Answers report requests inside an exported HTML file from its inlined snapshot. Trends go
 * through the same assembleTrends as the host, so the file draws what the panel draws.
 */
import { assembleTrends, resolveWindow, type MetricPoints, type TrendPoint } from '../src/core/report/trends';
import {
  describeIssues,
  standaloneSnapshotSchema,
  type CompareModel,
  type ReportReplies,
  type ReportRequest,
  type RunDetail,
  type StandaloneSnapshot,
  type TrendsModel,
  type TrendsQuery,
} from '../src/shared/protocol';

export const SNAPSHOT_ELEMENT_ID = 'tidemark-data';

export function readInlinedSnapshot(): StandaloneSnapshot | undefined {
  const node = document.getElementById(SNAPSHOT_ELEMENT_ID);
  if (!node) return undefined;
  const parsed = standaloneSnapshotSchema.safeParse(JSON.parse(node.textContent ?? 'null'));
  if (!parsed.success) throw new Error(`The report data in this file is damaged: ${describeIssues(parsed.error)}`);
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
    }
  }

  private trends(query: TrendsQuery): TrendsModel {
    const { runs, values, metrics } = this.snapshot;
    const branches = query.branches.length ? new Set(query.branches) : undefined;
    const history = { first: runs.length ? runs[0].time : null, last: runs.length ? runs[runs.length - 1].time : null };
    const window = resolveWindow(query, this.snapshot.meta.generatedAt, history);
    const wanted = query.metrics ? new Set(query.metrics) : undefined;
    const series: MetricPoints[] = [];
    metrics.forEach((metric, m) => {
      if (wanted && !wanted.has(metric.id)) return;
      const points: TrendPoint[] = [];
      runs.forEach((run, i) => {
        if (run.time < window.from || run.time > window.to) return;
        const value = values[m][i];
        if (value === null) return;
        if (branches && !branches.has(run.branch)) return;
        if (!query.includeDirty && run.dirty) return;
        points.push({ time: run.time, value, run });
      });
      series.push({ metric, points });
    });
    const limits = this.snapshot.limits;
    return { ...assembleTrends(query, window, series), ...(limits && { limits }) };
  }

  private compare(base: string, head: string): CompareModel {
    const found = this.snapshot.compares.find((c) => c.base.ref === base && c.head.ref === head);
    if (found) return found;
    throw new Error(`This exported file holds comparisons between branches only (${base} → ${head} is not one). Open the report in VS Code to compare any two commits.`);
  }

  private run(buildId: number): RunDetail {
    const { runs, values, metrics, failures, runIds } = this.snapshot;
    const index = runs.findIndex((r) => r.id === buildId);
    if (index < 0) throw new Error(`run ${buildId} is not in this file`);
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
