import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RecordBuildInput, StoreApi } from '../../../src/core/store/api';
import { openStore } from '../../../src/core/store/sqlStore';
import type { MetricResult, RunEvent } from '../../../src/core/types';
import { seededRandom as random } from '../../seededRandom';
import { sqliteQuery } from '../../sqliteShell';
import { DEFS, removeDir, sha, tempDir } from './fixtures';

const EVENTS: RunEvent[] = ['manual', 'save', 'ci'];
const BRANCHES = ['main', 'feature/a', 'fix'];
const START = Date.UTC(2024, 9, 20);

/**
 * A run at a random time in ~3 months (or `hours`: in 2 hours, most runs share their quarter hour
 * with the run before, and the batch reuses its buckets), not in recording order, random values
 * and failures.
 */
function randomRun(rand: () => number, n: number, hours = 90 * 24): RecordBuildInput {
  const pick = <T>(items: T[]) => items[Math.floor(rand() * items.length)];
  const results: MetricResult[] = [];
  for (const def of DEFS) {
    const roll = rand();
    if (roll < 0.15) continue;
    if (roll < 0.25) {
      results.push({ metric: def.id, status: pick(['failed', 'timeout', 'invalid-output', 'cancelled'] as const), value: null, durationMs: 5, message: `boom ${n}` });
    } else {
      const value = def.type === 'label' ? `v${Math.floor(rand() * 3)}` : Math.round(rand() * 1e6) / 7;
      results.push({ metric: def.id, status: 'ok', value, durationMs: 5 });
    }
  }
  const event = pick(EVENTS);
  return {
    build: {
      commitSha: sha(Math.floor(rand() * 40)),
      branch: pick(BRANCHES),
      runId: `run-${n}`,
      event,
      // Same second for some runs: ties are broken by build id.
      timestamp: new Date(START + Math.floor(rand() * hours) * 3_600_000 + (rand() < 0.2 ? 0 : Math.floor(rand() * 3_600_000))).toISOString(),
      dirty: event === 'save' && rand() < 0.8,
    },
    definitions: DEFS,
    results,
  };
}

const TABLES = {
  metric_rollups: 'metric_id, grain, bucket_start, branch, event_name, dirty',
  label_rollups: 'metric_id, grain, bucket_start, branch, event_name, dirty, label',
  run_rollups: 'grain, bucket_start, branch, event_name, dirty',
};

/** Every rollup row of a store's snapshot file, in key order. */
function rollupRows(file: string): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(TABLES).map(([table, key]) => [table, sqliteQuery(file, `SELECT * FROM ${table} ORDER BY ${key}`)]));
}

function jsonl(lines: object[]): string {
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

async function randomHistory(store: StoreApi, seed: number, dir: string, hours?: number): Promise<void> {
  const rand = random(seed);
  for (let n = 0; n < 60; n++) await store.recordBuild(randomRun(rand, n, hours));
  // An import: new runs (out of order, older than the recorded ones) and a new metric in an existing run.
  const file = path.join(dir, `import-${seed}.jsonl`);
  const lines: object[] = [];
  for (let i = 0; i < 30; i++) {
    const at = new Date(START - (i % 7) * 86_400_000 - i * 1_234_567).toISOString();
    lines.push({ metric_id: 'loc', timestamp: at, value_numeric: 1000 + i * 0.1, commit_sha: sha(100 + (i % 9)), branch: BRANCHES[i % 3], run_id: `imp-${i % 9}` });
    lines.push({ metric_id: 'node-version', timestamp: at, value_label: `v${i % 2}`, commit_sha: sha(100 + (i % 9)), branch: BRANCHES[i % 3], run_id: `imp-${i % 9}` });
  }
  lines.push({ metric_id: 'imported-only', timestamp: new Date(START + 5 * 86_400_000).toISOString(), value_numeric: 3.3, commit_sha: sha(1), run_id: 'run-1' });
  fs.writeFileSync(file, jsonl(lines));
  const outcome = await store.importJsonl(file, { source: 'test' });
  assert.deepEqual(outcome.problems, []);
  for (let n = 60; n < 100; n++) await store.recordBuild(randomRun(rand, n, hours));
}

for (const [seed, hours] of [[1], [2], [3], [4, 2]]) {
  test(`rollups: incremental (record, import), journal replay and a rebuild give the same rows (seed ${seed}${hours ? `, runs within ${hours} hours` : ''})`, async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'metrics.db');
      const store = await openStore(file, { compactThresholdBytes: 1 << 30 });
      await randomHistory(store, seed, dir, hours);
      // The records after the import are only in the journal: replay them on a copy.
      const copy = path.join(dir, 'copy');
      fs.mkdirSync(copy);
      for (const name of fs.readdirSync(dir).filter((f) => f.startsWith('metrics.db'))) fs.copyFileSync(path.join(dir, name), path.join(copy, name));
      assert.ok(fs.statSync(`${file}.journal`).size > 0, 'some records are replayed from the journal');

      await store.compact();
      const incremental = rollupRows(file);
      assert.ok((incremental.metric_rollups as unknown[]).length > 100);
      assert.ok((incremental.label_rollups as unknown[]).length > 10);

      const replayed = await openStore(path.join(copy, 'metrics.db'));
      await replayed.compact();
      await replayed.close();
      assert.deepEqual(rollupRows(path.join(copy, 'metrics.db')), incremental, 'journal replay');

      const outcome = await store.rebuildRollups();
      assert.equal(outcome.metricRows, (incremental.metric_rollups as unknown[]).length);
      assert.deepEqual(rollupRows(file), incremental, 'rebuild from raw data');

      // A clear empties the rollups too; recording afterwards starts from nothing.
      await store.clearHistory();
      await store.recordBuild(randomRun(random(seed + 100), 1000));
      await store.compact();
      const afterClear = rollupRows(file);
      await store.rebuildRollups();
      assert.deepEqual(rollupRows(file), afterClear);
      assert.equal((afterClear.run_rollups as unknown[]).length, 4, 'one run: one row per grain');
      await store.close();
    } finally {
      removeDir(dir);
    }
  });
}

test('rollups in a time zone: day, week and month buckets follow local midnight, DST included', async () => {
  const dir = tempDir();
  try {
    const store = await openStore(path.join(dir, 'metrics.db'));
    const run = (n: number, timestamp: string, value: number): RecordBuildInput => ({
      build: { commitSha: sha(n), branch: 'main', runId: `r${n}`, event: 'manual', timestamp, dirty: false },
      definitions: DEFS,
      results: [{ metric: 'loc', status: 'ok', value, durationMs: 1 }],
    });
    await store.recordBuild(run(1, '2025-03-29T22:30:00Z', 1)); // Paris: Sat 29 Mar 23:30 (UTC+1)
    await store.recordBuild(run(2, '2025-03-29T23:30:00Z', 2)); // Paris: Sun 30 Mar 00:30, the DST day
    await store.recordBuild(run(3, '2025-03-30T21:30:00Z', 3)); // Paris: Sun 30 Mar 23:30 (UTC+2)
    await store.recordBuild(run(4, '2025-03-30T22:30:00Z', 4)); // Paris: Mon 31 Mar 00:30
    const utcDays = (await store.rollupSeries({ metric: 'loc', grain: 'day' })).map((p) => [p.bucketStart, p.count]);
    assert.deepEqual(utcDays, [['2025-03-29T00:00:00.000Z', 2], ['2025-03-30T00:00:00.000Z', 2]]);

    const rebuilt = await store.rebuildRollups({ timeZone: 'Europe/Paris' });
    assert.equal(rebuilt.timeZone, 'Europe/Paris');
    const days = (await store.rollupSeries({ metric: 'loc', grain: 'day' })).map((p) => [p.bucketStart, p.count, p.sum]);
    assert.deepEqual(days, [
      ['2025-03-28T23:00:00.000Z', 1, 1],
      ['2025-03-29T23:00:00.000Z', 2, 5], // a 23-hour day
      ['2025-03-30T22:00:00.000Z', 1, 4],
    ]);
    const weeks = (await store.rollupSeries({ metric: 'loc', grain: 'week' })).map((p) => [p.bucketStart, p.count]);
    assert.deepEqual(weeks, [['2025-03-23T23:00:00.000Z', 3], ['2025-03-30T22:00:00.000Z', 1]], 'ISO weeks start on Monday');
    const months = (await store.rollupSeries({ metric: 'loc', grain: 'month' })).map((p) => [p.bucketStart, p.count]);
    assert.deepEqual(months, [['2025-02-28T23:00:00.000Z', 4]]);
    // New records use the store's zone; it survives reopening.
    await store.recordBuild(run(5, '2025-03-31T21:59:59Z', 5)); // Paris: Mon 31 Mar 23:59:59
    await store.close();
    const reopened = await openStore(path.join(dir, 'metrics.db'));
    const last = (await reopened.rollupSeries({ metric: 'loc', grain: 'day' })).at(-1);
    assert.deepEqual([last?.bucketStart, last?.count, last?.last], ['2025-03-30T22:00:00.000Z', 2, 5]);
    assert.equal((await reopened.stats()).rollups?.timeZone, 'Europe/Paris');
    await assert.rejects(reopened.rebuildRollups({ timeZone: 'Mars/Olympus' }), /unknown time zone "Mars\/Olympus"/);
    await reopened.close();
  } finally {
    removeDir(dir);
  }
});
