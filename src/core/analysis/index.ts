/** Regression detection: baselines, threshold rules and statistical limits. */
export { findBaseline, type Baseline, type BaselineMethod } from './baseline';
// apis.md names the verdict function evaluateMetrics; the issue names it evaluate. Both work.
export { evaluate, evaluate as evaluateMetrics, EvaluationError, type Evaluation, type EvaluateOptions, type MetricEvaluation, type MetricBaseline } from './evaluate';
export { bandOf, worstStatus, type Check, type CheckStatus, type RuleName } from './checks';
export { renderMarkdown, renderText, toCheckReport, exitCodeOf, escapeMarkdown, type CheckReport, type RuleReport } from './summary';
export { parseThresholds, type ThresholdProblem } from '../config/thresholds';
export { normalQuantile, studentTQuantile, studentTCdf } from './distributions';
export { statisticalLimits, DEFAULT_BOUNDARY, DEFAULT_WINDOW, DEFAULT_MIN_SAMPLES } from './statistics';
