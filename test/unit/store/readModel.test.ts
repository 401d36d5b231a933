import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { StoreApi } from '../../../src/core/store/api';
import { openStore } from '../../../src/core/store/sqlStore';
import { buildInput, removeDir, tempDir } from './fixtures';

let dir: string;
let store: StoreApi;

/*
 * Days of January 2025 at 12:00 UTC:
 *   main:    d1 c1 manual (size 1000, node v18), d2 c2 ci (size 1100, node v20),
 *            d2 c2 save dirty (size 1300), d9 c3 manual (size 900, coverage failed)
 *   feature: d3 c4 save dirty (size 500, node v20), d10 c5 ci (size 700, coverage 81, node v20)
 */
before(async () => {
  dir = tempDir();
  store = await openStore(path.join(dir, 'metrics.db'));
  const runs = [
    buildInput({ commit: 1, day: 1, values: { 'bundle-size': 1000, 'node-version': 'v18' } }),
    buildInput({ commit: 2, day: 2, event: 'ci', values: { 'bundle-size': 1100, 'node-version': 'v20' } }),
    buildInput({ commit: 2, day: 2, runId: 'save', event: 'save', dirty: true, values: { 'bundle-size': 1300 } }),
    buildInput({ commit: 3, day: 9, values: { 'bundle-size': 900, coverage: { status: 'failed', message: 'jest exited with 1' } } }),
    buildInput({ commit: 4, day: 3, branch: 'feature', event: 'save', dirty: true, values: { 'bundle-size': 500, 'node-version': 'v20' } }),
    buildInput({ commit: 5, day: 10, branch: 'feature', event: 'ci', values: { 'bundle-size': 700, coverage: 81, 'node-version': 'v20' } }),
  ];
  for (const run of runs) await store.recordBuild(run);
});

after(async () => {
  await store.close();
  removeDir(dir);
});

test('rollupSeries: buckets merge branches, events and dirty runs unless filtered', async () => {
  const days = await store.rollupSeries({ metric: 'bundle-size', grain: 'day' });
  assert.deepEqual(
    days.map((p) => [p.bucketStart.slice(0, 10), p.count, p.min, p.max, p.mean, p.first, p.last]),
    [
      ['2025-01-01', 1, 1000, 1000, 1000, 1000, 1000],
      ['2025-01-02', 2, 1100, 1300, 1200, 1100, 1300],
      ['2025-01-03', 1, 500, 500, 500, 500, 500],
      ['2025-01-09', 1, 900, 900, 900, 900, 900],
      ['2025-01-10', 1, 700, 700, 700, 700, 700],
    ],
  );
  const cleanMain = await store.rollupSeries({ metric: 'bundle-size', grain: 'day', branch: 'main', dirty: false });
  assert.deepEqual(cleanMain.map((p) => p.last), [1000, 1100, 900], 'hiding dirty runs works at coarse grains');
  const weeks = await store.rollupSeries({ metric: 'bundle-size', grain: 'week' });
  assert.deepEqual(weeks.map((p) => [p.bucketStart, p.count, p.last]), [['2024-12-30T00:00:00.000Z', 4, 500], ['2025-01-06T00:00:00.000Z', 2, 700]]);
  const ci = await store.rollupSeries({ metric: 'bundle-size', grain: 'month', events: ['ci'] });
  assert.deepEqual(ci.map((p) => [p.count, p.first, p.last, p.sum]), [[2, 1100, 700, 1800]]);
  const labels = await store.rollupSeries({ metric: 'node-version', grain: 'month' });
  assert.deepEqual(labels.map((p) => [p.labels, p.last, p.min]), [[{ v18: 1, v20: 3 }, 'v20', null]]);
  await assert.rejects(store.rollupSeries({ metric: 'bundle-size', grain: 'year' as never }), /grain must be one of hour, day, week, month, got "year"/);
});

test('rollupSeries: a range starting in a bucket without values carries in the previous bucket', async () => {
  const inside = await store.rollupSeries({ metric: 'bundle-size', grain: 'day', since: '2025-01-05T08:00:00Z', until: '2025-01-09T23:00:00Z' });
  assert.deepEqual(inside.map((p) => [p.bucketStart.slice(0, 10), p.last, p.carried ?? false]), [
    ['2025-01-03', 500, true],
    ['2025-01-09', 900, false],
  ]);
  const onData = await store.rollupSeries({ metric: 'bundle-size', grain: 'day', since: '2025-01-02T18:00:00Z', until: '2025-01-03T00:00:00Z' });
  assert.deepEqual(onData.map((p) => [p.bucketStart.slice(0, 10), p.count, p.carried ?? false]), [['2025-01-02', 2, false], ['2025-01-03', 1, false]]);
  const labels = await store.rollupSeries({ metric: 'node-version', grain: 'day', since: '2025-01-05T00:00:00Z' });
  assert.deepEqual(labels.map((p) => [p.bucketStart.slice(0, 10), p.labels, p.carried ?? false]), [
    ['2025-01-03', { v20: 1 }, true],
    ['2025-01-10', { v20: 1 }, false],
  ]);
});

test('summary: runs per event, branches, last run and per-metric completeness', async () => {
  const all = await store.summary({ metrics: ['bundle-size', 'coverage', 'node-version', 'loc'] });
  assert.equal(all.runs, 6);
  assert.deepEqual(all.runsByEvent, { manual: 2, save: 2, ci: 2, import: 0, backfill: 0 });
  assert.deepEqual(all.branches, ['feature', 'main']);
  assert.deepEqual(all.lastRun && [all.lastRun.timestamp, all.lastRun.branch, all.lastRun.event], ['2025-01-10T12:00:00.000Z', 'feature', 'ci']);
  assert.deepEqual(
    all.metrics.map((m) => [m.metric, m.status, m.values, m.failures, m.lastUpdated, m.note]),
    [
      ['bundle-size', 'ok', 6, 0, '2025-01-10T12:00:00.000Z', null],
      ['coverage', 'partial', 1, 1, '2025-01-10T12:00:00.000Z', 'failed: jest exited with 1'],
      ['loc', 'missing', 0, 0, null, null],
      ['node-version', 'ok', 4, 0, '2025-01-10T12:00:00.000Z', null],
    ],
  );
  assert.equal(all.metricsWithValues, 3);
  const range = await store.summary({ since: '2025-01-09T18:00:00Z', until: '2025-01-09T23:59:59Z' });
  assert.equal(range.since, '2025-01-09T00:00:00.000Z', 'the range starts at the start of its day');
  assert.equal(range.runs, 1);
  assert.deepEqual(range.metrics.map((m) => [m.metric, m.status]), [['bundle-size', 'ok'], ['coverage', 'missing']]);
});

test('breakdown: latest value per branch, counts per event, label distribution', async () => {
  const byBranch = await store.breakdown({ metric: 'bundle-size', by: 'branch' });
  assert.deepEqual(byBranch.groups.map((g) => [g.key, g.count, g.last, g.lastAt]), [
    ['feature', 2, 700, '2025-01-10T12:00:00.000Z'],
    ['main', 4, 900, '2025-01-09T12:00:00.000Z'],
  ]);
  const byEvent = await store.breakdown({ metric: 'bundle-size', by: 'event', until: '2025-01-05T00:00:00Z' });
  assert.deepEqual(byEvent.groups.map((g) => [g.key, g.count, g.mean]), [['save', 2, 900], ['ci', 1, 1100], ['manual', 1, 1000]]);
  const byLabel = await store.breakdown({ metric: 'node-version', by: 'label' });
  assert.deepEqual(byLabel.groups.map((g) => [g.key, g.count, g.share]), [['v20', 3, 0.75], ['v18', 1, 0.25]]);
  await assert.rejects(store.breakdown({ metric: 'bundle-size', by: 'commit' as never }), /breakdown by must be branch, event or label/);
});
