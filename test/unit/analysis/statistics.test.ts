import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quantile, sampleStandardDeviation, statisticalLimits } from '../../../src/core/analysis/statistics';

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected} ± ${tolerance}, got ${actual}`);
}

function limits(samples: number[], test: 't-test' | 'z-score' | 'percentage' | 'iqr', boundary: number, minSamples = 2) {
  const r = statisticalLimits(samples, { test, boundary, minSamples });
  assert.ok(r.ok, `expected limits, got: ${!r.ok && r.reason}`);
  return r;
}

test("Bencher's documented t-test example: 25 samples, mean 100, sd 10, boundary 0.977 → upper ≈ 121.46", () => {
  // 12 × 110, 12 × 90 and one 100: mean exactly 100, sample sd exactly 10.
  const samples = [...Array(12).fill(110), ...Array(12).fill(90), 100];
  assert.equal(sampleStandardDeviation(samples), 10);
  const r = limits(samples, 't-test', 0.977);
  near(r.upper, 121.46, 0.005, 'upper limit');
  near(r.lower, 78.54, 0.005, 'lower limit');
  assert.equal(r.n, 25);
});

test('t-test limit is a prediction interval: mean ± t(p, n−1)·sd·√(1+1/n)', () => {
  // mean 12, sd 2, n 3; t(0.99, 2) = 6.964557 from the table.
  const r = limits([10, 12, 14], 't-test', 0.99);
  const half = 6.964557 * 2 * Math.sqrt(1 + 1 / 3);
  near(r.upper, 12 + half, 1e-5, 'upper');
  near(r.lower, 12 - half, 1e-5, 'lower');
});

test('z-score limit is mean ± z(p)·sd', () => {
  const r = limits([10, 12, 14], 'z-score', 0.975);
  near(r.upper, 12 + 1.959964 * 2, 1e-5, 'upper');
  near(r.lower, 12 - 1.959964 * 2, 1e-5, 'lower');
});

test('percentage limit is mean ± |mean|·boundary', () => {
  const r = limits([90, 110], 'percentage', 0.1);
  near(r.lower, 90, 1e-9, 'lower');
  near(r.upper, 110, 1e-9, 'upper');
  const negative = limits([-50, -50], 'percentage', 0.2);
  near(negative.lower, -60, 1e-9, 'negative lower');
  near(negative.upper, -40, 1e-9, 'negative upper');
});

test('iqr limits are Tukey fences with linearly interpolated quartiles', () => {
  const sorted = [1, 2, 3, 4, 5, 6, 7, 8];
  assert.equal(quantile(sorted, 0.25), 2.75);
  assert.equal(quantile(sorted, 0.75), 6.25);
  const r = limits([8, 3, 5, 1, 7, 2, 6, 4], 'iqr', 1.5);
  assert.equal(r.lower, 2.75 - 1.5 * 3.5);
  assert.equal(r.upper, 6.25 + 1.5 * 3.5);
});

test('zero variance gives no statistical limit instead of an alarm', () => {
  for (const t of ['t-test', 'z-score', 'iqr'] as const) {
    const r = statisticalLimits([5, 5, 5, 5], { test: t, boundary: t === 'iqr' ? 1.5 : 0.99, minSamples: 2 });
    assert.equal(r.ok, false, t);
    assert.match(!r.ok ? r.reason : '', /same value|no spread/);
  }
});

test('fewer samples than minSamples fall back to the ±10% percentage test; none give no limit', () => {
  const r = limits([200], 't-test', 0.99);
  assert.equal(r.test, 'percentage');
  assert.equal(r.fallbackFrom, 't-test');
  near(r.upper, 220, 1e-9, 'upper');
  const none = statisticalLimits([], { test: 't-test', boundary: 0.99, minSamples: 2 });
  assert.equal(none.ok, false);
});
