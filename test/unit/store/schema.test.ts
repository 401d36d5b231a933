import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore } from '../../../src/core/store/sqlStore';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { sqliteExec, sqliteQuery } from '../../sqliteShell';
import { buildInput, removeDir, sha, tempDir } from './fixtures';

function columns(file: string, table: string): string[] {
  return sqliteQuery<{ name: string }>(file, `PRAGMA table_info(${table})`).map((c) => c.name);
}

test('a new store is a real SQLite file with the seed tables, Tidemark columns and indexes', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file);
    await store.recordBuild(buildInput({ commit: 1, day: 1, values: { 'bundle-size': 10 } }));
    await store.compact();
    await store.close();

    assert.deepEqual(columns(file, 'metric_definitions'), ['id', 'type', 'unit', 'description', 'direction', 'name']);
    assert.deepEqual(columns(file, 'build_contexts'), ['id', 'commit_sha', 'branch', 'run_id', 'run_number', 'event_name', 'timestamp', 'dirty', 'source']);
    assert.deepEqual(columns(file, 'metric_values'), ['id', 'metric_id', 'build_id', 'value_numeric', 'value_label']);
    assert.deepEqual(columns(file, 'metric_outcomes'), ['build_id', 'metric_id', 'status', 'duration_ms', 'message']);
    const indexes = sqliteQuery<{ name: string }>(file, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%' ORDER BY name").map((r) => r.name);
    assert.deepEqual(indexes, [
      'idx_build_contexts_branch_timestamp',
      'idx_build_contexts_run_number',
      'idx_build_contexts_timestamp',
      'idx_metric_outcomes_metric_build',
      'idx_metric_values_build',
      'idx_shared_runs_build',
    ]);
    assert.deepEqual(columns(file, 'run_parts'), ['build_id', 'base_build', 'parts']);
    assert.deepEqual(columns(file, 'metric_parts'), [], 'schema 5\'s breakdown table is gone');
    const valueIndexes = sqliteQuery<{ name: string }>(file, "SELECT name FROM pragma_index_list('metric_values') WHERE \"unique\" = 1");
    assert.equal(valueIndexes.length, 1, 'UNIQUE (metric_id, build_id) provides the per-metric index');
    const indexed = sqliteQuery<{ name: string }>(file, `SELECT name FROM pragma_index_info('${valueIndexes[0].name}') ORDER BY seqno`);
    assert.deepEqual(indexed.map((c) => c.name), ['metric_id', 'build_id']);
    const versions = sqliteQuery<{ version: number }>(file, 'SELECT version FROM schema_version ORDER BY version');
    assert.deepEqual(versions.map((v) => v.version), MIGRATIONS.map((m) => m.version));
    assert.deepEqual(sqliteQuery(file, 'SELECT value_numeric FROM metric_values'), [{ value_numeric: 10 }]);
  } finally {
    removeDir(dir);
  }
});

test('exactly-one-value, unique run and unique value constraints are enforced by SQLite', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file);
    await store.recordBuild(buildInput({ commit: 1, day: 1, values: { 'bundle-size': 10 } }));
    await store.compact();
    await store.close();
    assert.throws(() => sqliteExec(file, 'INSERT INTO metric_values (metric_id, build_id) VALUES (\'bundle-size\', 1)'), /CHECK constraint/);
    assert.throws(() => sqliteExec(file, "INSERT INTO metric_values (metric_id, build_id, value_numeric) VALUES ('bundle-size', 1, 2)"), /UNIQUE constraint/);
    assert.throws(
      () => sqliteExec(file, `INSERT INTO build_contexts (commit_sha, branch, run_id, run_number, event_name, timestamp) SELECT commit_sha, branch, run_id, 9, 'manual', timestamp FROM build_contexts`),
      /UNIQUE constraint/,
    );
  } finally {
    removeDir(dir);
  }
});

test('a migration numbered below one already applied (merged later from a parallel branch) still runs', async () => {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    const { migrate } = await import('../../../src/core/store/schema');
    migrate(db);
    // As if the later versions had been applied by a build that did not have version 3 yet.
    db.run('DELETE FROM schema_version WHERE version = 3');
    db.run('DROP TABLE run_rollups; DROP TABLE metric_rollups; DROP TABLE label_rollups');
    assert.deepEqual(migrate(db), [3]);
    assert.equal(db.exec("SELECT COUNT(*) FROM sqlite_master WHERE name = 'run_rollups'")[0].values[0][0], 1);
  } finally {
    db.close();
  }
});

test('opening a version-1 (seed model) file migrates it in order and keeps its history', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const SQL = await loadSqlJs();
    const seed = new SQL.Database();
    seed.exec(`CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, description TEXT NOT NULL);
      ${MIGRATIONS[0].sql}
      INSERT INTO schema_version VALUES (1, '2025-01-01T00:00:00.000Z', 'seed');
      INSERT INTO metric_definitions (id, type, unit) VALUES ('coverage', 'numeric', 'percent');
      INSERT INTO build_contexts (commit_sha, branch, run_id, run_number, event_name, timestamp)
        VALUES ('${sha(7)}', 'main', 'ci-1', 1, 'ci', '2025-01-05T00:00:00.000Z');
      INSERT INTO metric_values (metric_id, build_id, value_numeric) VALUES ('coverage', 1, 81.25);`);
    fs.writeFileSync(file, seed.export());
    seed.close();

    const store = await openStore(file);
    const points = await store.series({ metric: 'coverage' });
    assert.deepEqual(points.map((p) => [p.value, p.dirty, p.runNumber]), [[81.25, false, 1]]);
    const defs = await store.definitions();
    assert.deepEqual(defs, [{ id: 'coverage', type: 'numeric', unit: 'percent', description: null, direction: null, name: null }]);
    // Version-2 parts work on the migrated file: outcomes and the dirty flag.
    const { build } = await store.recordBuild(buildInput({ commit: 8, day: 6, dirty: true, values: { coverage: { status: 'timeout', message: 'took too long' } } }));
    assert.equal(build.runNumber, 2);
    const [latest] = await store.latest({ ref: 'main' });
    assert.equal(latest.value, 81.25);
    assert.equal(latest.lastOutcome?.status, 'timeout');
    // Version 3: rollups were built from the migrated history, then kept up to date.
    const [day] = await store.rollupSeries({ metric: 'coverage', grain: 'day' });
    assert.deepEqual([day.bucketStart, day.count, day.last, day.failures], ['2025-01-05T00:00:00.000Z', 1, 81.25, 0]);
    const summary = await store.summary();
    assert.deepEqual(summary.metrics.map((m) => [m.metric, m.status, m.values, m.failures, m.note]), [['coverage', 'partial', 1, 1, 'timeout: took too long']]);
    await store.compact();
    await store.close();

    const versions = sqliteQuery<{ version: number }>(file, 'SELECT version FROM schema_version ORDER BY version');
    assert.deepEqual(versions.map((v) => v.version), MIGRATIONS.map((m) => m.version));
    assert.equal(SCHEMA_VERSION, MIGRATIONS[MIGRATIONS.length - 1].version);
  } finally {
    removeDir(dir);
  }
});

test('a schema-6 store loses its second commit index at its first open, which writes the migrated snapshot once', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const writer = await openStore(file);
    await writer.recordBuild(buildInput({ commit: 1, day: 1, values: { 'bundle-size': 10 } }));
    await writer.compact();
    await writer.close();
    // Back to what schema 6 wrote: the index and no version 7.
    sqliteExec(file, "CREATE INDEX idx_build_contexts_commit ON build_contexts(commit_sha); DELETE FROM schema_version WHERE version = 7; PRAGMA journal_mode = DELETE");
    const indexes = () => sqliteQuery(file, "SELECT name FROM sqlite_master WHERE name = 'idx_build_contexts_commit'").length;
    assert.equal(indexes(), 1);
    const reader = await openStore(file, { readOnly: true });
    assert.equal((await reader.resolveRef(sha(1).slice(0, 8)))?.commitSha, sha(1), 'a commit prefix resolves');
    await reader.close();
    assert.equal(indexes(), 1, 'a read-only open migrates in memory only');

    const store = await openStore(file);
    await store.close();
    assert.equal(indexes(), 0, 'the first writing open wrote the migrated snapshot');
    const again = await openStore(file);
    assert.equal((await again.resolveRef(sha(1).slice(0, 8)))?.commitSha, sha(1));
    assert.equal((await again.stats()).builds, 1);
    await again.close();
  } finally {
    removeDir(dir);
  }
});

test('a store written by a newer schema is refused with a clear error and left untouched', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file);
    await store.compact();
    await store.close();
    sqliteExec(file, `INSERT INTO schema_version VALUES (${SCHEMA_VERSION + 1}, '2030-01-01T00:00:00.000Z', 'future')`);
    const before = fs.readFileSync(file);
    await assert.rejects(openStore(file), new RegExp(`schema version ${SCHEMA_VERSION + 1} is newer than this Tidemark understands`));
    assert.deepEqual(fs.readFileSync(file), before);
  } finally {
    removeDir(dir);
  }
});
