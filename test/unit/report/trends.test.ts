import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleTrends, bucketLine, lineX, resolveWindow, type TrendPoint } from '../../../src/core/report/trends';
import type { MetricInfo, RunRow, TrendsQuery } from '../../../src/shared/protocol';

const DAY = 86_400_000;
const numeric: MetricInfo = { id: 'size', name: null, type: 'numeric', unit: 'bytes', direction: 'lower-is-better', description: null };
const label: MetricInfo = { id: 'node', name: null, type: 'label', unit: null, direction: null, description: null };

function run(id: number, time: number, branch = 'main'): RunRow {
  return { id, sha: String(id).padStart(40, '0'), branch, event: 'manual', dirty: false, time, runNumber: id };
}

function points(n: number, value: (i: number) => number | string, start = 0, step = 60_000, branch = 'main'): TrendPoint[] {
  return Array.from({ length: n }, (_, i) => ({ time: start + i * step, value: value(i), run: run(i + 1, start + i * step, branch) }));
}

const query = (width: number, range: TrendsQuery['range'] = 'all'): TrendsQuery => ({ range, branches: [], includeDirty: true, width });

test('histories with at most one point per pixel stay raw: one point per run with its run id', () => {
  const line = bucketLine('main', points(10, (i) => i * 10), 0, 10 * 60_000, 10);
  assert.equal(line.bucketed, false);
  assert.deepEqual(line.y, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  assert.deepEqual(line.run, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('long histories are bucketed to one bucket per two pixels (min + max: two points per pixel), keeping spikes', () => {
  const n = 10_000;
  const input = points(n, (i) => (i === 4321 ? 1_000_000 : 100 + (i % 10)));
  const line = bucketLine('main', input, 0, (n - 1) * 60_000, 200);
  assert.equal(line.bucketed, true);
  assert.equal(line.b!.length, 100, 'every one of the 100 buckets has runs');
  const xs = lineX(line, 0);
  assert.ok(xs.every((x, i) => i === 0 || x > xs[i - 1]), 'bucket centres increase');
  assert.ok(Math.abs(xs[0] - line.bucketMs! / 2) <= 1);
  assert.equal(Math.max(...line.max!), 1_000_000, 'the spike survives as a bucket max');
  assert.equal(Math.min(...line.min!), 100);
  assert.equal(line.count!.reduce((a, b) => a + b, 0), n, 'every point lands in a bucket');
  const last = line.b!.length - 1;
  assert.equal(line.last![last], input[n - 1].value);
  assert.equal(line.run[last], n, 'a bucket points at its last run');
  const spikeBucket = line.max!.indexOf(1_000_000);
  assert.ok(line.y[spikeBucket] > 100 && line.y[spikeBucket] < 1_000_000, 'the mean lies between');
});

test('non-finite numbers and strings never reach a numeric chart', () => {
  const input = points(4, (i) => [1, Infinity, 3, 4][i]);
  input[3].value = 'oops';
  const line = bucketLine('main', input, 0, 4 * 60_000, 100);
  assert.deepEqual(line.y, [1, 3]);
});

test('resolveWindow: relative ranges count back from now, all spans the history, one run gets a span', () => {
  const now = 100 * DAY;
  assert.deepEqual(resolveWindow(query(300, '7d'), now, { first: 0, last: now }), { from: now - 7 * DAY, to: now });
  assert.deepEqual(resolveWindow(query(300, 'all'), now, { first: 5 * DAY, last: 9 * DAY }), { from: 5 * DAY, to: 9 * DAY });
  assert.deepEqual(resolveWindow({ ...query(300, 'custom'), since: DAY, until: 2 * DAY }, now, { first: 0, last: now }), { from: DAY, to: 2 * DAY });
  assert.deepEqual(resolveWindow(query(300, 'all'), now, { first: DAY, last: DAY }), { from: DAY / 2, to: DAY * 1.5 });
});

test('assembleTrends: lines per branch, window from the query, runs table only for plotted runs', () => {
  const now = 100 * DAY;
  const main = points(5, (i) => i, now - 10 * DAY, DAY);
  const feature = points(3, (i) => 10 + i, now - 3 * DAY, DAY, 'feature').map((p) => ({ ...p, run: { ...p.run, id: p.run.id + 100 } }));
  const old = points(1, () => 99, now - 40 * DAY, DAY).map((p) => ({ ...p, run: { ...p.run, id: 500 } }));
  const all = [...old, ...main, ...feature].sort((a, b) => a.time - b.time);
  const model = assembleTrends(query(300, '30d'), resolveWindow(query(300, '30d'), now, { first: now - 40 * DAY, last: now }), [{ metric: numeric, points: all }]);
  assert.equal(model.from, now - 30 * DAY);
  assert.equal(model.to, now);
  const series = model.series[0];
  assert.equal(series.kind, 'numeric');
  assert.equal(series.points, 8, 'the run 40 days ago is outside 30d');
  if (series.kind !== 'numeric') return;
  assert.deepEqual(series.lines.map((l) => [l.branch, l.y]), [
    ['main', [0, 1, 2, 3, 4]],
    ['feature', [10, 11, 12]],
  ]);
  assert.deepEqual(model.runs.map((r) => r.id).sort((a, b) => a - b), [1, 2, 3, 4, 5, 101, 102, 103]);
});

test('label series: counts per bucket, most frequent labels first, the rest folded into other', () => {
  const values = ['a', 'a', 'a', 'b', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
  const model = assembleTrends(query(100), { from: 0, to: values.length * 60_000 }, [{ metric: label, points: points(values.length, (i) => values[i]) }]);
  const series = model.series[0];
  assert.equal(series.kind, 'label');
  if (series.kind !== 'label') return;
  assert.equal(series.labels.length, 8);
  assert.deepEqual(series.labels.slice(0, 2), ['a', 'b']);
  assert.equal(series.hasOther, true);
  const total = series.counts.flat().reduce((a, b) => a + b, 0);
  assert.equal(total, values.length);
  assert.equal(series.counts[series.counts.length - 1].reduce((a, b) => a + b, 0), 2, 'i and j are other');
  assert.ok(series.x.length <= 10, 'no more bars than the width allows');
});
