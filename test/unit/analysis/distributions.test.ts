import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalQuantile, studentTCdf, studentTQuantile } from '../../../src/core/analysis/distributions';

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected} ± ${tolerance}, got ${actual}`);
}

// Published table values (as printed by R's qt), rounded to 6 decimals.
const T_TABLE: [p: number, df: number, t: number][] = [
  [0.975, 1, 12.706205],
  [0.99, 1, 31.820516],
  [0.9995, 1, 636.619249],
  [0.975, 2, 4.302653],
  [0.95, 3, 2.353363],
  [0.975, 5, 2.570582],
  [0.995, 5, 4.032143],
  [0.975, 10, 2.228139],
  [0.99, 10, 2.763769],
  [0.995, 20, 2.84534],
  [0.975, 30, 2.042272],
  [0.9, 100, 1.290075],
  [0.975, 1000, 1.962339],
];

test('Student t quantiles match table values to 1e-6', () => {
  for (const [p, df, t] of T_TABLE) near(studentTQuantile(p, df), t, 1e-6, `t(${p}, ${df})`);
});

test('the t quantile is symmetric and 0 at the median', () => {
  assert.equal(studentTQuantile(0.5, 7), 0);
  near(studentTQuantile(0.025, 5), -2.570582, 1e-6, 't(0.025, 5)');
});

test('the t CDF inverts the quantile and tends to the normal for large df', () => {
  near(studentTCdf(2.228139, 10), 0.975, 1e-7, 'P(T10 ≤ 2.228139)');
  near(studentTCdf(0, 3), 0.5, 1e-12, 'P(T3 ≤ 0)');
  near(studentTCdf(-12.706205, 1), 0.025, 1e-7, 'P(T1 ≤ -12.706205)');
  near(studentTQuantile(0.975, 1e6), 1.959966, 1e-6, 't(0.975, 1e6)');
});

test('normal quantiles match table values to 1e-6', () => {
  const table: [number, number][] = [
    [0.5, 0],
    [0.8413447, 1.0],
    [0.975, 1.959964],
    [0.99, 2.326348],
    [0.999, 3.090232],
    [0.9999, 3.719016],
    [0.01, -2.326348],
    [1e-9, -5.997807],
  ];
  for (const [p, z] of table) near(normalQuantile(p), z, 1e-6, `z(${p})`);
});

test('probabilities outside (0, 1) are rejected', () => {
  assert.throws(() => studentTQuantile(1, 5), /strictly between 0 and 1/);
  assert.throws(() => normalQuantile(0), /strictly between 0 and 1/);
  assert.throws(() => studentTQuantile(0.9, 0), /degrees of freedom/);
});
