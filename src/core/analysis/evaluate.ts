/**
 * evaluate(): every configured metric of one run judged against its baseline and its rules.
 * The UI colours its tree from `status`, the report draws `band`, the CLI gate exits on `fail`.
 */
import type { SeriesPoint, SeriesQuery, StoreApi } from '../store/api';
import { MAX_SERIES_COMMITS } from '../store/api';
import type { BuildRecord, Direction, MetricType, MetricValue, ThresholdsConfig, TidemarkConfig, Unit } from '../types';
import { usableBranch } from '../types';
import {
  baselineFromPlan,
  chooseBaseline,
  baselineReason,
  explainBaseline,
  explainMissingBaseline,
  explicitPlan,
  planBaseline,
  shortMethod,
  type Baseline,
  type BaselineMethod,
  type BaselinePlan,
} from './baseline';
import { bandOf, runChecks, worstStatus, type Check, type CheckStatus } from './checks';
import { ancestors, checkedOut, defaultBranch } from '../git';
import { parseThresholds } from '../config/thresholds';
import { noRunMessage, resolveRunRef } from './refs';

/** How many ancestors of the baseline commit are considered for the statistical window. */
const ANCESTRY_LIMIT = 5000;

export interface MetricBaseline {
  build: BuildRecord;
  value: MetricValue;
  method: BaselineMethod;
  explanation: string;
  /** Why that run, without naming it ("merge-base of HEAD and main"). */
  reason: string;
}

export interface MetricEvaluation {
  metric: string;
  name: string | null;
  type: MetricType;
  unit: Unit | null;
  direction: Direction | null;
  value: MetricValue | null;
  /** The run that produced `value`. */
  build: BuildRecord | null;
  baseline: MetricBaseline | null;
  /** Why there is no baseline (null when there is one). */
  baselineMissing: string | null;
  delta: number | null;
  /** null when the baseline is 0 or either side is missing or not a number. */
  deltaPercent: number | null;
  checks: Check[];
  /** Worst check; unknown when nothing could be judged or there are no rules. */
  status: CheckStatus;
  /** Tightest limits of all rules (for threshold bands in charts). */
  band: { lower: number | null; upper: number | null };
}

export interface Evaluation {
  head: { commitSha: string | null; branch: string | null; build: BuildRecord | null };
  referenceBranch: string | null;
  mergeBase: string | null;
  /** The run-level baseline (metrics may each fall back further; see each metric's baseline). */
  baseline: Baseline | null;
  metrics: MetricEvaluation[];
  status: CheckStatus;
  counts: Record<CheckStatus, number>;
}

export interface EvaluateOptions {
  cwd: string;
  store: StoreApi;
  config: TidemarkConfig;
  /** A recorded run, or a ref (branch or commit) whose latest run is judged. Absent: HEAD. */
  head?: BuildRecord | string;
  /**
   * HEAD's commit and branch (null when detached) as the caller has just read them, so that
   * judging HEAD asks git once less; absent: read here. Ignored when `head` is given.
   */
  checkedOut?: { sha: string; branch: string | null };
  /** Override the head's branch (the reference branch itself means "compare with the previous commit"). */
  headBranch?: string;
  /** Compare against this ref's run instead of choosing a baseline (`check --base`). */
  base?: string;
  now?: Date;
}

export class EvaluationError extends Error {}

interface HeadValues {
  commitSha: string | null;
  branch: string | null;
  build: BuildRecord | null;
  values: Map<string, { value: MetricValue | null; build: BuildRecord | null; message: string | null }>;
}

async function buildValues(store: StoreApi, build: BuildRecord): Promise<HeadValues['values']> {
  const found = (await store.builds({ commitSha: build.commitSha, limit: 1000 })).find((b) => b.build.id === build.id);
  if (!found) throw new EvaluationError(`run #${build.runNumber} (${build.commitSha.slice(0, 7)}) is not in the store`);
  return new Map(found.outcomes.map((o) => [o.metric, { value: o.status === 'ok' ? o.value : null, build, message: o.status === 'ok' ? null : (o.message ?? o.status) }]));
}

async function latestValues(store: StoreApi, ref: string): Promise<{ values: HeadValues['values']; build: BuildRecord | null }> {
  const latest = await store.latest({ ref });
  let build: BuildRecord | null = null;
  const values: HeadValues['values'] = new Map();
  for (const l of latest) {
    const failed = l.lastOutcome && l.lastOutcome.status !== 'ok' && l.lastOutcomeBuild && (!l.valueBuild || l.lastOutcomeBuild.id > l.valueBuild.id);
    // A metric whose newest attempt failed has no current value: judging an older one would mislead.
    const value = failed ? null : l.value;
    const from = failed ? l.lastOutcomeBuild : l.valueBuild;
    values.set(l.metric, { value, build: from, message: failed ? (l.lastOutcome!.message ?? l.lastOutcome!.status) : null });
    if (from && (!build || from.id > build.id)) build = from;
  }
  return { values, build };
}

async function resolveHead(o: EvaluateOptions): Promise<HeadValues> {
  const { store, cwd } = o;
  if (typeof o.head === 'object') {
    return { commitSha: o.head.commitSha, branch: o.headBranch ?? usableBranch(o.head.branch), build: o.head, values: await buildValues(store, o.head) };
  }
  if (typeof o.head === 'string') {
    const resolved = await resolveRunRef(store, cwd, o.head);
    const run = resolved.build;
    if (!run) throw new EvaluationError(await noRunMessage(cwd, resolved));
    // The values of the commit of the ref's latest run (not older values of other commits on a branch).
    const { values, build } = await latestValues(store, run.commitSha);
    return { commitSha: run.commitSha, branch: o.headBranch ?? usableBranch(run.branch), build: build ?? run, values };
  }
  const checked = o.checkedOut ?? (await checkedOut(cwd));
  if (!checked) throw new EvaluationError(`${cwd} is not a git repository with commits; pass a run or ref to evaluate`);
  const sha = checked.sha;
  const { values, build } = await latestValues(store, sha);
  if (!build) throw new EvaluationError(`no run recorded for HEAD (${sha.slice(0, 7)}); collect the metrics first`);
  const branch = o.headBranch ?? checked.branch ?? usableBranch(build.branch);
  return { commitSha: sha, branch, build, values };
}

/** A fixed baseline from `--base REF`: the newest clean run of that ref's first-parent history. */
async function fixedPlan(o: EvaluateOptions, head: HeadValues, referenceBranch: string | null): Promise<BaselinePlan> {
  const ref = o.base!;
  const resolved = await resolveRunRef(o.store, o.cwd, ref);
  const storeCommit = resolved.build?.commitSha ?? null;
  const plan = await explicitPlan({ cwd: o.cwd, ref, head: { commitSha: head.commitSha, branch: head.branch }, referenceBranch, storeCommit });
  if (!plan) throw new EvaluationError(`--base ${ref}: ${await noRunMessage(o.cwd, resolved)}`);
  return plan;
}

/** The metric's rules, read from tidemark.json's form (already validated by the config loader). */
function thresholdsOf(id: string, def: TidemarkConfig['metrics'][string]): ThresholdsConfig | undefined {
  if (def.thresholds === undefined || def.type !== 'numeric') return undefined;
  const { thresholds, problems } = parseThresholds(def.thresholds, def);
  if (problems.length) {
    throw new EvaluationError(`metrics.${id}.thresholds: ${problems.map((p) => `${[...p.path].join('.') || '(root)'}: ${p.message}`).join('; ')}`);
  }
  return thresholds;
}

/**
 * The baseline of `metric` among the clean runs `judged` accepts, chosen as chooseBaseline
 * chooses among all of them, but read without the rest of its history: the runs of the plan's
 * candidate commits, a few commits first (the first almost always has one), then four times as
 * many each query; or, with no common history, the reference branch's newest run since
 * `latestSince`.
 */
async function chooseMetricBaseline(store: StoreApi, plan: BaselinePlan, metric: string, judged: (p: SeriesPoint) => boolean) {
  if (plan.unavailable) return null;
  if (plan.latestSince !== null) {
    if (plan.referenceBranch === null) return null;
    const query: SeriesQuery = { metric, branch: plan.referenceBranch, since: plan.latestSince, dirty: false };
    return chooseBaseline(plan, await newestPoints(store, query, (p) => judged(p) && p.commitSha !== plan.head.commitSha, 1));
  }
  for (let i = 0, size = 1; i < plan.candidates.length; i += size, size = Math.min(size * 4, MAX_SERIES_COMMITS)) {
    const candidates = plan.candidates.slice(i, i + size);
    const runs = await store.series({ metric, commits: candidates.map((c) => c.sha), dirty: false });
    const choice = chooseBaseline({ ...plan, candidates }, runs.filter(judged));
    if (choice) return choice;
  }
  return null;
}

/**
 * The newest `count` points of `query` that `keep` accepts, newest first: read in pages from
 * the newest, each four times the last, until there are enough or the series ends.
 */
async function newestPoints(store: StoreApi, query: SeriesQuery, keep: (p: SeriesPoint) => boolean, count: number): Promise<SeriesPoint[]> {
  for (let limit = 2 * count + 16; ; limit *= 4) {
    const page = await store.series({ ...query, limit });
    const kept = page.filter(keep);
    if (kept.length >= count || page.length < limit) return kept.reverse().slice(0, count);
  }
}

export async function evaluate(o: EvaluateOptions): Promise<Evaluation> {
  const { store, config, cwd } = o;
  const head = await resolveHead(o);
  const plan = o.base
    ? await fixedPlan(o, head, config.baseline.referenceBranch ?? (await defaultBranch(cwd)))
    : await planBaseline({ cwd, config, head: { commitSha: head.commitSha, branch: head.branch }, now: o.now });
  const baseline = await baselineFromPlan(plan, store, head.build?.id);
  const buildCache = new Map<number, BuildRecord>();
  const ancestryCache = new Map<string, Set<string>>();

  const buildById = async (point: SeriesPoint): Promise<BuildRecord> => {
    const cached = buildCache.get(point.buildId);
    if (cached) return cached;
    const found = (await store.builds({ commitSha: point.commitSha, dirty: false, limit: 1000 })).find((b) => b.build.id === point.buildId);
    const build: BuildRecord = found?.build ?? { id: point.buildId, commitSha: point.commitSha, branch: point.branch, runId: '', runNumber: point.runNumber, event: point.event, timestamp: point.timestamp, dirty: point.dirty };
    buildCache.set(point.buildId, build);
    return build;
  };
  const ancestryOf = async (sha: string): Promise<Set<string>> => {
    let set = ancestryCache.get(sha);
    if (!set) {
      set = new Set((await ancestors(cwd, sha, { max: ANCESTRY_LIMIT })).map((c) => c.sha));
      ancestryCache.set(sha, set);
    }
    return set;
  };

  const metrics: MetricEvaluation[] = [];
  for (const [id, def] of Object.entries(config.metrics)) {
    const current = head.values.get(id);
    const value = current?.value ?? null;
    const judged = (p: SeriesPoint) => p.buildId !== head.build?.id && p.buildId !== current?.build?.id;
    const choice = await chooseMetricBaseline(store, plan, id, judged);
    const thresholds = thresholdsOf(id, def);
    let metricBaseline: MetricBaseline | null = null;
    let samples: number[] = [];
    if (choice) {
      const build = await buildById(choice.run);
      metricBaseline = { build, value: choice.run.value, method: choice.method, explanation: explainBaseline(plan, choice, build), reason: baselineReason(plan, choice) };
      const window = thresholds?.statistical?.window;
      if (window !== undefined && plan.referenceBranch !== null) {
        const ancestry = await ancestryOf(choice.commitSha);
        // The statistical window: reference-branch runs of the baseline commit and its ancestors
        // (whenever they were recorded), or without git ancestry those up to the baseline's time.
        const inWindow = (p: SeriesPoint) => judged(p) && typeof p.value === 'number' && (ancestry.size ? ancestry.has(p.commitSha) : p.timestamp <= choice.run.timestamp);
        const query: SeriesQuery = { metric: id, branch: plan.referenceBranch, dirty: false, ...(ancestry.size ? {} : { until: choice.run.timestamp }) };
        samples = (await newestPoints(store, query, inWindow, window)).map((p) => p.value as number);
      }
    }
    const numeric = typeof value === 'number' && typeof metricBaseline?.value === 'number';
    const delta = numeric ? (value as number) - (metricBaseline!.value as number) : null;
    const deltaPercent = numeric && metricBaseline!.value !== 0 ? (delta! / Math.abs(metricBaseline!.value as number)) * 100 : null;
    const baselineMissing = metricBaseline ? null : explainMissingBaseline(plan, `a clean run with ${id}`);
    const checks = thresholds
        ? runChecks({
            metric: id,
            unit: def.unit ?? null,
            direction: def.direction ?? null,
            thresholds,
            value: typeof value === 'number' ? value : null,
            missingValue: current ? (current.message ?? undefined) : 'not recorded',
            baseline: metricBaseline && typeof metricBaseline.value === 'number' ? { value: metricBaseline.value, label: shortMethod(choice!, plan) } : null,
            missingBaseline: baselineMissing ?? undefined,
            samples,
            referenceBranch: plan.referenceBranch ?? '?',
          })
        : [];
    metrics.push({
      metric: id,
      name: def.name ?? null,
      type: def.type,
      unit: def.unit ?? null,
      direction: def.direction ?? null,
      value,
      build: current?.build ?? null,
      baseline: metricBaseline,
      baselineMissing,
      delta,
      deltaPercent,
      checks,
      status: worstStatus(checks.map((c) => c.status)),
      band: bandOf(checks),
    });
  }
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, unknown: 0 };
  for (const m of metrics) for (const c of m.checks) counts[c.status]++;
  return {
    head: { commitSha: head.commitSha, branch: head.branch, build: head.build },
    referenceBranch: plan.referenceBranch,
    mergeBase: plan.mergeBase,
    baseline,
    metrics,
    status: worstStatus(metrics.map((m) => m.status)),
    counts,
  };
}
