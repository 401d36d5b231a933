/** Value and time axes by unit: nice steps, unique labels with the unit, bounds the unit allows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axisLabels, timeTicks, valueAxis } from '../../../src/core/report/axis';
import type { Unit } from '../../../src/core/types';

function labels(lo: number, hi: number, unit: Unit | null): string[] {
  return axisLabels(valueAxis(lo, hi, unit), unit);
}

function assertUnique(list: string[]): void {
  assert.equal(new Set(list).size, list.length, list.join(' | '));
  for (const l of list) assert.doesNotMatch(l, /^[-−]0(\.0+)?(?![\d.])/, list.join(' | '));
}

test('a constant integer gets whole, distinct ticks around it, none negative', () => {
  const list = labels(2, 2, 'integer');
  assertUnique(list);
  assert.ok(list.includes('2'));
  for (const l of list) assert.match(l, /^\d+$/);
});

test('small integers 0–2: whole ticks from 0, no −0 and no fractions', () => {
  for (const [lo, hi] of [
    [0, 2],
    [0, 0],
    [0, 1],
    [0, 3],
  ]) {
    const axis = valueAxis(lo, hi, 'integer');
    assert.ok(axis.min >= 0, `${lo}–${hi}: from ${axis.min}`);
    const list = axisLabels(axis, 'integer');
    assertUnique(list);
    for (const l of list) assert.match(l, /^\d+$/, `${lo}–${hi}: ${list.join(' | ')}`);
  }
});

test('percentages stay within 0–100 unless the data leaves it', () => {
  const near = valueAxis(99.1, 100, 'percent');
  assert.ok(near.max <= 100 && near.min >= 0, `${near.min}–${near.max}`);
  assertUnique(axisLabels(near, 'percent'));
  for (const l of axisLabels(near, 'percent')) assert.match(l, /%$/);
  const over = valueAxis(90, 120, 'percent');
  assert.ok(over.max >= 120, 'data above 100 widens the axis');
  const negative = valueAxis(-5, 10, 'percent');
  assert.ok(negative.min <= -5);
});

test('sizes and durations never go below zero, and carry their unit', () => {
  const bytes = valueAxis(0, 1200, 'bytes');
  assert.equal(bytes.min, 0);
  const list = axisLabels(valueAxis(1_200_000, 1_290_000, 'bytes'), 'bytes');
  assertUnique(list);
  for (const l of list) assert.match(l, / (B|kB|MB)$/);
  const one = axisLabels(valueAxis(1234, 1234, 'bytes'), 'bytes');
  assertUnique(one);
  const seconds = axisLabels(valueAxis(0.2, 0.9, 'duration'), 'duration');
  assertUnique(seconds);
  for (const l of seconds) assert.match(l, / ms$/);
  const minutes = axisLabels(valueAxis(100, 1000, 'duration'), 'duration');
  assertUnique(minutes);
  assert.ok(valueAxis(0, 10, 'duration').min >= 0);
});

test('decimals: as many as the step needs, and floating-point noise is cleaned', () => {
  const axis = valueAxis(0.1, 0.3, 'decimal');
  for (const t of axis.ticks) assert.equal(t, Number(t.toFixed(6)));
  assertUnique(axisLabels(axis, 'decimal'));
  assertUnique(labels(-1e-17, 1, null));
});

test('time ticks fall on calendar boundaries and read differently at their resolution', () => {
  const utc = () => 0;
  const day = 86_400_000;
  const from = Date.UTC(2026, 0, 1, 3, 17);
  const hours = timeTicks(from, from + 20 * 3_600_000, 8, utc);
  assert.equal(hours.unit, 'minute');
  for (const t of hours.ticks) assert.equal(t % 3_600_000, 0);
  const days = timeTicks(from, from + 20 * day, 8, utc);
  assert.equal(days.unit, 'day');
  for (const t of days.ticks) assert.equal(t % day, 0);
  const months = timeTicks(from, from + 700 * day, 8);
  assert.equal(months.unit, 'month');
  const names = months.ticks.map((t) => `${new Date(t).getFullYear()}-${new Date(t).getMonth()}`);
  assert.equal(new Set(names).size, names.length);
  assert.ok(months.ticks.length <= 9);
});
