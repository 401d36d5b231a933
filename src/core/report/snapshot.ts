/** Reads everything a standalone HTML export inlines from a store. */
import type { Navigation, RunRow, StandaloneSnapshot } from '../../shared/protocol';
import { ReportBackend, inMetricOrder, metricInfo, type ReportSource } from './backend';
import { reportChanges } from './changes';
import { headLimits } from './verdicts';

/** Runs read per store.builds call. */
const PAGE = 1000;
/** Branches whose every ordered pair gets a precomputed comparison. */
const COMPARED_BRANCHES = 6;

export async function buildSnapshot(source: ReportSource, navigate: Navigation = {}): Promise<StandaloneSnapshot> {
  const backend = new ReportBackend(source);
  const store = source.store;
  const [meta, overview, stored, stats] = await Promise.all([backend.meta(true), backend.overview(), store.definitions(), store.stats()]);
  const definitions = inMetricOrder(stored, source.config);
  const metricIndex = new Map(definitions.map((d, i) => [d.id, i]));

  const builds = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.builds({ limit: PAGE, offset });
    builds.push(...page);
    if (page.length < PAGE) break;
  }
  builds.reverse();
  const runs: RunRow[] = [];
  const runIds: string[] = [];
  const values: StandaloneSnapshot['values'] = definitions.map(() => new Array(builds.length).fill(null));
  const failures: StandaloneSnapshot['failures'] = [];
  builds.forEach(({ build, outcomes }, run) => {
    runs.push({ id: build.id, sha: build.commitSha, branch: build.branch, event: build.event, dirty: build.dirty, time: Date.parse(build.timestamp), runNumber: build.runNumber, ...(build.source && build.source !== 'local' && { source: build.source }) });
    runIds.push(build.runId);
    for (const o of outcomes) {
      const metric = metricIndex.get(o.metric);
      if (metric === undefined) continue;
      // JSON cannot carry ±Infinity; the charts skip non-finite values anyway.
      if (o.value !== null && (typeof o.value === 'string' || Number.isFinite(o.value))) values[metric][run] = o.value;
      if (o.status !== 'ok') failures.push({ run, metric, status: o.status, message: o.message });
    }
  });

  const recent = [...meta.branches].sort((a, b) => b.lastRun.localeCompare(a.lastRun)).slice(0, COMPARED_BRANCHES).map((b) => b.branch);
  const compared = [...new Set([meta.referenceBranch, meta.currentBranch, ...recent])].filter((b) => meta.branches.some((x) => x.branch === b)).slice(0, COMPARED_BRANCHES);
  const compares = [];
  for (const base of compared) for (const head of compared) if (base !== head) compares.push(await backend.compare(base, head));
  // Compare opens on the head against its baseline run, as in the panel.
  if (meta.baseline) compares.push(await backend.compare(meta.baseline.commitSha, meta.baseline.head));
  // A pair asked for explicitly (e.g. `tidemark report --base SHA --head SHA`) opens in Compare.
  if (navigate.base && navigate.head && !compares.some((c) => c.base.ref === navigate.base && c.head.ref === navigate.head)) {
    compares.push(await backend.compare(navigate.base, navigate.head));
  }

  const timeZone = stats.rollups?.timeZone;
  const limits = await headLimits(source);
  const axis = await backend.commitAxis();
  const changes = source.cwd !== undefined ? await reportChanges(source) : undefined;
  return {
    meta,
    navigate,
    overview,
    metrics: definitions.map(metricInfo),
    runs,
    runIds,
    values,
    failures,
    compares,
    ...(timeZone ? { timeZone } : {}),
    ...(limits && { limits }),
    ...(axis && { commits: axis.commits }),
    ...(changes && { changes }),
  };
}
