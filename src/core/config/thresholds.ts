/**
 * Reads a metric's `thresholds` entry from tidemark.json into ThresholdsConfig.
 *
 * Budgets may be written as unit strings ("250 kB", "85%", "2m") and are parsed with the
 * metric's unit by the same rules as command output, so a budget means exactly what a
 * recorded value means. Every problem carries the JSON path below `thresholds` so the
 * config loader can point at it in the file.
 */
import {
  SEVERITIES,
  STATISTICAL_TESTS,
  type Direction,
  type MetricType,
  type Severity,
  type StatisticalRule,
  type StatisticalTest,
  type ThresholdsConfig,
  type Unit,
} from '../types';
import { parseValue } from '../units';

export interface ThresholdProblem {
  /** Path below the `thresholds` object, e.g. ['max', 'value']. */
  path: (string | number)[];
  message: string;
  /**
   * A problem of meaning (a unit string that does not parse, min above max, a boundary out of
   * range for its test) rather than of JSON shape; the config's zod schema reports shape
   * problems itself, so it adds only these.
   */
  semantic?: true;
}

export interface ThresholdsMetric {
  type: MetricType;
  unit?: Unit | null;
  direction?: Direction | null;
}

export const BUDGET_KEYS = ['min', 'max'] as const;
export const PERCENT_KEYS = ['maxIncreasePercent', 'maxDecreasePercent', 'maxChangePercent'] as const;
export const STATISTICAL_KEYS = ['test', 'window', 'boundary', 'minSamples'] as const;
export const THRESHOLD_KEYS = ['severity', ...BUDGET_KEYS, ...PERCENT_KEYS, ...STATISTICAL_KEYS] as const;

export const MAX_WINDOW = 10_000;

export const DEFAULT_WINDOW = 64;
export const DEFAULT_MIN_SAMPLES = 2;
/** Default `boundary` per test: a confidence for the parametric tests, a fraction or multiplier otherwise. */
export const DEFAULT_BOUNDARY: Record<StatisticalTest, number> = {
  't-test': 0.99,
  'z-score': 0.99,
  percentage: 0.1,
  iqr: 1.5,
};

type RuleValue = { raw: unknown; severity: Severity; path: (string | number)[] };

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function describe(x: unknown): string {
  return JSON.stringify(x) ?? String(x);
}

export function parseThresholds(
  raw: unknown,
  metric: ThresholdsMetric,
): { thresholds: ThresholdsConfig | undefined; problems: ThresholdProblem[] } {
  const problems: ThresholdProblem[] = [];
  const problem = (path: (string | number)[], message: string, semantic = false) =>
    problems.push(semantic ? { path, message, semantic } : { path, message });
  if (raw === undefined) return { thresholds: undefined, problems };
  if (!isObject(raw)) {
    problem([], `must be an object of rules such as { "max": "250 kB" } (got ${describe(raw)})`);
    return { thresholds: undefined, problems };
  }
  if (metric.type !== 'numeric') {
    problem([], 'thresholds apply to numeric metrics only; this metric is a label', true);
    return { thresholds: undefined, problems };
  }
  for (const key of Object.keys(raw)) {
    if (!(THRESHOLD_KEYS as readonly string[]).includes(key)) problem([key], `unknown threshold "${key}" (known: ${THRESHOLD_KEYS.join(', ')})`);
  }

  let defaultSeverity: Severity = 'fail';
  if (raw.severity !== undefined) {
    if ((SEVERITIES as readonly unknown[]).includes(raw.severity)) defaultSeverity = raw.severity as Severity;
    else problem(['severity'], `must be "warn" or "fail" (got ${describe(raw.severity)})`);
  }

  // A rule is its value, or { value, severity } to override the default severity.
  const rule = (key: string): RuleValue | undefined => {
    const given = raw[key];
    if (given === undefined) return undefined;
    if (!isObject(given)) return { raw: given, severity: defaultSeverity, path: [key] };
    for (const k of Object.keys(given)) {
      if (k !== 'value' && k !== 'severity') problem([key, k], `unknown key "${k}" (a rule object has "value" and "severity")`);
    }
    let severity = defaultSeverity;
    if (given.severity !== undefined) {
      if ((SEVERITIES as readonly unknown[]).includes(given.severity)) severity = given.severity as Severity;
      else problem([key, 'severity'], `must be "warn" or "fail" (got ${describe(given.severity)})`);
    }
    if (given.value === undefined) {
      problem([key], 'a rule object needs a "value"');
      return undefined;
    }
    return { raw: given.value, severity, path: [key, 'value'] };
  };

  const thresholds: ThresholdsConfig = {};

  for (const key of BUDGET_KEYS) {
    const r = rule(key);
    if (!r) continue;
    const value = budgetValue(r, metric, problem);
    if (value !== undefined) thresholds[key] = { value, severity: r.severity };
  }
  if (thresholds.min && thresholds.max && thresholds.min.value > thresholds.max.value) {
    problem(['min'], `min (${thresholds.min.value}) is above max (${thresholds.max.value})`, true);
  }

  for (const key of PERCENT_KEYS) {
    const r = rule(key);
    if (!r) continue;
    const value = percentValue(r, problem);
    if (value !== undefined) thresholds[key] = { value, severity: r.severity };
  }

  const statistical = statisticalRule(raw, rule, defaultSeverity, problem);
  if (statistical) thresholds.statistical = statistical;

  return { thresholds: problems.length ? undefined : thresholds, problems };
}

type Report = (path: (string | number)[], message: string, semantic?: boolean) => void;

function budgetValue(r: RuleValue, metric: ThresholdsMetric, problem: Report): number | undefined {
  if (typeof r.raw === 'number') {
    if (Number.isFinite(r.raw)) return r.raw;
    problem(r.path, `must be a finite number (got ${describe(r.raw)})`);
    return undefined;
  }
  if (typeof r.raw !== 'string') {
    problem(r.path, `must be a number or a value with its unit such as "250 kB" (got ${describe(r.raw)})`);
    return undefined;
  }
  const parsed = parseValue(r.raw, 'numeric', metric.unit);
  if (!parsed.ok || typeof parsed.value !== 'number') {
    problem(r.path, `cannot be read as a ${metric.unit ?? 'decimal'} value: ${parsed.ok ? 'not a number' : parsed.reason}`, true);
    return undefined;
  }
  return parsed.value;
}

function percentValue(r: RuleValue, problem: Report): number | undefined {
  let value: number | undefined;
  if (typeof r.raw === 'number') value = r.raw;
  else if (typeof r.raw === 'string') {
    const parsed = parseValue(r.raw, 'numeric', 'percent');
    if (parsed.ok && typeof parsed.value === 'number') value = parsed.value;
  }
  if (value === undefined || !Number.isFinite(value) || value < 0) {
    // A string is shape-valid JSON; only its reading as a percentage can fail.
    problem(r.path, `must be a percentage of at least 0, such as 5 or "5%" (got ${describe(r.raw)})`, typeof r.raw === 'string');
    return undefined;
  }
  return value;
}

function statisticalRule(
  raw: Record<string, unknown>,
  rule: (key: string) => RuleValue | undefined,
  defaultSeverity: Severity,
  problem: Report,
): StatisticalRule | undefined {
  if (STATISTICAL_KEYS.every((k) => raw[k] === undefined)) return undefined;
  let test: StatisticalTest = 't-test';
  const testRule = rule('test');
  const severity = testRule?.severity ?? defaultSeverity;
  if (testRule) {
    if ((STATISTICAL_TESTS as readonly unknown[]).includes(testRule.raw)) test = testRule.raw as StatisticalTest;
    else problem(testRule.path, `must be one of ${STATISTICAL_TESTS.map((t) => `"${t}"`).join(', ')} (got ${describe(testRule.raw)})`);
  }

  const integer = (key: 'window' | 'minSamples', min: number, max: number, fallback: number): number => {
    const v = raw[key];
    if (v === undefined) return fallback;
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    // 1..MAX is the JSON shape; a stricter minimum comes from the chosen test.
    const shapeValid = typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_WINDOW;
    problem([key], `must be a whole number from ${min} to ${max}${shapeValid ? ` for the ${test}` : ''} (got ${describe(v)})`, shapeValid);
    return fallback;
  };
  const window = integer('window', 1, MAX_WINDOW, DEFAULT_WINDOW);
  const parametric = test === 't-test' || test === 'z-score';
  const minSamples = integer('minSamples', parametric ? 2 : 1, MAX_WINDOW, DEFAULT_MIN_SAMPLES);
  if (raw.window !== undefined && raw.minSamples !== undefined && minSamples > window) {
    problem(['minSamples'], `is larger than window (${window}), so the ${test} could never run`, true);
  }

  let boundary = DEFAULT_BOUNDARY[test];
  const report = (path: (string | number)[], message: string) => problem(path, message, typeof raw.boundary === 'number');
  const b = raw.boundary;
  if (b !== undefined) {
    const valid = typeof b === 'number' && Number.isFinite(b) && (parametric ? b >= 0.5 && b < 1 : b > 0);
    if (valid) boundary = b;
    else
      report(
        ['boundary'],
        parametric
          ? `for the ${test} must be a probability from 0.5 up to (not including) 1, such as 0.99 (got ${describe(b)})`
          : test === 'percentage'
            ? `for the percentage test must be a fraction above 0, such as 0.1 for ±10% (got ${describe(b)})`
            : `for the iqr test must be a multiplier of the interquartile range above 0, such as 1.5 (got ${describe(b)})`,
      );
  }
  return { test, window, boundary, minSamples, severity };
}
