import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultCompactThreshold, openStore } from '../../../src/core/store/sqlStore';
import { buildInput, DEFS, removeDir, tempDir } from './fixtures';

test('a recorded build is durable without close or snapshot: a second open sees it from the journal', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const writer = await openStore(file);
    const { build, rejected } = await writer.recordBuild(
      buildInput({ commit: 1, day: 3, dirty: true, values: { 'bundle-size': 123456.789012345, 'node-version': 'v20.11.1', coverage: { status: 'failed', message: 'exit code 2: no tests' } } }),
    );
    assert.deepEqual(rejected, []);
    assert.equal(fs.existsSync(file), false, 'no snapshot is written on the hot path');
    assert.ok(fs.statSync(`${file}.journal`).size > 0);

    const reader = await openStore(file);
    const [run] = await reader.builds();
    assert.deepEqual(run.build, build);
    assert.equal(run.build.dirty, true);
    assert.deepEqual(run.outcomes, [
      { metric: 'bundle-size', status: 'ok', value: 123456.789012345, durationMs: null, message: null },
      { metric: 'coverage', status: 'failed', value: null, durationMs: 12, message: 'exit code 2: no tests' },
      { metric: 'node-version', status: 'ok', value: 'v20.11.1', durationMs: null, message: null },
    ]);
    assert.deepEqual(await reader.definitions(), [
      { id: 'bundle-size', type: 'numeric', unit: 'bytes', description: 'dist size', direction: 'lower-is-better', name: null },
      { id: 'coverage', type: 'numeric', unit: 'percent', description: null, direction: 'higher-is-better', name: null },
      { id: 'loc', type: 'numeric', unit: 'integer', description: null, direction: null, name: null },
      { id: 'node-version', type: 'label', unit: null, description: null, direction: null, name: null },
    ]);
    await reader.close();
    await writer.close();
  } finally {
    removeDir(dir);
  }
});

test('run numbers default to max + 1 and explicit ones are kept', async () => {
  const dir = tempDir();
  try {
    const store = await openStore(path.join(dir, 'metrics.db'));
    const first = await store.recordBuild(buildInput({ commit: 1, day: 1, values: { loc: 1 } }));
    const explicit = await store.recordBuild(buildInput({ commit: 2, day: 2, runNumber: 40, values: { loc: 2 } }));
    const next = await store.recordBuild(buildInput({ commit: 3, day: 3, values: { loc: 3 } }));
    assert.deepEqual([first.build.runNumber, explicit.build.runNumber, next.build.runNumber], [1, 40, 41]);
    await store.close();
  } finally {
    removeDir(dir);
  }
});

test("a metric's type is immutable: that metric is rejected, the rest of the build is stored", async () => {
  const dir = tempDir();
  try {
    const store = await openStore(path.join(dir, 'metrics.db'));
    await store.recordBuild(buildInput({ commit: 1, day: 1, values: { coverage: 80, loc: 100 } }));
    const changed = DEFS.map((d) => (d.id === 'coverage' ? { ...d, type: 'label' as const, description: 'now a label' } : { ...d, description: 'updated' }));
    const outcome = await store.recordBuild(buildInput({ commit: 2, day: 2, values: { coverage: 'high', loc: 120 } }, changed));
    assert.equal(outcome.rejected.length, 1);
    assert.equal(outcome.rejected[0].metric, 'coverage');
    assert.match(outcome.rejected[0].message, /recorded as numeric; its type cannot change to label/);
    const [run] = await store.builds({ limit: 1 });
    assert.deepEqual(run.outcomes.map((o) => [o.metric, o.value]), [['loc', 120]]);
    const defs = await store.definitions();
    const coverage = defs.find((d) => d.id === 'coverage');
    assert.equal(coverage?.type, 'numeric');
    assert.equal(coverage?.description, null, 'a rejected definition is not applied at all');
    assert.equal(defs.find((d) => d.id === 'loc')?.description, 'updated', 'unit and description may change');
    await store.close();
  } finally {
    removeDir(dir);
  }
});

test('values of the wrong kind and metrics without definition are rejected, never stored wrong', async () => {
  const dir = tempDir();
  try {
    const store = await openStore(path.join(dir, 'metrics.db'));
    const input = buildInput({ commit: 1, day: 1, values: { coverage: 'ninety', 'node-version': 20, loc: 5 } });
    input.results.push({ metric: 'unknown-metric', status: 'ok', value: 1, durationMs: 1 });
    input.results.push({ metric: 'bundle-size', status: 'ok', value: Number.NaN, durationMs: 1 });
    const outcome = await store.recordBuild(input);
    assert.deepEqual(
      outcome.rejected.map((r) => r.metric).sort(),
      ['bundle-size', 'coverage', 'node-version', 'unknown-metric'],
    );
    assert.match(outcome.rejected.find((r) => r.metric === 'unknown-metric')!.message, /has no definition/);
    assert.match(outcome.rejected.find((r) => r.metric === 'bundle-size')!.message, /numeric but its value is null/);
    const [run] = await store.builds();
    assert.deepEqual(run.outcomes.map((o) => o.metric), ['loc']);
    await store.close();
  } finally {
    removeDir(dir);
  }
});

test('malformed builds and duplicate runs are errors and store nothing', async () => {
  const dir = tempDir();
  try {
    const store = await openStore(path.join(dir, 'metrics.db'));
    await store.recordBuild(buildInput({ commit: 1, runId: 'same', day: 1, values: { loc: 1 } }));
    await assert.rejects(store.recordBuild(buildInput({ commit: 1, runId: 'same', day: 2, values: { loc: 2 } })), /run same of commit [0-9a-f]{40} is already recorded/);
    const bad = buildInput({ commit: 2, day: 2, values: { loc: 2 } });
    await assert.rejects(store.recordBuild({ ...bad, build: { ...bad.build, commitSha: 'xyz' } }), /commitSha must be 40 hex characters/);
    await assert.rejects(store.recordBuild({ ...bad, build: { ...bad.build, timestamp: 'yesterday' } }), /"yesterday" is not an ISO 8601 timestamp/);
    const stats = await store.stats();
    assert.equal(stats.builds, 1);
    assert.equal(stats.values, 1);
    await store.close();
  } finally {
    removeDir(dir);
  }
});

test('clearHistory deletes every run, returns the count, and survives reopen', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file);
    for (let i = 1; i <= 3; i++) await store.recordBuild(buildInput({ commit: i, day: i, values: { loc: i, coverage: { status: 'cancelled', message: 'stopped' } } }));
    assert.equal(await store.clearHistory(), 3);
    await store.close();
    const reopened = await openStore(file);
    const stats = await reopened.stats();
    assert.deepEqual([stats.builds, stats.values, stats.branches, stats.lastRun], [0, 0, 0, null]);
    assert.deepEqual(await reopened.latest(), []);
    const again = await reopened.recordBuild(buildInput({ commit: 9, day: 9, values: { loc: 9 } }));
    assert.equal(again.build.id, 4, 'build ids are never reused');
    assert.equal(await reopened.clearHistory(), 1);
    await reopened.close();
  } finally {
    removeDir(dir);
  }
});

test('compact writes the snapshot and empties the journal; stats reports both files', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file);
    await store.recordBuild(buildInput({ commit: 1, day: 1, values: { loc: 1 } }));
    const before = await store.stats();
    assert.equal(before.fileBytes, 0);
    assert.ok(before.journalBytes > 0);
    await store.compact();
    const after = await store.stats();
    assert.ok(after.fileBytes > 0);
    assert.equal(after.journalBytes, 0);
    assert.deepEqual([after.builds, after.values, after.metrics, after.branches], [1, 1, 4, 1]);
    assert.equal(after.firstRun, '2025-01-01T12:00:00.000Z');
    assert.equal(fs.readdirSync(dir).filter((f) => f.includes('.tmp')).length, 0);
    await store.close();
  } finally {
    removeDir(dir);
  }
});

test('without a configured threshold a small store is snapshotted once its journal passes 16 KiB; the threshold grows with the snapshot up to 512 KiB', async () => {
  assert.equal(defaultCompactThreshold(0), 16 << 10);
  assert.equal(defaultCompactThreshold(160 << 10), 16 << 10);
  assert.equal(defaultCompactThreshold(4 << 20), 256 << 10);
  assert.equal(defaultCompactThreshold(8 << 20), 512 << 10);
  assert.equal(defaultCompactThreshold(50 << 20), 512 << 10);
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file);
    let largest = 0;
    let snapshots = 0;
    let lastFileBytes = 0;
    for (let i = 1; i <= 300; i++) {
      await store.recordBuild(buildInput({ commit: i, day: 1 + (i % 28), values: { loc: i, coverage: i } }));
      const stats = await store.stats();
      largest = Math.max(largest, stats.journalBytes);
      if (stats.fileBytes !== lastFileBytes) snapshots++;
      lastFileBytes = stats.fileBytes;
    }
    assert.ok(snapshots >= 2, `snapshots written as the journal grew (${snapshots})`);
    assert.ok(largest < defaultCompactThreshold(lastFileBytes) + 4096, `the journal stays near the threshold: at most ${largest} bytes (${lastFileBytes}-byte snapshot)`);
    await store.close();
    const reopened = await openStore(file);
    assert.equal((await reopened.stats()).builds, 300);
    await reopened.close();
  } finally {
    removeDir(dir);
  }
});

test('the journal is compacted in the background once it passes the threshold', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file, { compactThresholdBytes: 2000 });
    for (let i = 1; i <= 5; i++) await store.recordBuild(buildInput({ commit: i, day: i, values: { loc: i, coverage: i } }));
    // The snapshot is queued behind the call that crossed the threshold, so the next call sees it.
    const stats = await store.stats();
    assert.ok(stats.fileBytes > 0, 'snapshot written');
    assert.ok(stats.journalBytes < 2000, 'journal truncated');
    await store.close();
    const reopened = await openStore(file);
    assert.equal((await reopened.stats()).builds, 5);
    await reopened.close();
  } finally {
    removeDir(dir);
  }
});
