/** Regression detection: baselines, threshold rules and statistical limits. */
export { findBaseline, type Baseline, type BaselineMethod } from './baseline';
export { evaluate, EvaluationError, type Evaluation, type EvaluateOptions, type MetricEvaluation, type MetricBaseline } from './evaluate';
export type { Check, CheckStatus, RuleName } from './checks';
export { measureBaseline, MeasureBaselineError, type MeasureBaselineOptions, type MeasureBaselineOutcome } from './measure';
export { parseThresholds, type ThresholdProblem } from './thresholds';
export { normalQuantile, studentTQuantile, studentTCdf } from './distributions';
export { statisticalLimits, DEFAULT_BOUNDARY, DEFAULT_WINDOW, DEFAULT_MIN_SAMPLES } from './statistics';
