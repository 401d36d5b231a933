import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  alarmOf,
  compareValues,
  describeChange,
  formatChange,
  formatPercent,
  formatPoints,
  inConfigOrder,
} from '../../../src/core/analysis/vocabulary';

const bytes = { unit: 'bytes', direction: 'lower-is-better' } as const;
const coverage = { unit: 'percent', direction: 'higher-is-better' } as const;

test('the direction of a change follows the metric\'s direction; without one it is merely "changed"', () => {
  assert.equal(compareValues(110, 100, { unit: 'integer', direction: 'higher-is-better' }).direction, 'better');
  assert.equal(compareValues(110, 100, bytes).direction, 'worse');
  assert.equal(compareValues(110, 100, { unit: 'integer', direction: null }).direction, 'changed');
  assert.equal(compareValues(100, 100, bytes).direction, 'unchanged');
  assert.equal(compareValues(null, 100, bytes).direction, 'unknown');
  assert.equal(compareValues(1, undefined, bytes).direction, 'unknown');
  assert.equal(compareValues('failing', 'passing', { unit: null, direction: null }).direction, 'changed');
  assert.equal(compareValues('v1', 'v1', { unit: null, direction: null }).direction, 'unchanged');
});

test('a change within the measured noise, or too small to show, is "unchanged", not worse', () => {
  assert.equal(compareValues(1001, 1000, { ...bytes, withinNoise: true }).direction, 'unchanged');
  assert.equal(compareValues(100_001, 100_000, bytes).direction, 'unchanged', '+0.001 % rounds to ±0 %');
  assert.equal(compareValues(100_100, 100_000, bytes).direction, 'worse', '+0.1 % is a change');
});

test('one rounding everywhere: 0 decimals from 100 %, 1 from 0.1 %, 2 below; a true minus sign', () => {
  assert.equal(formatPercent(31.15), '+31.1%');
  assert.equal(formatPercent(-2.345), '−2.3%');
  assert.equal(formatPercent(102.4), '+102%');
  assert.equal(formatPercent(0.05), '+0.05%');
  assert.equal(formatPercent(0.001), '±0%');
  assert.equal(formatPoints(-1.26), '−1.3 pp');
  assert.equal(formatPoints(0), '±0 pp');
});

test('percent metrics change in percentage points, never a percent of a percent', () => {
  const drop = compareValues(80.2, 81.5, coverage);
  assert.equal(drop.direction, 'worse');
  assert.equal(drop.points, true);
  assert.equal(drop.percent, null);
  assert.equal(formatChange(drop, 'percent', 'short'), '▼ 1.3 pp');
  assert.equal(formatChange(drop, 'percent', 'long'), '−1.3 pp');
  assert.equal(describeChange(drop, 'percent'), '−1.3 pp against the baseline, worse');
});

test('short and long forms', () => {
  const grew = compareValues(1_210_000, 1_182_796, bytes);
  assert.equal(formatChange(grew, 'bytes', 'short'), '▲ 2.3%');
  assert.equal(formatChange(grew, 'bytes', 'long'), '+27.2 kB (+2.3%)');
  // A zero base has no relative change: the absolute one is shown instead.
  assert.equal(formatChange(compareValues(2048, 0, bytes), 'bytes', 'short'), '▲ 2.05 kB');
  assert.equal(formatChange(compareValues(5, 5, bytes), 'integer', 'short'), 'unchanged');
  assert.equal(formatChange(compareValues(5, undefined, bytes), 'integer', 'short'), '');
  assert.equal(formatChange(compareValues(5, undefined, bytes), 'integer', 'long'), 'no baseline to compare with');
  assert.equal(formatChange(compareValues('a', 'b', { unit: null, direction: null }), null, 'short'), 'changed');
  for (const text of [formatChange(grew, 'bytes', 'short'), formatChange(grew, 'bytes', 'long')]) assert.doesNotMatch(text, /=|^-/);
});

test('only warn and fail are alarms', () => {
  assert.equal(alarmOf('fail'), 'fail');
  assert.equal(alarmOf('warn'), 'warn');
  assert.equal(alarmOf('pass'), undefined);
  assert.equal(alarmOf('unknown'), undefined);
  assert.equal(alarmOf(undefined), undefined);
});

test('metrics in config order, unknown ones last', () => {
  assert.deepEqual(inConfigOrder(['z', 'x', 'q', 'y'], (m) => m, ['y', 'z', 'x']), ['y', 'z', 'x', 'q']);
});
