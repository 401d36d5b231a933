/**
 * Breakdowns (run_parts, schema version 6): stored as deltas on the branch's previous run,
 * read back whole, the same after journal replay, kept whole for later runs when retention
 * deletes the runs they were based on, and cleared with the history.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { RecordBuildInput, StoreApi } from '../../../src/core/store/api';
import { PARTS_CAP } from '../../../src/core/store/parts';
import { openStore } from '../../../src/core/store/sqlStore';
import { sqliteQuery } from '../../sqliteShell';
import { buildInput, removeDir, tempDir } from './fixtures';

const NOW = '2025-03-01T00:00:00Z';

function withParts(input: RecordBuildInput, parts: Record<string, Record<string, number>>): RecordBuildInput {
  return { ...input, results: input.results.map((r) => (parts[r.metric] ? { ...r, parts: parts[r.metric] } : r)) };
}

const sum = (parts: Record<string, number>): number => Object.values(parts).reduce((a, b) => a + b, 0);

/** main: day 1 two files; day 2 app.js grows; feature (day 3) adds a chunk and grows app.js more. */
const MAIN_1 = { 'dist/app.js': 1000, 'dist/vendor.js': 5000 };
const MAIN_2 = { 'dist/app.js': 1100, 'dist/vendor.js': 5000 };
const FEATURE = { 'dist/app.js': 1200, 'dist/vendor.js': 5000, 'dist/chunk-charts.js': 1100 };

async function fill(store: StoreApi): Promise<void> {
  await store.recordBuild(withParts(buildInput({ commit: 1, day: 1, runId: 'm1', event: 'save', dirty: true, values: { 'bundle-size': sum(MAIN_1), coverage: 80 } }), { 'bundle-size': MAIN_1, coverage: { 'src/a.ts': 90, 'src/b.ts': 70 } }));
  await store.recordBuild(withParts(buildInput({ commit: 2, day: 2, runId: 'm2', values: { 'bundle-size': sum(MAIN_2), coverage: 80 } }), { 'bundle-size': MAIN_2, coverage: { 'src/a.ts': 90, 'src/b.ts': 70 } }));
  await store.recordBuild(withParts(buildInput({ commit: 3, day: 3, runId: 'f1', branch: 'feature', values: { 'bundle-size': sum(FEATURE), coverage: 75 } }), { 'bundle-size': FEATURE, coverage: { 'src/a.ts': 95, 'src/b.ts': 55, 'src/c.ts': 100 } }));
}

test('compare names the files that moved a metric, with both sides; coverage lists drops first', async () => {
  const dir = tempDir();
  try {
    const store = await openStore(path.join(dir, 'metrics.db'));
    await fill(store);
    const cmp = await store.compare('main', 'feature');
    const size = cmp.metrics.find((m) => m.metric === 'bundle-size')!;
    assert.equal(size.delta, sum(FEATURE) - sum(MAIN_2));
    assert.deepEqual(size.parts, [
      { name: 'dist/chunk-charts.js', base: null, head: 1100, delta: 1100 },
      { name: 'dist/app.js', base: 1100, head: 1200, delta: 100 },
    ]);
    const coverage = cmp.metrics.find((m) => m.metric === 'coverage')!;
    assert.deepEqual(coverage.parts?.map((p) => [p.name, p.delta]), [['src/b.ts', -15], ['src/a.ts', 5], ['src/c.ts', 100]]);
    // A metric without breakdowns has none.
    await store.recordBuild(buildInput({ commit: 4, day: 4, runId: 'm3', values: { loc: 10 } }));
    await store.recordBuild(buildInput({ commit: 5, day: 5, runId: 'f2', branch: 'feature', values: { loc: 12 } }));
    assert.equal((await store.compare('main', 'feature')).metrics.find((m) => m.metric === 'loc')!.parts, undefined);
    await store.close();
  } finally {
    removeDir(dir);
  }
});

test('a run stores only what changed since the branch\'s previous run; replaying the journal gives the same rows', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file);
    await fill(store);
    const before = await store.compare('main', 'feature');
    // No compaction: the next open replays the journal records into a fresh snapshot.
    await store.close();
    const reopened = await openStore(file);
    assert.deepEqual(await reopened.compare('main', 'feature'), before);
    await reopened.compact();
    await reopened.close();

    // The shell prints a blob as raw bytes: read it as hex.
    const rows = sqliteQuery<{ build_id: number; base_build: number | null; parts: string }>(file, 'SELECT build_id, base_build, hex(parts) AS parts FROM run_parts ORDER BY build_id').map((r) => ({ ...r, parts: Buffer.from(r.parts, 'hex') }));
    assert.equal(rows.length, 3, 'one row per run, for all its metrics');
    const ids = Object.fromEntries(sqliteQuery<{ id: number; name: string }>(file, 'SELECT id, name FROM metric_part_names').map((r) => [r.name, r.id]));
    assert.deepEqual(Object.keys(ids).sort(), ['bundle-size', 'coverage', 'dist/app.js', 'dist/vendor.js', 'src/a.ts', 'src/b.ts', 'src/c.ts', 'dist/chunk-charts.js'].sort(), 'names (files and metrics) stored once');
    assert.equal(rows[0].base_build, null, 'the first run of main is stored whole');
    assert.equal(rows[1].base_build, rows[0].build_id, 'the second on the first');
    // bundle-size: one entry, app.js +100 on the base's value (tag 3, zigzag 200 = 0xc8 0x01); coverage: no entry.
    assert.deepEqual([...rows[1].parts], [ids['bundle-size'], 2, ids['dist/app.js'] * 4 + 3, 0xc8, 0x01, ids.coverage, 0], 'only what changed, packed');
    assert.equal(rows[2].base_build, null, 'the first run of another branch is stored whole');
  } finally {
    removeDir(dir);
  }
});

test('retention folds a deleted run into the runs stored as deltas on it; clear removes every breakdown', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file);
    await fill(store);
    // A later save of commit 1 on main, so retention may delete m1 (an old save, not its commit's last run).
    await store.recordBuild(withParts(buildInput({ commit: 1, day: 1, runId: 'm1b', event: 'save', dirty: true, values: { 'bundle-size': sum(MAIN_1) } }), { 'bundle-size': MAIN_1 }));
    const before = await store.compare('main', 'feature');
    let done = false;
    // rawDays 1 on 3 January: m1 (an old save, not its commit's last run) goes; m2 and f1 are recent.
    for (let i = 0; !done && i < 20; i++) done = (await store.applyRetention({ rawDays: 1, commitRuns: 'all' }, { now: '2025-01-03T00:00:00Z', maxBuilds: 50 })).done;
    const ids = (await store.builds()).map((b) => b.build.runId);
    assert.ok(!ids.includes('m1'), `m1 was deleted (${ids.join(', ')})`);
    assert.deepEqual(await store.compare('main', 'feature'), before, 'm2\'s breakdown no longer needs m1');
    await store.close();
    const reopened = await openStore(file);
    assert.deepEqual(await reopened.compare('main', 'feature'), before, 'and the same after replaying the prune');
    await reopened.clearHistory();
    await reopened.compact();
    await reopened.close();
    assert.deepEqual(sqliteQuery(file, 'SELECT COUNT(*) AS n FROM run_parts'), [{ n: 0 }]);
    assert.deepEqual(sqliteQuery(file, 'SELECT COUNT(*) AS n FROM metric_part_names'), [{ n: 0 }]);
  } finally {
    removeDir(dir);
  }
});

test('a breakdown is capped with the rest under "(other)", and garbage parts are dropped, never stored', async () => {
  const dir = tempDir();
  try {
    const store = await openStore(path.join(dir, 'metrics.db'));
    const many = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`f${String(i).padStart(3, '0')}.js`, i + 1]));
    await store.recordBuild(withParts(buildInput({ commit: 1, day: 1, values: { 'bundle-size': sum(many) } }), { 'bundle-size': many }));
    const grown = { ...many, 'f000.js': 1000 };
    await store.recordBuild(withParts(buildInput({ commit: 2, day: 2, branch: 'next', values: { 'bundle-size': sum(grown) } }), { 'bundle-size': { ...grown, bad: Number.NaN } }));
    const cmp = await store.compare('main', 'next');
    const size = cmp.metrics.find((m) => m.metric === 'bundle-size')!;
    // f000.js (1 B) was in "(other)" on main and is among the largest on next.
    assert.deepEqual(size.parts?.map((p) => p.name).sort(), ['(other)', 'f000.js', 'f151.js'].sort());
    assert.equal(size.parts!.reduce((t, p) => t + p.delta, 0), size.delta, 'the parts add up to the change');
    assert.equal(PARTS_CAP, 100);
    await store.close();
  } finally {
    removeDir(dir);
  }
});

test('breakdowns live as long as on-save runs: a kept run older than rawDays loses its own, newer runs still read theirs', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file);
    // Days 1 and 2 of January (old, kept: manual runs of their commits), day 50 (recent).
    await store.recordBuild(withParts(buildInput({ commit: 1, day: 1, runId: 'old-1', values: { 'bundle-size': sum(MAIN_1) } }), { 'bundle-size': MAIN_1 }));
    await store.recordBuild(withParts(buildInput({ commit: 2, day: 2, runId: 'old-2', values: { 'bundle-size': sum(MAIN_2) } }), { 'bundle-size': MAIN_2 }));
    await store.recordBuild(withParts(buildInput({ commit: 3, day: 50, runId: 'recent', branch: 'feature', values: { 'bundle-size': sum(FEATURE) } }), { 'bundle-size': FEATURE }));
    await store.recordBuild(withParts(buildInput({ commit: 4, day: 51, runId: 'recent-main', values: { 'bundle-size': sum(MAIN_2) + 5 } }), { 'bundle-size': { ...MAIN_2, 'dist/app.js': 1105 } }));
    let done = false;
    for (let i = 0; !done && i < 20; i++) done = (await store.applyRetention({ rawDays: 30, commitRuns: 'all' }, { now: NOW, maxBuilds: 1 })).done;
    assert.ok(done);
    const ids = Object.fromEntries((await store.builds()).map((b) => [b.build.runId, b.build.id]));
    assert.deepEqual(Object.keys(ids).sort(), ['old-1', 'old-2', 'recent', 'recent-main'], 'no run is deleted');
    assert.deepEqual(await store.partChanges('bundle-size', ids['old-1'], ids['old-2']), [], 'the old runs have no breakdown any more');
    const changes = await store.partChanges('bundle-size', ids['recent-main'], ids.recent);
    assert.deepEqual(changes.map((c) => [c.name, c.delta]), [['dist/chunk-charts.js', 1100], ['dist/app.js', 95]], 'recent-main was a delta on old-2 and still reads back whole');
    await store.close();
    const reopened = await openStore(file);
    assert.deepEqual(await reopened.partChanges('bundle-size', ids['recent-main'], ids.recent), changes, 'the same after replay');
    await reopened.close();
  } finally {
    removeDir(dir);
  }
});

test('a run recorded out of order shares its base with a later one; retention rebases both before the base goes', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file);
    const X3 = { 'dist/a.js': 30, 'dist/b.js': 31 };
    const X4 = { 'dist/a.js': 40, 'dist/c.js': 41 };
    await store.recordBuild(withParts(buildInput({ commit: 1, day: 1, runId: 'r1', event: 'save', dirty: true, values: { 'bundle-size': 10 } }), { 'bundle-size': { 'dist/a.js': 10 } }));
    await store.recordBuild(withParts(buildInput({ commit: 1, day: 2, runId: 'p', event: 'save', dirty: true, values: { 'bundle-size': 20 } }), { 'bundle-size': { 'dist/a.js': 20, 'dist/b.js': 1 } }));
    // The last run of commit 1 (no breakdown), so the two saves before it may go.
    await store.recordBuild(buildInput({ commit: 1, day: 3, runId: 'last-of-1', event: 'save', dirty: true, values: { loc: 1 } }));
    await store.recordBuild(withParts(buildInput({ commit: 2, day: 10, runId: 'r3', values: { 'bundle-size': sum(X3) } }), { 'bundle-size': X3 }));
    // Recorded last but earlier in time (a pulled run): its base is p too, and it comes before r3 on the branch.
    await store.recordBuild(withParts(buildInput({ commit: 3, day: 5, runId: 'r4', values: { 'bundle-size': sum(X4) } }), { 'bundle-size': X4 }));
    const ids = Object.fromEntries((await store.builds()).map((b) => [b.build.runId, b.build.id]));
    const expected = [
      { name: 'dist/c.js', base: 41, head: null, delta: -41 },
      { name: 'dist/b.js', base: null, head: 31, delta: 31 },
      { name: 'dist/a.js', base: 40, head: 30, delta: -10 },
    ];
    assert.deepEqual(await store.partChanges('bundle-size', ids.r4, ids.r3), expected);
    let done = false;
    for (let i = 0; !done && i < 20; i++) done = (await store.applyRetention({ rawDays: 30, commitRuns: 'all' }, { now: '2025-02-03T00:00:00Z', maxBuilds: 50 })).done;
    const kept = (await store.builds()).map((b) => b.build.runId).sort();
    assert.deepEqual(kept, ['last-of-1', 'r3', 'r4'], 'both saves with breakdowns went');
    assert.deepEqual(await store.partChanges('bundle-size', ids.r4, ids.r3), expected, 'r3 and r4 read back the same without p');
    await store.close();
    const reopened = await openStore(file);
    assert.deepEqual(await reopened.partChanges('bundle-size', ids.r4, ids.r3), expected, 'and after replaying the prune');
    await reopened.close();
  } finally {
    removeDir(dir);
  }
});
