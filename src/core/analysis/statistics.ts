/**
 * Statistical limits over a window of earlier samples: the range a new value may fall in
 * before it counts as a regression. Pure functions; the caller chooses the samples.
 *
 * - t-test: prediction interval for one new observation, mean ± t(boundary, n−1)·sd·√(1+1/n)
 * - z-score: mean ± z(boundary)·sd
 * - percentage: mean ± |mean|·boundary (boundary is a fraction, 0.1 = 10%)
 * - iqr: Tukey fences, Q1 − boundary·IQR and Q3 + boundary·IQR
 * Each limit is one-sided at `boundary` (as in Bencher): 0.99 means a 1% chance that a value
 * from the same distribution lands beyond that side's limit.
 */
import type { StatisticalTest } from '../types';
import { DEFAULT_BOUNDARY } from '../config/thresholds';
import { normalQuantile, studentTQuantile } from './distributions';

// The defaults are part of the config's meaning, so they live with the thresholds parser.
export { DEFAULT_BOUNDARY, DEFAULT_MIN_SAMPLES, DEFAULT_WINDOW } from '../config/thresholds';


export interface LimitOptions {
  test: StatisticalTest;
  boundary: number;
  minSamples: number;
}

export type StatisticalLimits =
  | {
      ok: true;
      /** The test actually used: `percentage` when there were fewer samples than minSamples. */
      test: StatisticalTest;
      boundary: number;
      n: number;
      lower: number;
      upper: number;
      /** Set when the configured test could not be used. */
      fallbackFrom?: StatisticalTest;
    }
  | { ok: false; test: StatisticalTest; n: number; reason: string };

export function mean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Sample standard deviation (n − 1); 0 for fewer than two samples. */
export function sampleStandardDeviation(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let sq = 0;
  for (const x of xs) sq += (x - m) ** 2;
  return Math.sqrt(sq / (xs.length - 1));
}

/** Quantile by linear interpolation between order statistics (R type 7, numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function runs(n: number): string {
  return n === 1 ? '1 sample' : `${n} samples`;
}

export function statisticalLimits(samples: readonly number[], options: LimitOptions): StatisticalLimits {
  const n = samples.length;
  const { test, boundary, minSamples } = options;
  if (n === 0) return { ok: false, test, n, reason: 'no earlier samples to compare with' };
  if (test !== 'percentage' && n < minSamples) {
    const fallback = statisticalLimits(samples, { test: 'percentage', boundary: DEFAULT_BOUNDARY.percentage, minSamples: 1 });
    return fallback.ok ? { ...fallback, fallbackFrom: test } : fallback;
  }
  const m = mean(samples);
  switch (test) {
    case 't-test':
    case 'z-score': {
      const sd = sampleStandardDeviation(samples);
      if (sd === 0) return { ok: false, test, n, reason: `all ${runs(n)} have the same value, so there is no spread to judge by` };
      const scale = test === 't-test' ? studentTQuantile(boundary, n - 1) * sd * Math.sqrt(1 + 1 / n) : normalQuantile(boundary) * sd;
      return { ok: true, test, boundary, n, lower: m - scale, upper: m + scale };
    }
    case 'percentage': {
      const margin = Math.abs(m) * boundary;
      return { ok: true, test, boundary, n, lower: m - margin, upper: m + margin };
    }
    case 'iqr': {
      const sorted = [...samples].sort((a, b) => a - b);
      const q1 = quantile(sorted, 0.25);
      const q3 = quantile(sorted, 0.75);
      const iqr = q3 - q1;
      if (iqr === 0) return { ok: false, test, n, reason: `the middle half of ${runs(n)} has no spread (IQR 0)` };
      return { ok: true, test, boundary, n, lower: q1 - boundary * iqr, upper: q3 + boundary * iqr };
    }
  }
}
