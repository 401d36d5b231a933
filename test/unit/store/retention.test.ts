import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RetentionPolicy, StoreApi } from '../../../src/core/store/api';
import { openStore } from '../../../src/core/store/sqlStore';
import { openStoreInWorker } from '../../../src/core/store/workerClient';
import { buildInput, removeDir, tempDir } from './fixtures';

const NOW = '2025-03-01T00:00:00Z';
const WORKER = path.resolve(__dirname, '../../../src/core/store/worker.js');

/** Days of January 2025 (day 50 = 19 February, within 30 days of NOW). */
async function fill(store: StoreApi): Promise<void> {
  const runs = [
    buildInput({ commit: 1, day: 1, runId: 's1', event: 'save', dirty: true, values: { loc: 1 } }),
    buildInput({ commit: 1, day: 2, runId: 's2', event: 'save', dirty: true, values: { loc: 2 } }),
    buildInput({ commit: 1, day: 3, runId: 'm1', event: 'manual', values: { loc: 3 } }),
    buildInput({ commit: 2, day: 5, runId: 's3', event: 'save', dirty: true, values: { loc: 5 } }),
    buildInput({ commit: 2, day: 6, runId: 's4', event: 'save', values: { loc: 6 } }),
    buildInput({ commit: 3, day: 7, runId: 's5', branch: 'feature', event: 'save', values: { loc: 7, coverage: { status: 'timeout', message: 'slow' } } }),
    buildInput({ commit: 5, day: 8, runId: 'ci1', event: 'ci', values: { loc: 8 } }),
    buildInput({ commit: 4, day: 50, runId: 's6', event: 'save', dirty: true, values: { loc: 50 } }),
  ];
  for (const run of runs) await store.recordBuild(run);
}

async function runIds(store: StoreApi): Promise<string[]> {
  return (await store.builds()).map((b) => b.build.runId).reverse();
}

async function applyAll(store: StoreApi, policy: RetentionPolicy, maxBuilds: number): Promise<{ calls: number; deleted: number }> {
  let calls = 0;
  let deleted = 0;
  for (;;) {
    const slice = await store.applyRetention(policy, { now: NOW, maxBuilds });
    calls++;
    deleted += slice.deleted;
    assert.ok(slice.deleted <= maxBuilds);
    if (slice.done) return { calls, deleted };
    assert.ok(calls < 20, 'retention passes end');
  }
}

test('retention deletes old on-save runs in slices, keeps the last run of each commit and every rollup', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file);
    await fill(store);
    const days = await store.rollupSeries({ metric: 'loc', grain: 'day' });
    const summary = await store.summary();

    const { calls, deleted } = await applyAll(store, { rawDays: 30, commitRuns: 'all' }, 2);
    assert.equal(deleted, 3);
    assert.ok(calls >= 3, `slices of 2 runs: ${calls} calls`);
    assert.deepEqual(await runIds(store), ['m1', 's4', 's5', 'ci1', 's6'], 'the last run of each commit on each branch is kept');
    assert.deepEqual(await store.rollupSeries({ metric: 'loc', grain: 'day' }), days, 'rollups keep what deleted runs measured');
    assert.deepEqual(await store.summary(), summary);
    assert.deepEqual(
      (await store.rollupSeries({ metric: 'loc', grain: 'hour' })).map((p) => p.bucketStart),
      ['2025-02-19T12:00:00.000Z'],
      'hour buckets live as long as on-save runs',
    );
    assert.equal((await store.stats()).rollups?.prunedUntil, '2025-01-15T12:00:00.000Z', 'the end of the last week of hour buckets deleted');
    assert.deepEqual(await applyAll(store, { rawDays: 30, commitRuns: 'all' }, 2), { calls: 2, deleted: 0 }, 'a second pass finds nothing');

    // A rebuild keeps the buckets whose raw runs are gone; the zone can no longer change.
    await store.rebuildRollups();
    assert.deepEqual(await store.rollupSeries({ metric: 'loc', grain: 'day' }), days);
    await assert.rejects(store.rebuildRollups({ timeZone: 'Europe/Paris' }), /cannot re-bucket rollups from UTC to Europe\/Paris: retention already deleted raw runs up to 2025-01-15T12:00:00.000Z/);

    // Deletions are journaled: another process sees them.
    await store.recordBuild(buildInput({ commit: 6, day: 55, runId: 's7', event: 'save', values: { loc: 55 } }));
    await applyAll(store, { rawDays: 30, commitRuns: 10 }, 100);
    assert.deepEqual(await runIds(store), ['s6', 's7'], 'commitRuns in days: older commit runs and other events go too');
    const other = await openStore(file);
    assert.deepEqual(await runIds(other), ['s6', 's7']);
    for (const grain of ['hour', 'day', 'month'] as const) {
      assert.deepEqual(await other.rollupSeries({ metric: 'loc', grain }), await store.rollupSeries({ metric: 'loc', grain }), `${grain} rollups after replay`);
    }
    await other.close();

    const sizeBefore = fs.statSync(file).size;
    await store.compact({ vacuum: true });
    assert.ok(fs.statSync(file).size <= sizeBefore);
    assert.deepEqual((await store.rollupSeries({ metric: 'loc', grain: 'month' })).map((p) => p.count), [7, 2]);
    await assert.rejects(store.applyRetention({ rawDays: 0, commitRuns: 'all' }), /rawDays must be a whole number of days ≥ 1, got 0/);
    await assert.rejects(store.applyRetention({ rawDays: 3, commitRuns: 'some' as never }), /commitRuns must be "all" or a whole number of days ≥ 1, got "some"/);
    await store.close();
  } finally {
    removeDir(dir);
  }
});

test('the worker client answers the read-model calls like the in-process store', async () => {
  const dir = tempDir();
  try {
    const local = await openStore(path.join(dir, 'local.db'));
    const remote = await openStoreInWorker(path.join(dir, 'remote.db'), { workerScript: WORKER });
    const answers = async (store: StoreApi) => {
      await fill(store);
      return {
        series: await store.rollupSeries({ metric: 'loc', grain: 'week', since: '2025-01-04T00:00:00Z' }),
        summary: await store.summary({ metrics: ['loc', 'coverage', 'size'] }),
        breakdown: await store.breakdown({ metric: 'loc', by: 'event' }),
        retention: await store.applyRetention({ rawDays: 30, commitRuns: 'all' }, { now: NOW }),
        rebuilt: await store.rebuildRollups(),
        stats: (await store.stats()).rollups,
      };
    };
    const a = await answers(local);
    assert.deepEqual(await answers(remote), a);
    assert.equal(a.retention.deleted, 3);
    assert.deepEqual(a.summary.metrics.map((m) => [m.metric, m.status, m.note]), [['coverage', 'missing', 'timeout: slow'], ['loc', 'ok', null], ['size', 'missing', null]]);
    await remote.close();
    await local.close();
  } finally {
    removeDir(dir);
  }
});
