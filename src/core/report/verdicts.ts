/**
 * The report's regression verdicts, from the analysis module's evaluate(): the limits the
 * Trends charts draw for the current head, and the check verdict per metric in Compare.
 * Both need the folder's git checkout and config; without them (a bare store, an export
 * made outside a repository) there is nothing to judge and the fields stay absent.
 */
import { bandOf, evaluate, EvaluationError, worstStatus, type Evaluation, type MetricEvaluation } from '../analysis';
import type { CompareCheck, MetricLimits } from '../../shared/protocol';
import { withinNoise } from '../analysis/vocabulary';
import type { ReportSource } from './backend';
import { RecordedStateCache, STATE_TTL_MS, type RecordedState } from './stateCache';

const BUDGET_RULES = new Set(['min', 'max']);

function hasThresholds(source: ReportSource): boolean {
  return Object.values(source.config?.metrics ?? {}).some((d) => d.type === 'numeric' && d.thresholds !== undefined);
}

/** evaluate(), or undefined when it cannot judge this folder (no git, no run for the ref, ...). */
async function tryEvaluate(source: ReportSource, refs: { head?: string; base?: string }): Promise<Evaluation | undefined> {
  if (source.cwd === undefined || source.config === undefined || !hasThresholds(source)) return undefined;
  try {
    return await evaluate({ cwd: source.cwd, store: source.store, config: source.config, ...refs });
  } catch (e) {
    if (e instanceof EvaluationError) return undefined;
    throw e;
  }
}

function limitsOf(m: MetricEvaluation): MetricLimits {
  const budgets = m.checks.filter((c) => BUDGET_RULES.has(c.rule));
  return {
    metric: m.metric,
    budget: { min: budgets.find((c) => c.rule === 'min')?.lower ?? null, max: budgets.find((c) => c.rule === 'max')?.upper ?? null },
    // The budgets are drawn as lines of their own; the band is what the relative and statistical rules allow.
    band: bandOf(m.checks.filter((c) => !BUDGET_RULES.has(c.rule))),
    status: m.status,
  };
}

/** Limits of every metric with rules, judged for the folder's HEAD; undefined when evaluate() cannot run. */
export async function headLimits(source: ReportSource): Promise<MetricLimits[] | undefined> {
  const evaluation = await tryEvaluate(source, {});
  return evaluation?.metrics.filter((m) => m.checks.length > 0).map(limitsOf);
}

/** How long HEAD's limits are reused when nothing was recorded meanwhile (a HEAD move shows after this). */
export const HEAD_LIMITS_TTL_MS = STATE_TTL_MS;

/**
 * headLimits() once per recorded state: the Trends charts ask for their data one batch at a time
 * as they scroll into view, and each evaluate() reads git and the store (see RecordedStateCache).
 */
export class HeadLimitsCache {
  private readonly cache: RecordedStateCache<MetricLimits[] | undefined>;

  constructor(now: () => number = Date.now) {
    this.cache = new RecordedStateCache(now);
  }

  async get(source: ReportSource, recorded: readonly RecordedState[]): Promise<MetricLimits[] | undefined> {
    if (source.cwd === undefined || source.config === undefined || !hasThresholds(source)) return undefined;
    return this.cache.get(source, recorded, 'limits', () => headLimits(source));
  }
}

/** A metric's judgement with what the report's change needs of it. */
export interface Judged {
  check: CompareCheck;
  /** A statistical rule passed: the change is within the measured noise, "unchanged". */
  withinNoise: boolean;
}

/** The judgement of `head` (default HEAD) against `base` (default: the baseline rules) per metric with rules; undefined when evaluate() cannot run. */
export async function judgements(source: ReportSource, refs: { head?: string; base?: string }): Promise<Map<string, Judged> | undefined> {
  const evaluation = await tryEvaluate(source, refs);
  if (!evaluation) return undefined;
  const judged = new Map<string, Judged>();
  for (const m of evaluation.metrics) {
    if (!m.checks.length) continue;
    const status = worstStatus(m.checks.map((c) => c.status));
    // The rules that decided the judgement explain it; a pass lists every rule it passed.
    const deciding = m.checks.filter((c) => c.status === status);
    judged.set(m.metric, { check: { status, explanation: deciding.map((c) => c.explanation).join(' · ') }, withinNoise: withinNoise(m.checks) });
  }
  return judged;
}

/** The judgement of `head` against `base` per metric with rules; undefined when evaluate() cannot run. */
export async function compareChecks(source: ReportSource, base: string, head: string): Promise<Map<string, CompareCheck> | undefined> {
  const judged = await judgements(source, { head, base });
  return judged && new Map([...judged].map(([metric, j]) => [metric, j.check]));
}
