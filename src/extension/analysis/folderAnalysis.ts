/**
 * The baseline each metric's delta is measured against, and the judgement on its rules: both from
 * the analysis engine's evaluate() (merge-base first, see src/core/analysis/baseline.ts). When
 * HEAD cannot be evaluated (not measured yet, Restricted Mode, no commits) deltas fall back to
 * the latest clean value of the reference branch, and the tooltip says why; so do metrics for
 * which the rules find no baseline run (e.g. the first runs on the reference branch).
 */
import type { LatestMetric, StoreApi } from '../../core/store/api';
import { NO_GIT_SHA } from '../../core/types';
import type { FolderModel } from '../folders/services';
import type { BaselineValue } from '../views/tree/viewModel';
import type { Evaluation } from '../../core/analysis';
import type { MetricJudgement } from '../views/judgement';
import { l10n } from '../../shared/l10n';

export interface FolderAnalysis {
  baselines: Map<string, BaselineValue>;
  judgements: Map<string, MetricJudgement>;
}

/** An evaluation, or why there is none (shown in tooltips as the reason deltas use a fallback). */
export type FolderEvaluation = { evaluation: Evaluation; reason?: undefined } | { evaluation?: undefined; reason: string };

export const NO_ANALYSIS: FolderAnalysis = { baselines: new Map(), judgements: new Map() };

export async function folderAnalysis(result: FolderEvaluation, model: FolderModel, store: StoreApi): Promise<FolderAnalysis> {
  if (!result.evaluation) {
    const baselines = await latestReferenceValues(model, store);
    for (const b of baselines.values()) b.reason = l10n.t('latest clean run of {0}, because HEAD cannot be evaluated: {1}', b.referenceBranch, result.reason);
    return { baselines, judgements: new Map() };
  }
  const { evaluation } = result;
  const baselines = new Map<string, BaselineValue>();
  const judgements = new Map<string, MetricJudgement>();
  const fallback = evaluation.metrics.some((m) => !m.baseline) ? await latestReferenceValues(model, store) : new Map<string, BaselineValue>();
  for (const m of evaluation.metrics) {
    const latestClean = fallback.get(m.metric);
    if (!m.baseline && latestClean) {
      baselines.set(m.metric, { ...latestClean, reason: l10n.t('latest clean run of {0}, because the baseline rules found none ({1})', latestClean.referenceBranch, m.baselineMissing ?? '') });
    } else if (m.baseline) {
      baselines.set(m.metric, {
        value: m.baseline.value,
        build: m.baseline.build,
        referenceBranch: evaluation.referenceBranch ?? m.baseline.build.branch,
        reason: m.baseline.reason,
      });
    }
    if (m.checks.length) judgements.set(m.metric, { status: m.status, checks: m.checks });
  }
  return { baselines, judgements };
}

/**
 * Each metric's latest values, HEAD's own where HEAD has a run: a newer run of another commit
 * (Measure Baseline Now records the merge-base) must not stand in for HEAD's value and hide its
 * judgement. Metrics HEAD never ran fall back to the newest run anywhere (shown as stale).
 */
export async function headLatest(store: StoreApi, headSha: string | null | undefined): Promise<LatestMetric[]> {
  const all = await store.latest();
  if (!headSha || headSha === NO_GIT_SHA) return all;
  const atHead = new Map((await store.latest({ ref: headSha })).filter((l) => l.lastOutcomeBuild?.commitSha === headSha).map((l) => [l.metric, l]));
  return all.map((l) => atHead.get(l.metric) ?? l);
}

/** The fallback: the latest clean value on the reference branch. */
async function latestReferenceValues(model: FolderModel, store: StoreApi): Promise<Map<string, BaselineValue>> {
  const referenceBranch = await model.referenceBranch();
  const latest = await store.latest({ ref: referenceBranch, cleanOnly: true });
  const values = new Map<string, BaselineValue>();
  for (const m of latest) {
    if (m.value !== null && m.valueBuild) values.set(m.metric, { value: m.value, build: m.valueBuild, referenceBranch });
  }
  return values;
}
