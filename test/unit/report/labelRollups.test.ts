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
import type { TrendSeries, TrendsQuery } from '../../../src/shared/protocol';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 1);
/** Clean runs on main, one every 6 hours: 60 days. */
const CLEAN_RUNS = 240;
const LAST = START + (CLEAN_RUNS - 1) * 6 * HOUR;
const STATES = ['green', 'yellow', 'red'];

let dir: string;
let store: StoreApi;
let backend: ReportBackend;
const source = {
  get store() {
    return store;
  },
  folderName: 'label-rollups',
  currentBranch: async () => 'main',
  referenceBranch: async () => 'main',
  now: () => LAST,
};

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
  store = await openStore(path.join(dir, 'labels.db'));
  const definitions = [{ id: 'state', type: 'label' as const }];
  const record = (at: number, sha: string, branch: string, runId: string, dirty: boolean, value: string) =>
    store.recordBuild({ build: { commitSha: sha, branch, runId, event: dirty ? 'save' : 'manual', timestamp: new Date(at).toISOString(), dirty }, definitions, results: [{ metric: 'state', status: 'ok', value, durationMs: 1 }] });
  for (let i = 0; i < CLEAN_RUNS; i++) {
    const at = START + i * 6 * HOUR;
    const sha = i.toString(16).padStart(40, '0');
    await record(at, sha, 'main', `run-${i}`, false, STATES[(i * 7) % 5 % 3]);
    // Dirty runs with a label of their own: hidden unless the query includes dirty runs.
    if (i % 10 === 5) await record(at + 60_000, sha, 'main', `dirty-${i}`, true, 'dirty-only');
  }
  for (let i = 0; i < 5; i++) await record(START + 3 * HOUR + i * 10 * DAY, `f${i}`.padEnd(40, '0'), 'feature', `feature-${i}`, false, 'feature-only');
  backend = new ReportBackend(source);
});

after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Label counts per UTC day straight from the raw runs: day start -> label -> count. */
function perDay(points: SeriesPoint[]): Map<number, Map<string, number>> {
  const days = new Map<number, Map<string, number>>();
  for (const p of points) {
    const day = Math.floor(Date.parse(p.timestamp) / DAY) * DAY;
    const counts = days.get(day) ?? new Map<string, number>();
    counts.set(String(p.value), (counts.get(String(p.value)) ?? 0) + 1);
    days.set(day, counts);
  }
  return days;
}

/** The drawn distribution as the same shape: bar start -> label -> count (zero counts left out). */
function drawn(series: TrendSeries): Map<number, Map<string, number>> {
  assert.equal(series.kind, 'label');
  if (series.kind !== 'label') return new Map();
  assert.equal(series.hasOther, false);
  const bars = new Map<number, Map<string, number>>();
  series.x.forEach((x, i) => {
    const counts = new Map<string, number>();
    series.labels.forEach((label, l) => {
      if (series.counts[l][i] > 0) counts.set(label, series.counts[l][i]);
    });
    bars.set(x, counts);
  });
  return bars;
}

async function stateSeries(query: Partial<TrendsQuery> & { width: number }): Promise<TrendSeries> {
  const model = await backend.trends({ range: 'all', branches: [], includeDirty: false, metrics: ['state'], ...query });
  return model.series[0];
}

test('a label metric over a long range is drawn from the day rollups: the same counts per day as the raw runs, dirty runs left out', async () => {
  const series = await stateSeries({ width: 200 });
  const raw = await store.series({ metric: 'state', dirty: false });
  assert.deepEqual(drawn(series), perDay(raw));
  assert.equal(series.kind === 'label' && series.bucketMs, DAY);
  assert.equal(series.points, raw.length);
  assert.ok(series.kind === 'label' && !series.labels.includes('dirty-only') && series.labels.includes('feature-only'));
});

test('label rollups follow the branch and dirty filters', async () => {
  const mainAll = await stateSeries({ width: 200, branches: ['main'], includeDirty: true });
  const raw = await store.series({ metric: 'state', branch: ['main'] });
  assert.deepEqual(drawn(mainAll), perDay(raw));
  assert.ok(mainAll.kind === 'label' && mainAll.labels.includes('dirty-only') && !mainAll.labels.includes('feature-only'));
});

test('a label metric whose values fit the width stays raw: evenly spaced bars over the window', async () => {
  const series = await stateSeries({ width: 400 });
  assert.ok(series.kind === 'label');
  assert.notEqual(series.bucketMs, DAY, 'not calendar buckets');
  assert.equal(series.x[0], START, 'the first bar starts at the first run, not at a day boundary it shares');
  assert.equal(series.points, (await store.series({ metric: 'state', dirty: false })).length);
});

test('the standalone export draws the same label distribution as the panel', async () => {
  const standalone = new StandaloneBackend(await buildSnapshot(source));
  for (const query of [
    { range: 'all', branches: [], includeDirty: false, metrics: ['state'], width: 200 },
    { range: '30d', branches: [], includeDirty: true, metrics: ['state'], width: 60 },
    { range: 'custom', since: START + 5 * DAY + HOUR, until: LAST - 3 * DAY, branches: ['main'], includeDirty: false, metrics: ['state'], width: 60 },
    { range: 'all', branches: [], includeDirty: false, metrics: ['state'], width: 400 },
  ] satisfies TrendsQuery[]) {
    const panel = await backend.trends(query);
    const calendar = panel.series[0].kind === 'label' && [DAY, 7 * DAY].includes(panel.series[0].bucketMs);
    assert.equal(calendar, query.width < 400, `${query.range} / ${query.width}px: rollups exactly when the values exceed the width`);
    assert.deepEqual(standalone.handle({ kind: 'trends', query }), panel, `${query.range} / ${query.width}px: same model`);
  }
});
