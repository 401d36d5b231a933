/**
 * The threshold rules of one metric applied to one value: budgets, changes relative to the
 * baseline, and statistical limits. Pure: every input (value, baseline, samples) is given.
 * Only the regression side of a relative or statistical rule triggers; without a direction
 * both sides do.
 */
import type { Direction, Severity, StatisticalRule, StatisticalTest, ThresholdRule, ThresholdsConfig, Unit } from '../types';
import { formatValue } from '../units';
import { statisticalLimits } from './statistics';
import { formatPercent } from './vocabulary';

/** unknown: the rule could not be judged (no value, no baseline, no spread). */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';
export type RuleName = 'min' | 'max' | 'maxIncreasePercent' | 'maxDecreasePercent' | 'maxChangePercent' | StatisticalTest;

export interface Check {
  rule: RuleName;
  status: CheckStatus;
  /** What a broken rule yields. */
  severity: Severity;
  value: number | null;
  /** The limit that was crossed, else the nearest one checked; null when there is none. */
  limit: number | null;
  /** Every limit this rule enforces (regression sides only). */
  lower: number | null;
  upper: number | null;
  explanation: string;
}

export interface CheckInput {
  /** Display name used in explanations (the metric id). */
  metric: string;
  unit: Unit | null;
  direction: Direction | null;
  thresholds: ThresholdsConfig;
  value: number | null;
  /** Why there is no value, when there is none. */
  missingValue?: string;
  baseline: { value: number; label: string } | null;
  /** Why there is no baseline, when there is none. */
  missingBaseline?: string;
  /** Clean reference-branch samples for the statistical rule, newest first. */
  samples: number[];
  referenceBranch: string;
}

type Side = 'lower' | 'upper';

function sidesFor(direction: Direction | null): Side[] {
  if (direction === 'lower-is-better') return ['upper'];
  if (direction === 'higher-is-better') return ['lower'];
  return ['lower', 'upper'];
}

function percentText(p: number): string {
  return `${Number(p.toFixed(2))}%`;
}

/** The change itself is printed as everywhere else (vocabulary.ts): same rounding in Problems, tree and `check`. */
function signedPercent(p: number): string {
  return formatPercent(p);
}

/** Judges `value` against the enforced sides; shared by every rule kind. */
function judge(value: number, lower: number | null, upper: number | null, severity: Severity): { status: CheckStatus; limit: number | null; crossed: Side | null } {
  if (upper !== null && value > upper) return { status: severity, limit: upper, crossed: 'upper' };
  if (lower !== null && value < lower) return { status: severity, limit: lower, crossed: 'lower' };
  const nearest = upper === null ? lower : lower === null ? upper : Math.abs(upper - value) <= Math.abs(value - lower) ? upper : lower;
  return { status: 'pass', limit: nearest, crossed: null };
}

export function runChecks(input: CheckInput): Check[] {
  const t = input.thresholds;
  const checks: Check[] = [];
  if (t.min) checks.push(budget(input, 'min', t.min));
  if (t.max) checks.push(budget(input, 'max', t.max));
  const percentSides: [RuleName, ThresholdRule | undefined, Side[]][] = [
    ['maxIncreasePercent', t.maxIncreasePercent, ['upper']],
    ['maxDecreasePercent', t.maxDecreasePercent, ['lower']],
    ['maxChangePercent', t.maxChangePercent, sidesFor(input.direction)],
  ];
  for (const [rule, r, sides] of percentSides) if (r) checks.push(relative(input, rule, r, sides));
  if (t.statistical) checks.push(statistical(input, t.statistical));
  return checks;
}

function unknown(rule: RuleName, severity: Severity, value: number | null, explanation: string): Check {
  return { rule, status: 'unknown', severity, value, limit: null, lower: null, upper: null, explanation };
}

function budget(input: CheckInput, rule: 'min' | 'max', r: ThresholdRule): Check {
  const fmt = (v: number) => formatValue(v, input.unit);
  if (input.value === null) return unknown(rule, r.severity, null, `${input.metric} has no value in this run${input.missingValue ? ` (${input.missingValue})` : ''}`);
  const lower = rule === 'min' ? r.value : null;
  const upper = rule === 'max' ? r.value : null;
  const j = judge(input.value, lower, upper, r.severity);
  const word = rule === 'max' ? (j.crossed ? 'above' : 'within') : j.crossed ? 'below' : 'within';
  const explanation = `${input.metric} ${fmt(input.value)} is ${word} the ${rule === 'max' ? 'maximum' : 'minimum'} budget ${fmt(r.value)}`;
  return { rule, status: j.status, severity: r.severity, value: input.value, limit: r.value, lower, upper, explanation };
}

function relative(input: CheckInput, rule: RuleName, r: ThresholdRule, sides: Side[]): Check {
  const fmt = (v: number) => formatValue(v, input.unit);
  if (input.value === null) return unknown(rule, r.severity, null, `${input.metric} has no value in this run${input.missingValue ? ` (${input.missingValue})` : ''}`);
  if (!input.baseline) return unknown(rule, r.severity, input.value, `${input.metric}: ${input.missingBaseline ?? 'no baseline'}, so the change cannot be judged`);
  const base = input.baseline.value;
  if (base === 0) return unknown(rule, r.severity, input.value, `${input.metric}: the baseline is 0, so a percentage change is undefined (${input.baseline.label})`);
  const margin = (Math.abs(base) * r.value) / 100;
  const lower = sides.includes('lower') ? base - margin : null;
  const upper = sides.includes('upper') ? base + margin : null;
  const j = judge(input.value, lower, upper, r.severity);
  const change = ((input.value - base) / Math.abs(base)) * 100;
  const allowed = sides.length === 2 ? `±${percentText(r.value)}` : sides[0] === 'upper' ? `+${percentText(r.value)}` : `−${percentText(r.value)}`;
  const explanation = `${input.metric} ${fmt(input.value)} is ${signedPercent(change)} vs ${fmt(base)}, ${j.crossed ? 'beyond' : 'within'} the allowed ${allowed} (${input.baseline.label})`;
  return { rule, status: j.status, severity: r.severity, value: input.value, limit: j.limit, lower, upper, explanation };
}

function statistical(input: CheckInput, r: StatisticalRule): Check {
  const fmt = (v: number) => formatValue(v, input.unit);
  const rule = r.test;
  if (input.value === null) return unknown(rule, r.severity, null, `${input.metric} has no value in this run${input.missingValue ? ` (${input.missingValue})` : ''}`);
  if (!input.baseline) return unknown(rule, r.severity, input.value, `${input.metric}: ${input.missingBaseline ?? 'no baseline'}, so there is no history to judge by`);
  const samples = input.samples.slice(0, r.window);
  const limits = statisticalLimits(samples, { test: r.test, boundary: r.boundary, minSamples: r.minSamples });
  const runsOf = `${samples.length} run${samples.length === 1 ? '' : 's'} of ${input.referenceBranch}`;
  if (!limits.ok) {
    return unknown(rule, r.severity, input.value, `${input.metric}: no statistical limit, ${limits.reason} (${r.test} over ${runsOf}, ${input.baseline.label})`);
  }
  const sides = sidesFor(input.direction);
  const lower = sides.includes('lower') ? limits.lower : null;
  const upper = sides.includes('upper') ? limits.upper : null;
  const j = judge(input.value, lower, upper, r.severity);
  const name = (side: Side): string => {
    switch (limits.test) {
      case 't-test':
      case 'z-score':
        return `${Number((limits.boundary * 100).toFixed(2))}% ${side} limit`;
      case 'percentage':
        return `${side === 'upper' ? '+' : '−'}${percentText(limits.boundary * 100)} ${side} limit`;
      case 'iqr':
        return `${side} fence (${side === 'upper' ? 'Q3 +' : 'Q1 −'} ${limits.boundary}×IQR)`;
    }
  };
  let where: string;
  if (j.crossed) where = `is ${j.crossed === 'upper' ? 'above' : 'below'} the ${name(j.crossed)} ${fmt(j.limit!)}`;
  else if (lower !== null && upper !== null) where = `is within the ${name('lower')} ${fmt(lower)} and the ${name('upper')} ${fmt(upper)}`;
  else where = `is within the ${name(upper !== null ? 'upper' : 'lower')} ${fmt((upper ?? lower)!)}`;
  const how = limits.fallbackFrom
    ? `percentage test over ${runsOf}, as the ${limits.fallbackFrom} needs at least ${r.minSamples}`
    : `${limits.test} over ${runsOf}`;
  const explanation = `${input.metric} ${fmt(input.value)} ${where} (${how}, ${input.baseline.label})`;
  return { rule, status: j.status, severity: r.severity, value: input.value, limit: j.limit, lower, upper, explanation };
}

const RANK: Record<CheckStatus, number> = { unknown: 0, pass: 1, warn: 2, fail: 3 };

/** The worst judged status; unknown only when nothing could be judged (or there are no rules). */
export function worstStatus(statuses: readonly CheckStatus[]): CheckStatus {
  let worst: CheckStatus = 'unknown';
  for (const s of statuses) if (RANK[s] > RANK[worst]) worst = s;
  return worst;
}

/** The tightest enforced limits over all checks: the band a chart can draw. */
export function bandOf(checks: readonly Check[]): { lower: number | null; upper: number | null } {
  let lower: number | null = null;
  let upper: number | null = null;
  for (const c of checks) {
    if (c.lower !== null && (lower === null || c.lower > lower)) lower = c.lower;
    if (c.upper !== null && (upper === null || c.upper < upper)) upper = c.upper;
  }
  return { lower, upper };
}
