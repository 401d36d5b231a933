/**
 * Answers the report's requests from a store: the view models of Overview, Trends, Compare
 * and a run's drill-down. Used by the extension's panel (over the worker-thread store), by
 * the standalone HTML export and by `tidemark report`.
 */
import type { BuildWithValues, RollupGrain, SeriesPoint, StoreApi } from '../store/api';
import type { BuildRecord, MetricDefinition, TidemarkConfig } from '../types';
import type {
  CompareModel,
  MetricInfo,
  OverviewModel,
  OverviewTile,
  ReportMeta,
  ReportReplies,
  ReportRequest,
  RunDetail,
  RunRow,
  TrendsModel,
  TrendsQuery,
} from '../../shared/protocol';
import { reportBaseline, type ReportBaseline } from './baseline';
import { RecordedStateCache, type RecordedState } from './stateCache';
import { HeadLimitsCache, judgements } from './verdicts';
import { reportChanges } from './changes';
import { cachedCommitAxis, type AxisRun, type CommitAxis } from './commitAxis';
import { firstParentOrder, git, resolveCommit, SHA_RE } from '../git';
import { assembleCommitTrends, assembleTrends, commitSpan, resolveWindow, rollupGrain, rollupLine, type MetricPoints, type RolledLabels, type TrendPoint, type TrendWindow } from './trends';
import { compareValues, inConfigOrder } from '../analysis/vocabulary';

/** What every Trends read shares: the window as ISO bounds and the dirty filter. */
interface TrendsRange {
  since: string;
  until: string;
  dirty: boolean | undefined;
}

/** Days the Overview's completeness line covers. */
const RECENT_DAYS = 30;

/** Values of the current branch a tile's sparkline shows. */
const SPARKLINE_POINTS = 30;
/** Reference-branch runs (and commits of its line) read to find those up to the baseline commit. */
const SPARKLINE_REFERENCE_RUNS = 500;
/** The branch's own commits read for their order. */
const SPARKLINE_BRANCH_COMMITS = 5000;

/** Commit positions (oldest first) that order a tile's sparkline; see ReportBackend.sparklineOrder. */
interface SparklineOrder {
  branch: Map<string, number>;
  reference?: Map<string, number>;
}

export interface ReportSource {
  store: StoreApi;
  folderName: string;
  /** The workspace folder and its config, for a git-aware baseline; absent for a bare store. */
  cwd?: string;
  config?: TidemarkConfig;
  currentBranch(): Promise<string>;
  referenceBranch(): Promise<string>;
  /** Clock for relative ranges; tests pin it. */
  now?: () => number;
}

export function metricInfo(d: MetricDefinition): MetricInfo {
  return { id: d.id, name: d.name, type: d.type, unit: d.unit, direction: d.direction, description: d.description };
}

/**
 * Metrics in the order tidemark.json lists them (what every view shows); metrics the config no
 * longer lists follow, by name.
 */
export function inMetricOrder(definitions: readonly MetricDefinition[], config: TidemarkConfig | undefined): MetricDefinition[] {
  const byName = [...definitions].sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id));
  return inConfigOrder(byName, (d) => d.id, Object.keys(config?.metrics ?? {}));
}

export class ReportBackend {
  private readonly limits: HeadLimitsCache;
  /** HEAD's baseline: the header (meta), the Overview and Compare's default ask for it on every page load. */
  private readonly baselines: RecordedStateCache<ReportBaseline>;

  constructor(private readonly source: ReportSource) {
    this.limits = new HeadLimitsCache(() => this.now());
    this.baselines = new RecordedStateCache(() => this.now());
  }

  /** How many times this backend looked for HEAD's baseline (tests read it). */
  get baselinesFound(): number {
    return this.baselines.computed;
  }

  /** reportBaseline() once per recorded state and (reference, head) pair. */
  private async baseline(referenceBranch: string, headRef: string, recorded?: readonly RecordedState[]): Promise<ReportBaseline> {
    const runs = recorded ?? (await this.source.store.branches());
    return this.baselines.get(this.source, runs, `${referenceBranch}\u0000${headRef}`, () => reportBaseline(this.source, referenceBranch, headRef));
  }

  private now(): number {
    return this.source.now?.() ?? Date.now();
  }

  private async definitions(): Promise<MetricDefinition[]> {
    return inMetricOrder(await this.source.store.definitions(), this.source.config);
  }

  async meta(standalone = false): Promise<ReportMeta> {
    const [currentBranch, referenceBranch, branches, definitions] = await Promise.all([
      this.source.currentBranch(),
      this.source.referenceBranch(),
      this.source.store.branches(),
      this.definitions(),
    ]);
    const headRef = headBranch(currentBranch, branches);
    const found = branches.length > 0 ? await this.baseline(referenceBranch, headRef, branches) : undefined;
    const build = found?.run?.build;
    const baseline = build ? { head: headRef, ref: found!.referenceBranch, commitSha: build.commitSha, explanation: found!.explanation, ...(found!.fallback && { fallback: true }) } : undefined;
    return {
      metrics: definitions.map(metricInfo),
      folderName: this.source.folderName,
      currentBranch,
      referenceBranch,
      branches,
      ...(baseline && { baseline }),
      generatedAt: this.now(),
      standalone,
    };
  }

  /** Dispatches one validated request. */
  async handle<K extends ReportRequest['kind']>(request: ReportRequest & { kind: K }): Promise<ReportReplies[K]> {
    const r = request as ReportRequest;
    switch (r.kind) {
      case 'overview':
        return (await this.overview()) as ReportReplies[K];
      case 'trends':
        return (await this.trends(r.query)) as ReportReplies[K];
      case 'compare':
        return (await this.compare(r.base, r.head)) as ReportReplies[K];
      case 'run':
        return (await this.run(r.buildId, r.commitSha)) as ReportReplies[K];
      case 'changes':
        return (await reportChanges(this.source, r.branch)) as ReportReplies[K];
    }
  }

  async overview(): Promise<OverviewModel> {
    const store = this.source.store;
    const [definitions, current, branches, referenceBranch, stats] = await Promise.all([
      this.definitions(),
      this.source.currentBranch(),
      store.branches(),
      this.source.referenceBranch(),
      store.stats(),
    ]);
    const headRef = headBranch(current, branches);
    const [latest, baseline, judged] = await Promise.all([
      store.latest({ ref: headRef }),
      this.baseline(referenceBranch, headRef, branches),
      // The thresholds judge HEAD, as in the tree and `check`; only when HEAD's branch is the one shown.
      current === headRef ? judgements(this.source, {}) : undefined,
    ]);
    const latestByMetric = new Map(latest.map((l) => [l.metric, l]));
    // The baseline run's own values: comparing by its sha would pick up later dirty runs of the same commit.
    const baselineValues = runValues(baseline.run);
    const order = await this.sparklineOrder(headRef, current, baseline.run?.build ?? null);
    const tiles: OverviewTile[] = [];
    for (const d of definitions) {
      const l = latestByMetric.get(d.id);
      const value = l?.value ?? null;
      const base = baselineValues.get(d.id) ?? null;
      const lastStatus = l?.lastOutcome?.status ?? null;
      const status = value === null ? 'never' : lastStatus === 'ok' ? 'ok' : 'partial';
      const judgement = judged?.get(d.id);
      tiles.push({
        metric: metricInfo(d),
        status,
        value,
        valueBuild: l?.valueBuild ?? null,
        baseline: base,
        collection: lastStatus ?? 'never-run',
        judgement: judgement?.check ?? null,
        change: compareValues(value, base, { unit: d.unit, direction: d.direction, withinNoise: judgement?.withinNoise }),
        lastStatus,
        lastError: lastStatus !== null && lastStatus !== 'ok' ? (l?.lastOutcome?.message ?? lastStatus) : null,
        ...(d.type === 'numeric' ? await this.sparkline(d.id, headRef, baseline.run?.build ?? null, order) : { sparkline: [] }),
      });
    }
    const count = (s: OverviewTile['status']) => tiles.filter((t) => t.status === s).length;
    const recent = await this.recentCompleteness(definitions);
    return {
      summary: { runs: stats.builds, branches: stats.branches, lastRun: stats.lastRun, ok: count('ok'), partial: count('partial'), never: count('never'), recent },
      headRef,
      baseline: { ref: baseline.referenceBranch, build: baseline.run?.build ?? null, explanation: baseline.explanation, ...(baseline.fallback && { fallback: true }) },
      tiles,
    };
  }

  /** How completely the configured metrics were recorded over the last RECENT_DAYS days. */
  private async recentCompleteness(definitions: MetricDefinition[]): Promise<OverviewModel['summary']['recent']> {
    const until = this.now();
    const summary = await this.source.store.summary({
      since: new Date(until - RECENT_DAYS * 86_400_000).toISOString(),
      until: new Date(until).toISOString(),
      metrics: definitions.map((d) => d.id),
    });
    const names = new Map(definitions.map((d) => [d.id, d.name ?? d.id]));
    const count = (status: string) => summary.metrics.filter((m) => m.status === status).length;
    const problems = summary.metrics
      .filter((m) => m.status !== 'ok')
      .map((m) => `${names.get(m.metric) ?? m.metric}: ${m.status}${m.note ? ` (${m.note})` : ''}`);
    return { days: RECENT_DAYS, ok: count('ok'), partial: count('partial'), missing: count('missing'), problems: problems.length ? problems.join('\n') : null };
  }

  /**
   * A tile's recent path: on a branch with a baseline on another branch, the reference branch
   * up to the baseline run, then the branch's runs after it (so a step shows as a step);
   * otherwise the branch's own recent values. The order is the commits' (`order`, from git), not
   * the time a run was recorded: a baseline measured late (Measure Baseline Now, Measure History)
   * still sits between main's past and the branch, and runs of commits the branch no longer has
   * (rebased away) are left out. Without git, record time.
   */
  private async sparkline(metric: string, branch: string, baseline: BuildRecord | null, order: SparklineOrder | null): Promise<Pick<OverviewTile, 'sparkline' | 'sparklineBaseline'>> {
    const store = this.source.store;
    const numbers = (points: SeriesPoint[]) => points.map((p) => p.value).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const byTime = (points: SeriesPoint[]) => points.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    const byCommit = (points: SeriesPoint[], index: Map<string, number>) =>
      points.filter((p) => index.has(p.commitSha)).sort((a, b) => index.get(a.commitSha)! - index.get(b.commitSha)! || a.timestamp.localeCompare(b.timestamp));
    const own = await store.series({ metric, branch, dirty: false, limit: SPARKLINE_POINTS });
    const ownLine = () => numbers(order ? byCommit(own, order.branch) : byTime(own)).slice(-SPARKLINE_POINTS);
    if (!baseline || baseline.branch === branch) return { sparkline: ownLine() };
    const afterPoints = order ? byCommit(own, order.branch) : byTime(own.filter((p) => p.timestamp > baseline.timestamp));
    const after = numbers(afterPoints).slice(-Math.ceil(SPARKLINE_POINTS / 2));
    const reference = order?.reference
      ? byCommit(await store.series({ metric, branch: baseline.branch, dirty: false, limit: SPARKLINE_REFERENCE_RUNS }), order.reference)
      : byTime(await store.series({ metric, branch: baseline.branch, dirty: false, until: baseline.timestamp, limit: SPARKLINE_POINTS }));
    const before = numbers(reference).slice(-(SPARKLINE_POINTS - after.length));
    if (before.length === 0) return { sparkline: ownLine() };
    return { sparkline: [...before, ...after], sparklineBaseline: before.length - 1 };
  }

  /**
   * The commits the sparklines follow, oldest first: `branch`, the commits of the branch shown
   * (those after the baseline commit when the baseline is on another branch, else all of its
   * history), and `reference`, the baseline commit's first-parent line in that case. Null without
   * git or when git does not know a commit here (record time then orders).
   */
  private async sparklineOrder(branch: string, currentBranch: string, baseline: BuildRecord | null): Promise<SparklineOrder | null> {
    const cwd = this.source.cwd;
    if (cwd === undefined) return null;
    const tip = (await resolveCommit(cwd, `refs/heads/${branch}`)) ?? (currentBranch === branch ? await resolveCommit(cwd, 'HEAD') : null);
    if (!tip) return null;
    const split = baseline !== null && baseline.branch !== branch;
    const [line, own] = await Promise.all([
      split ? firstParentOrder(cwd, baseline.commitSha, SPARKLINE_REFERENCE_RUNS) : Promise.resolve(null),
      git(cwd, ['rev-list', '--topo-order', `--max-count=${SPARKLINE_BRANCH_COMMITS}`, '--end-of-options', tip, ...(split ? [`^${baseline.commitSha}`] : []), '--']),
    ]);
    if ((split && line!.length === 0) || !own.ok) return null;
    const index = (shas: string[]) => new Map(shas.map((sha, i) => [sha, i]));
    const branchCommits = own.stdout.split('\n').filter((l) => SHA_RE.test(l)).reverse();
    return { branch: index(branchCommits), ...(line && { reference: index(line) }) };
  }

  async trends(query: TrendsQuery): Promise<TrendsModel> {
    const store = this.source.store;
    const [definitions, branches] = await Promise.all([this.definitions(), store.branches()]);
    const window = resolveWindow(query, this.now(), await this.history(branches));
    const wanted = query.metrics ? new Set(query.metrics) : undefined;
    if (query.axis === 'commit') {
      const axis = await this.commitAxis(branches);
      if (axis) return this.commitTrends(query, window, definitions.filter((d) => !wanted || wanted.has(d.id)), axis, branches);
      const timed = await this.trends({ ...query, axis: 'time' });
      return { ...timed, query, axisNote: this.source.cwd ? 'the reference branch is not in this git repository: drawn by time' : 'no git repository here: drawn by time' };
    }
    // Rollups do not know where a run came from: a filter by origin draws the raw runs.
    const grain = byOrigin(query) ? null : rollupGrain(window.from, window.to, query.width);
    const range: TrendsRange = {
      since: new Date(window.from).toISOString(),
      until: new Date(window.to).toISOString(),
      dirty: query.includeDirty ? undefined : false,
    };
    const runs = new Map<number, RunRow>();
    const metrics: MetricPoints[] = [];
    for (const d of definitions) {
      if (wanted && !wanted.has(d.id)) continue;
      if (d.type === 'numeric' && grain) {
        const branchNames = query.branches.length ? query.branches : branches.map((b) => b.branch);
        metrics.push(await this.numericTrend(d, branchNames, grain, range, window, query.width, runs));
        continue;
      }
      if (d.type === 'label' && grain) {
        const rolledLabels = await this.labelRollups(d.id, query.branches, grain, range, window, query.width);
        if (rolledLabels) {
          metrics.push({ metric: metricInfo(d), points: [], rolledLabels });
          continue;
        }
      }
      const points = await store.series({ metric: d.id, branch: query.branches.length ? query.branches : undefined, ...range });
      metrics.push({ metric: metricInfo(d), points: this.trendPoints(points.filter(byOrigin(query) ?? (() => true)), runs) });
    }
    const rolledIds = metrics.flatMap((m) => (m.rolled?.lines ?? []).flatMap((l) => l.run)).filter((id) => !runs.has(id));
    const known = new Map(runs);
    if (rolledIds.length) {
      for (const b of await store.buildsById(rolledIds)) {
        known.set(b.id, { id: b.id, sha: b.commitSha, branch: b.branch, event: b.event, dirty: b.dirty, time: Date.parse(b.timestamp), runNumber: b.runNumber, ...(b.source && b.source !== 'local' && { source: b.source }) });
      }
    }
    const limits = await this.limits.get(this.source, branches);
    return { ...assembleTrends(query, window, metrics, known), ...(limits && { limits }) };
  }

  /** The commit axis over every stored run (cached per folder until a run or the reference branch changes). */
  async commitAxis(branches?: { branch: string; builds: number; lastRun: string }[]): Promise<CommitAxis | null> {
    const cwd = this.source.cwd;
    if (cwd === undefined) return null;
    const store = this.source.store;
    const list = branches ?? (await store.branches());
    const total = list.reduce((sum, b) => sum + b.builds, 0);
    const version = `${total}:${list.map((b) => b.lastRun).sort().pop() ?? ''}`;
    return cachedCommitAxis(cwd, await this.source.referenceBranch(), version, async () => {
      const runs: AxisRun[] = [];
      for (let offset = 0; ; offset += 1000) {
        const page = await store.builds({ limit: 1000, offset });
        for (const { build } of page) runs.push({ sha: build.commitSha, branch: build.branch, time: Date.parse(build.timestamp), dirty: build.dirty });
        if (page.length < 1000) break;
      }
      return runs;
    });
  }

  /** Trends on the commit axis: raw values (one per commit and branch), never rollups. */
  private async commitTrends(query: TrendsQuery, window: TrendWindow, definitions: MetricDefinition[], axis: CommitAxis, branches: { builds: number; lastRun: string }[]): Promise<TrendsModel> {
    const store = this.source.store;
    const range = { since: new Date(window.from).toISOString(), until: new Date(window.to).toISOString(), dirty: query.includeDirty ? undefined : false };
    const runs = new Map<number, RunRow>();
    const metrics: MetricPoints[] = [];
    for (const d of definitions) {
      const points = await store.series({ metric: d.id, branch: query.branches.length ? query.branches : undefined, ...range });
      metrics.push({ metric: metricInfo(d), points: this.trendPoints(points.filter(byOrigin(query) ?? (() => true)), runs) });
    }
    const model = assembleCommitTrends(query, window, metrics, axis.commits, await this.source.referenceBranch(), commitSpan(query, window, axis.commits, axis.runs));
    const limits = await this.limits.get(this.source, branches);
    return { ...model, ...(limits && { limits }) };
  }

  private trendPoints(points: SeriesPoint[], runs: Map<number, RunRow>): TrendPoint[] {
    const trendPoints: TrendPoint[] = points.map((p) => {
      let run = runs.get(p.buildId);
      if (!run) {
        run = { id: p.buildId, sha: p.commitSha, branch: p.branch, event: p.event, dirty: p.dirty, time: Date.parse(p.timestamp), runNumber: p.runNumber, ...(p.source && p.source !== 'local' && { source: p.source }) };
        runs.set(p.buildId, run);
      }
      return { time: run.time, value: p.value, run };
    });
    return trendPoints.sort((a, b) => a.time - b.time);
  }

  /**
   * A numeric metric over a range long enough for rollups: each branch with more values than
   * the chart has pixels is read from the rollups at `grain`; the others stay raw, unless
   * retention deleted some of their runs in the range (then the rollups are the only whole
   * record).
   */
  private async numericTrend(
    d: MetricDefinition,
    branchNames: string[],
    grain: RollupGrain,
    range: TrendsRange,
    window: TrendWindow,
    width: number,
    runs: Map<number, RunRow>,
  ): Promise<MetricPoints> {
    const store = this.source.store;
    const points: TrendPoint[] = [];
    const rolled: NonNullable<MetricPoints['rolled']> = { lines: [], values: 0 };
    for (const branch of branchNames) {
      const buckets = (await store.rollupSeries({ metric: d.id, grain, branch, ...range })).filter((b) => !b.carried);
      const values = buckets.reduce((sum, b) => sum + b.count, 0);
      if (values === 0) continue;
      if (values <= width) {
        const raw = await store.series({ metric: d.id, branch, ...range });
        // Values the rollups hold strictly inside the window: raw must have at least as many.
        const inside = buckets.filter((b) => Date.parse(b.bucketStart) >= window.from && Date.parse(b.lastAt) <= window.to).reduce((sum, b) => sum + b.count, 0);
        if (raw.length >= inside) {
          points.push(...this.trendPoints(raw, runs));
          continue;
        }
      }
      rolled.lines.push(rollupLine(branch, buckets, grain, window.from, window.to));
      rolled.values += values;
    }
    points.sort((a, b) => a.time - b.time);
    return { metric: metricInfo(d), points, rolled: rolled.lines.length ? rolled : undefined };
  }

  /**
   * A label metric over a range long enough for rollups: its label rollups at `grain` when it
   * has more values than the chart has pixels, or when retention deleted some of its runs in
   * the range (as numericTrend); undefined = draw the raw runs.
   */
  private async labelRollups(metric: string, branches: string[], grain: RollupGrain, range: TrendsRange, window: TrendWindow, width: number): Promise<RolledLabels | undefined> {
    const store = this.source.store;
    const branch = branches.length ? branches : undefined;
    const buckets = (await store.rollupSeries({ metric, grain, branch, ...range })).filter((b) => !b.carried);
    const values = buckets.reduce((sum, b) => sum + b.count, 0);
    if (values === 0) return undefined;
    if (values <= width) {
      const raw = await store.series({ metric, branch, ...range });
      const inside = buckets.filter((b) => Date.parse(b.bucketStart) >= window.from && Date.parse(b.lastAt) <= window.to).reduce((sum, b) => sum + b.count, 0);
      if (raw.length >= inside) return undefined;
    }
    return { grain, buckets };
  }

  /** First and last run in the store (store.stats would also size the file, which is slower). */
  private async history(branches: { builds: number; lastRun: string }[]): Promise<{ first: number | null; last: number | null }> {
    const total = branches.reduce((sum, b) => sum + b.builds, 0);
    if (total === 0) return { first: null, last: null };
    const [oldest] = await this.source.store.builds({ limit: 1, offset: total - 1 });
    const last = Math.max(...branches.map((b) => Date.parse(b.lastRun)));
    return { first: oldest ? Date.parse(oldest.build.timestamp) : null, last };
  }

  async compare(base: string, head: string): Promise<CompareModel> {
    // Against head's own baseline run (Compare's default), the judgement is the tree's, in the tree's words,
    // and the base values are that run's own, as in the Overview: the commit's later runs with
    // uncommitted changes (a save run on main's first measured commit) are not the baseline.
    const baselineRun = FULL_SHA.test(base) ? await this.baselineRunOf(base, head) : null;
    const [comparison, definitions, judged] = await Promise.all([
      this.source.store.compare(base, head),
      this.definitions(),
      judgements(this.source, baselineRun ? { head } : { head, base }),
    ]);
    if (baselineRun) {
      const baselineValues = runValues(baselineRun);
      comparison.base.build = baselineRun.build;
      comparison.metrics = comparison.metrics.map((m) => ({ ...m, base: baselineValues.get(m.metric) ?? null }));
    }
    const info = new Map(definitions.map((d) => [d.id, metricInfo(d)]));
    const order = new Map(definitions.map((d, i) => [d.id, i]));
    const rows = comparison.metrics
      .map((m) => ({
        metric: info.get(m.metric) ?? { id: m.metric, name: null, type: m.type, unit: m.unit, direction: m.direction, description: null },
        base: m.base,
        head: m.head,
        // The config's unit and direction, as the tree and `check` use (the store keeps those of the runs).
        change: compareValues(m.head, m.base, { unit: info.get(m.metric)?.unit ?? m.unit, direction: info.get(m.metric)?.direction ?? m.direction, withinNoise: judged?.get(m.metric)?.withinNoise }),
        ...(judged?.has(m.metric) && { check: judged.get(m.metric)!.check }),
        ...(m.parts?.length && { parts: m.parts }),
      }))
      .sort((a, b) => (order.get(a.metric.id) ?? Infinity) - (order.get(b.metric.id) ?? Infinity));
    return { base: comparison.base, head: comparison.head, rows };
  }

  /** Head's baseline run when it is of `commitSha`, else null. */
  private async baselineRunOf(commitSha: string, head: string): Promise<BuildWithValues | null> {
    const found = await this.baseline(await this.source.referenceBranch(), head);
    return found.run?.build.commitSha === commitSha ? found.run : null;
  }

  async run(buildId: number, commitSha: string): Promise<RunDetail> {
    const [runs, definitions] = await Promise.all([this.source.store.builds({ commitSha, limit: 1000 }), this.definitions()]);
    const found = runs.find((r) => r.build.id === buildId);
    if (!found) throw new Error(`run ${buildId} of commit ${commitSha.slice(0, 10)} is not in the store (was the history cleared?)`);
    return runDetail(found.build, found.outcomes, definitions);
  }
}

const FULL_SHA = /^[0-9a-f]{40}$/;

/** A run's successful values by metric (what a baseline run compares with). */
function runValues(run: BuildWithValues | null): Map<string, BuildWithValues['outcomes'][number]['value']> {
  return new Map((run?.outcomes ?? []).filter((o) => o.status === 'ok').map((o) => [o.metric, o.value]));
}

/** The branch whose latest values the report shows: the current one if it has runs, else the one with the newest run. */
function headBranch(current: string, branches: readonly { branch: string; lastRun: string }[]): string {
  if (branches.some((b) => b.branch === current) || branches.length === 0) return current;
  return [...branches].sort((a, b) => b.lastRun.localeCompare(a.lastRun))[0].branch;
}

export function runDetail(
  build: BuildRecord,
  outcomes: { metric: string; status: RunDetail['outcomes'][number]['status']; value: RunDetail['outcomes'][number]['value']; durationMs: number | null; message: string | null }[],
  definitions: MetricDefinition[],
): RunDetail {
  const byMetric = new Map(outcomes.map((o) => [o.metric, o]));
  return {
    build,
    outcomes: definitions.map((d) => {
      const o = byMetric.get(d.id);
      return { metric: metricInfo(d), status: o?.status ?? null, value: o?.value ?? null, durationMs: o?.durationMs ?? null, message: o?.message ?? null };
    }),
  };
}

/** The Trends filter by where a run was recorded: this machine (`here`) or the team's notes (`team`); undefined = all. */
export function byOrigin(query: Pick<TrendsQuery, 'origin'>): ((point: Pick<SeriesPoint, 'source'>) => boolean) | undefined {
  if (query.origin === 'here') return (p) => (p.source ?? 'local') === 'local';
  if (query.origin === 'team') return (p) => p.source === 'notes';
  return undefined;
}
