import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectChangePoints } from '../../../src/core/analysis/changePoints';
import { seededRandom } from '../../seededRandom';

/** Deterministic Gaussian noise (Box–Muller over a seeded uniform). */
function noise(seed: number): () => number {
  const rand = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
}

function stepSeries(levels: [number, number][], sd: number, seed = 1): number[] {
  const g = noise(seed);
  return levels.flatMap(([level, count]) => Array.from({ length: count }, () => level + sd * g()));
}

test('a noiseless step is found at the first commit of the new level, with medians and relative change', () => {
  const values = [...Array(20).fill(100), ...Array(20).fill(112)];
  assert.deepEqual(detectChangePoints(values), [{ index: 20, before: 100, after: 112, relativeChange: 0.12 }]);
});

test('steps of 3 SD and more in noise are found at the right commit; a flat noisy series has none', () => {
  const values = stepSeries([[1000, 60], [1040, 50], [980, 70]], 10);
  const found = detectChangePoints(values).map((c) => c.index);
  assert.equal(found.length, 2, `found ${found.join(', ')}`);
  assert.equal(found[0], 60);
  assert.ok(Math.abs(found[1] - 110) <= 1, `second step at 110 ± 1 (noise), found ${found[1]}`);
  for (let seed = 1; seed <= 20; seed++) {
    assert.deepEqual(detectChangePoints(stepSeries([[500, 200]], 25, seed)), [], `flat series ${seed}`);
  }
});

test('single-commit outliers are not changes, and do not hide a real step', () => {
  const values = stepSeries([[200, 50], [230, 50]], 2, 7);
  values[10] = 400;
  values[30] = 20;
  values[75] = 900;
  assert.deepEqual(detectChangePoints(values).map((c) => c.index), [50]);
});

test('significance and minSegment are honoured; a short or constant series has no change', () => {
  const values = stepSeries([[100, 30], [103, 30]], 2, 3);
  const strict = detectChangePoints(values, { significance: 1e-12 });
  const loose = detectChangePoints(values, { significance: 0.05 });
  assert.ok(strict.length <= loose.length);
  assert.deepEqual(detectChangePoints([1, 1, 1, 5, 5, 5], { minSegment: 4 }), []);
  assert.deepEqual(detectChangePoints([1, 1, 1, 5, 5, 5], { minSegment: 3 }).map((c) => c.index), [3]);
  assert.deepEqual(detectChangePoints(Array(100).fill(7)), []);
  assert.deepEqual(detectChangePoints([]), []);
  assert.equal(detectChangePoints([...Array(10).fill(0), ...Array(10).fill(5)])[0].relativeChange, null, 'from 0: no relative change');
  assert.throws(() => detectChangePoints([1, 2, 3], { significance: 0 }), /significance/);
  assert.throws(() => detectChangePoints([1, NaN, 3, 4, 5, 6, 7, 8]), /finite/);
});

test('large values (bytes in the gigabytes) keep their precision', () => {
  const values = [...Array(30).fill(5_000_000_000), ...Array(30).fill(5_000_001_000)];
  assert.deepEqual(detectChangePoints(values).map((c) => [c.index, c.after - c.before]), [[30, 1000]]);
});
