import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseThresholds } from '../../../src/core/config/thresholds';

const bytes = { type: 'numeric' as const, unit: 'bytes' as const, direction: 'lower-is-better' as const };

test('budgets are parsed with the metric unit; severity defaults to fail and is overridable per rule', () => {
  const r = parseThresholds({ max: '250 kB', min: { value: 1024, severity: 'warn' }, maxIncreasePercent: 5, test: 't-test' }, bytes);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.thresholds, {
    max: { value: 250000, severity: 'fail' },
    min: { value: 1024, severity: 'warn' },
    maxIncreasePercent: { value: 5, severity: 'fail' },
    statistical: { test: 't-test', window: 64, boundary: 0.99, minSamples: 2, severity: 'fail' },
  });
});

test('percent and duration budgets read like command output', () => {
  assert.equal(parseThresholds({ min: '85%' }, { type: 'numeric', unit: 'percent' }).thresholds?.min?.value, 85);
  assert.equal(parseThresholds({ max: '2m 30s' }, { type: 'numeric', unit: 'duration' }).thresholds?.max?.value, 150);
});

test('the thresholds-level severity is the default of every rule, including the statistical one', () => {
  const r = parseThresholds({ severity: 'warn', max: 10, window: 20, maxChangePercent: { value: '3%', severity: 'fail' } }, bytes);
  assert.equal(r.thresholds?.max?.severity, 'warn');
  assert.equal(r.thresholds?.statistical?.severity, 'warn');
  assert.equal(r.thresholds?.statistical?.window, 20);
  assert.deepEqual(r.thresholds?.maxChangePercent, { value: 3, severity: 'fail' });
});

test('each test has its own default boundary', () => {
  assert.equal(parseThresholds({ test: 'percentage' }, bytes).thresholds?.statistical?.boundary, 0.1);
  assert.equal(parseThresholds({ test: 'iqr' }, bytes).thresholds?.statistical?.boundary, 1.5);
  assert.equal(parseThresholds({ test: { value: 'z-score', severity: 'warn' } }, bytes).thresholds?.statistical?.severity, 'warn');
});

test('bad rules are reported at their path with the reason', () => {
  const r = parseThresholds(
    { max: '250 KB', min: { value: 'lots' }, maxIncreasePercent: -1, test: 'anova', boundary: 1.5, window: 0, colour: 'red', severity: 'panic' },
    bytes,
  );
  assert.equal(r.thresholds, undefined);
  const byPath = new Map(r.problems.map((p) => [p.path.join('.'), p.message]));
  assert.match(byPath.get('max')!, /ambiguous, use kB \(1000 bytes\) or KiB/);
  assert.match(byPath.get('min.value')!, /cannot be read as a bytes value/);
  assert.match(byPath.get('maxIncreasePercent')!, /at least 0/);
  assert.match(byPath.get('test')!, /must be one of "t-test", "z-score", "percentage", "iqr"/);
  assert.match(byPath.get('window')!, /whole number from 1/);
  assert.match(byPath.get('colour')!, /unknown threshold "colour"/);
  assert.match(byPath.get('severity')!, /"warn" or "fail"/);
  // The test name was invalid, so the boundary is judged against the default t-test's range.
  assert.match(byPath.get('boundary')!, /probability from 0.5/);
});

test('min above max, label metrics and non-objects are rejected', () => {
  assert.match(parseThresholds({ min: 10, max: 5 }, bytes).problems[0].message, /min \(10\) is above max \(5\)/);
  assert.match(parseThresholds({ max: 1 }, { type: 'label' }).problems[0].message, /numeric metrics only/);
  assert.match(parseThresholds(5, bytes).problems[0].message, /must be an object/);
  assert.match(parseThresholds({ max: {} }, bytes).problems[0].message, /needs a "value"/);
  assert.match(parseThresholds({ test: 't-test', minSamples: 1 }, bytes).problems[0].message, /whole number from 2/);
});

test('only problems of meaning are marked semantic; shape problems are left to the config schema', () => {
  const r = parseThresholds({ max: '250 KB', min: 'lots', window: 'many', test: 't-test', minSamples: 1, boundary: 2, colour: 1 }, bytes);
  const semantic = r.problems.filter((p) => p.semantic).map((p) => p.path.join('.'));
  const shape = r.problems.filter((p) => !p.semantic).map((p) => p.path.join('.'));
  assert.deepEqual(semantic.sort(), ['boundary', 'max', 'min', 'minSamples']);
  assert.deepEqual(shape.sort(), ['colour', 'window']);
  assert.equal(r.problems.find((p) => p.path[0] === 'minSamples')?.message, 'must be a whole number from 2 to 10000 for the t-test (got 1)');
});
