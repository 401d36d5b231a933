/// <reference lib="dom" />
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../../src/core/store';
import type { SeriesPoint, StoreApi } from '../../../src/core/store/api';
import { ReportBackend } from '../../../src/core/report/backend';
import { buildSnapshot } from '../../../src/core/report/snapshot';
import { StandaloneBackend } from '../../../webview/standaloneBackend';
import type { NumericLine, TrendsQuery } from '../../../src/shared/protocol';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 1);
/** Clean runs on main, one every 6 hours: 60 days. */
const CLEAN_RUNS = 240;
const SPIKE_RUN = 100;
const SPIKE = 50_000;
const LAST = START + (CLEAN_RUNS - 1) * 6 * HOUR;

let dir: string;
let store: StoreApi;
let backend: ReportBackend;
const source = {
  get store() {
    return store;
  },
  folderName: 'rollups',
  currentBranch: async () => 'main',
  referenceBranch: async () => 'main',
  now: () => LAST,
};

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
  store = await openStore(path.join(dir, 'rollups.db'));
  const definitions = [{ id: 'size', type: 'numeric' as const, unit: 'bytes' as const }];
  for (let i = 0; i < CLEAN_RUNS; i++) {
    const at = START + i * 6 * HOUR;
    const value = i === SPIKE_RUN ? SPIKE : 1000 + Math.round(Math.sin(i / 5) * 50) + i;
    const sha = i.toString(16).padStart(40, '0');
    await store.recordBuild({ build: { commitSha: sha, branch: 'main', runId: `run-${i}`, event: 'manual', timestamp: new Date(at).toISOString(), dirty: false }, definitions, results: [{ metric: 'size', status: 'ok', value, durationMs: 1 }] });
    if (i % 10 === 5) {
      // Dirty runs with a value far above the rest: hidden unless the query includes dirty runs.
      await store.recordBuild({ build: { commitSha: sha, branch: 'main', runId: `dirty-${i}`, event: 'save', timestamp: new Date(at + 60_000).toISOString(), dirty: true }, definitions, results: [{ metric: 'size', status: 'ok', value: 99_999, durationMs: 1 }] });
    }
  }
  // A feature branch with a few runs: it stays raw beside main's buckets.
  for (let i = 0; i < 5; i++) {
    const at = START + 3 * HOUR + i * 10 * DAY;
    await store.recordBuild({ build: { commitSha: `f${i}`.padEnd(40, '0'), branch: 'feature', runId: `feature-${i}`, event: 'manual', timestamp: new Date(at).toISOString(), dirty: false }, definitions: [{ id: 'size', type: 'numeric', unit: 'bytes' }], results: [{ metric: 'size', status: 'ok', value: 900 + i, durationMs: 1 }] });
  }
  backend = new ReportBackend(source);
});

after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Bucket {
  min: number;
  max: number;
  last: number;
  count: number;
  run: number;
}

/** The clean values of main bucketed per UTC day, straight from the raw runs. */
function perDay(points: SeriesPoint[]): Bucket[] {
  const days = new Map<number, Bucket>();
  for (const p of [...points].sort((a, b) => a.timestamp.localeCompare(b.timestamp))) {
    const value = p.value as number;
    const day = Math.floor(Date.parse(p.timestamp) / DAY);
    const b = days.get(day);
    if (!b) days.set(day, { min: value, max: value, last: value, count: 1, run: p.buildId });
    else Object.assign(b, { min: Math.min(b.min, value), max: Math.max(b.max, value), last: value, count: b.count + 1, run: p.buildId });
  }
  return [...days.keys()].sort((a, b) => a - b).map((d) => days.get(d)!);
}

function asBuckets(line: NumericLine): Bucket[] {
  return line.run.map((run, i) => ({ min: line.min![i], max: line.max![i], last: line.last![i], count: line.count![i], run }));
}

async function sizeLine(query: Partial<TrendsQuery> & { width: number }): Promise<NumericLine> {
  const model = await backend.trends({ range: 'all', branches: ['main'], includeDirty: false, metrics: ['size'], ...query });
  const series = model.series[0];
  assert.equal(series.kind, 'numeric');
  assert.equal(series.kind === 'numeric' && series.lines.length, 1);
  return series.kind === 'numeric' ? series.lines[0] : assert.fail('numeric series');
}

test('a long range reads day rollups: same min / max / last / last run per day as the raw runs, spike kept, dirty runs left out', async () => {
  const line = await sizeLine({ width: 200 });
  assert.equal(line.bucketed, true);
  const raw = await store.series({ metric: 'size', branch: 'main', dirty: false });
  assert.deepEqual(asBuckets(line), perDay(raw));
  assert.ok(line.x!.length <= 100, 'no more than one bucket per two pixels');
  assert.ok(line.max!.includes(SPIKE), 'the spike survives as a bucket maximum');
  assert.ok(Math.max(...line.max!) < 99_999, 'dirty runs are not in the buckets');
  const model = await backend.trends({ range: 'all', branches: ['main'], includeDirty: false, metrics: ['size'], width: 200 });
  const runIds = new Set(model.runs.map((r) => r.id));
  assert.ok(line.run.every((id) => runIds.has(id)), 'every bucket names its last run, with its details');
});

test('raw points while the values fit the width; rollups from one value more than the width', async () => {
  const fits = await sizeLine({ width: CLEAN_RUNS });
  assert.equal(fits.bucketed, false);
  assert.equal(fits.x!.length, CLEAN_RUNS);
  const over = await sizeLine({ width: CLEAN_RUNS - 1 });
  assert.equal(over.bucketed, true);
  assert.equal(over.count!.reduce((a, b) => a + b, 0), CLEAN_RUNS);
});

test('the standalone export draws the same picture from its inlined runs: same buckets, same raw branch, same runs', async () => {
  const standalone = new StandaloneBackend(await buildSnapshot(source));
  for (const query of [
    { range: 'all', branches: [], includeDirty: false, width: 200 },
    { range: '30d', branches: [], includeDirty: true, width: 120 },
    { range: 'custom', since: START + 5 * DAY + HOUR, until: LAST - 3 * DAY, branches: ['main'], includeDirty: false, width: 60 },
  ] satisfies TrendsQuery[]) {
    const panel = await backend.trends(query);
    assert.ok(panel.series[0].kind === 'numeric' && panel.series[0].lines.some((l) => l.bucketed), `${query.range}: the panel reads rollups`);
    assert.deepEqual(standalone.handle({ kind: 'trends', query }), panel, `${query.range}: same model`);
  }
});

test('runs deleted by retention: their buckets keep their values, show no run details, and raw is not used for the partial range', async () => {
  const before = perDay(await store.series({ metric: 'size', branch: 'main', dirty: false }));
  for (let slice = 0; slice < 100; slice++) {
    const outcome = await store.applyRetention({ rawDays: 1, commitRuns: 30 }, { now: new Date(LAST).toISOString(), maxBuilds: 200 });
    if (outcome.done) break;
  }
  const left = await store.series({ metric: 'size', branch: 'main', dirty: false });
  assert.ok(left.length > 0 && left.length < CLEAN_RUNS, `retention kept ${left.length} of ${CLEAN_RUNS} clean runs`);

  const query: TrendsQuery = { range: 'custom', since: START, until: LAST, branches: ['main'], includeDirty: false, metrics: ['size'], width: CLEAN_RUNS + 50 };
  const model = await backend.trends(query);
  const series = model.series[0];
  assert.ok(series.kind === 'numeric');
  const line = series.lines[0];
  assert.equal(line.bucketed, true, 'fewer raw values than the rollups hold: the rollups are the whole record');
  assert.deepEqual(asBuckets(line), before);
  const known = new Set(model.runs.map((r) => r.id));
  const stored = new Set((await store.buildsById(line.run)).map((b) => b.id));
  assert.ok(line.run.some((id) => !stored.has(id)), 'some buckets end in a deleted run');
  for (const id of line.run) assert.equal(known.has(id), stored.has(id), `run ${id}: details exactly when it is still stored`);
});
