import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandOf, runChecks, worstStatus, type CheckInput } from '../../../src/core/analysis/checks';

function input(over: Partial<CheckInput>): CheckInput {
  return {
    metric: 'bundle-size',
    unit: 'bytes',
    direction: 'lower-is-better',
    thresholds: {},
    value: 1_310_000,
    baseline: { value: 1_200_000, label: 'baseline 3f2a1c0 = merge-base' },
    samples: [],
    referenceBranch: 'main',
    ...over,
  };
}

test('a broken budget fails with its severity and says so', () => {
  const [min, max] = runChecks(input({ thresholds: { max: { value: 1_250_000, severity: 'fail' }, min: { value: 1000, severity: 'warn' } } }));
  assert.equal(max.status, 'fail');
  assert.equal(max.limit, 1_250_000);
  assert.equal(max.explanation, 'bundle-size 1.31 MB is above the maximum budget 1.25 MB');
  assert.equal(min.status, 'pass');
  assert.equal(min.explanation, 'bundle-size 1.31 MB is within the minimum budget 1 kB');
});

test('a warn-severity rule yields warn, and the worst status wins', () => {
  const checks = runChecks(input({ thresholds: { maxIncreasePercent: { value: 5, severity: 'warn' } } }));
  assert.equal(checks[0].status, 'warn');
  assert.equal(checks[0].explanation, 'bundle-size 1.31 MB is +9.2% vs 1.2 MB, beyond the allowed +5% (baseline 3f2a1c0 = merge-base)');
  assert.equal(worstStatus(['pass', 'warn', 'unknown']), 'warn');
  assert.equal(worstStatus(['pass', 'fail', 'warn']), 'fail');
  assert.equal(worstStatus(['unknown', 'pass']), 'pass');
  assert.equal(worstStatus([]), 'unknown');
});

test('maxChangePercent only guards the regression side of the direction', () => {
  const rule = { maxChangePercent: { value: 5, severity: 'fail' as const } };
  const smaller = { value: 1_000_000 }; // −16.7%: an improvement for lower-is-better
  assert.equal(runChecks(input({ ...smaller, thresholds: rule }))[0].status, 'pass');
  assert.equal(runChecks(input({ ...smaller, thresholds: rule, direction: 'higher-is-better' }))[0].status, 'fail');
  const both = runChecks(input({ ...smaller, thresholds: rule, direction: null }))[0];
  assert.equal(both.status, 'fail');
  assert.equal(both.limit, 1_140_000);
  assert.match(both.explanation, /beyond the allowed ±5%/);
});

test('relative rules without a baseline, or with a zero baseline, are unknown', () => {
  const rule = { maxIncreasePercent: { value: 5, severity: 'fail' as const } };
  const none = runChecks(input({ thresholds: rule, baseline: null, missingBaseline: 'no baseline: merge-base 3f2a1c0 has no clean run' }))[0];
  assert.equal(none.status, 'unknown');
  assert.match(none.explanation, /merge-base 3f2a1c0 has no clean run/);
  assert.equal(runChecks(input({ thresholds: rule, baseline: { value: 0, label: 'b' } }))[0].status, 'unknown');
  assert.equal(runChecks(input({ thresholds: rule, value: null, missingValue: 'exit code 1' }))[0].explanation, 'bundle-size has no value in this run (exit code 1)');
});

test('the t-test explanation names the limit, the window, the branch and the baseline', () => {
  const samples = [...Array(12).fill(1_230_000), ...Array(12).fill(1_170_000), 1_200_000];
  const statistical = { test: 't-test' as const, window: 64, boundary: 0.99, minSamples: 2, severity: 'fail' as const };
  const [c] = runChecks(input({ thresholds: { statistical }, samples }));
  assert.equal(c.status, 'fail');
  assert.equal(c.lower, null, 'lower-is-better: only the upper side is enforced');
  // mean 1.2 MB, sd 30 kB, n 25: 1.2e6 + t(0.99, 24) 2.492159 · 30000 · √(1 + 1/25)
  assert.ok(Math.abs(c.upper! - (1_200_000 + 2.492159 * 30000 * Math.sqrt(1.04))) < 0.1, `upper ${c.upper}`);
  assert.equal(c.explanation, 'bundle-size 1.31 MB is above the 99% upper limit 1.28 MB (t-test over 25 runs of main, baseline 3f2a1c0 = merge-base)');
  // An improvement far below the mean is not a regression for lower-is-better.
  assert.equal(runChecks(input({ thresholds: { statistical }, samples, value: 900_000 }))[0].status, 'pass');
  // Without a direction both sides count.
  assert.equal(runChecks(input({ thresholds: { statistical }, samples, value: 900_000, direction: null }))[0].status, 'fail');
});

test('the window keeps the newest samples; zero variance is unknown, never a false alarm', () => {
  const statistical = { test: 't-test' as const, window: 3, boundary: 0.99, minSamples: 2, severity: 'fail' as const };
  const [flat] = runChecks(input({ thresholds: { statistical }, samples: [1_200_000, 1_200_000, 1_200_000, 5, 9_000_000] }));
  assert.equal(flat.status, 'unknown');
  assert.match(flat.explanation, /no statistical limit, all 3 samples have the same value.*over 3 runs of main/);
  const [fallback] = runChecks(input({ thresholds: { statistical }, samples: [1_200_000] }));
  assert.equal(fallback.status, 'pass');
  assert.match(fallback.explanation, /within the \+10% upper limit 1.32 MB \(percentage test over 1 run of main, as the t-test needs at least 2/);
});

test('the band is the tightest enforced limit of all rules', () => {
  const checks = runChecks(
    input({
      direction: null,
      thresholds: { max: { value: 1_400_000, severity: 'fail' }, maxChangePercent: { value: 10, severity: 'warn' }, min: { value: 1_000_000, severity: 'fail' } },
    }),
  );
  assert.deepEqual(bandOf(checks), { lower: 1_080_000, upper: 1_320_000 });
});
