/**
 * Schema 5 -> 6: a real schema-5 store (test/fixtures/store/v5-parts.db, written by the schema-5
 * code, see make-v5-store.mjs there) opens under schema 6 with every breakdown reading back bit
 * for bit what schema 5 read back, and the migrated runs serve as bases for new ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StoreDb } from '../../../src/core/store/database';
import { readParts, readRunParts } from '../../../src/core/store/parts';
import { SCHEMA_VERSION } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { openStore } from '../../../src/core/store/sqlStore';
import { sqlLiteral, sqliteQuery } from '../../sqliteShell';
import { removeDir, tempDir } from './fixtures';

const FIXTURES = path.join(__dirname, '../../../../test/fixtures/store');

interface Expected {
  runs: number;
  breakdowns: { runId: string; metric: string; parts: Record<string, number> }[];
}

async function readAll(file: string): Promise<{ byRun: Map<string, Map<string, Record<string, number>>>; tables: string[]; versions: number[] }> {
  const SQL = await loadSqlJs();
  const db = new StoreDb(new SQL.Database(fs.readFileSync(file)));
  try {
    const byRun = new Map<string, Map<string, Record<string, number>>>();
    for (const [id, runId] of db.all('SELECT id, run_id FROM build_contexts ORDER BY id')) {
      const run = readRunParts(db, Number(id));
      if (run) byRun.set(String(runId), run);
      for (const [metric, parts] of run ?? []) assert.deepEqual(readParts(db, metric, Number(id)), parts);
    }
    const tables = db.all("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((r) => String(r[0]));
    const versions = db.all('SELECT version FROM schema_version ORDER BY version').map((r) => Number(r[0]));
    return { byRun, tables, versions };
  } finally {
    db.close();
  }
}

test('a real schema-5 store migrates to one packed row per run; every breakdown reads back bit for bit', async () => {
  const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'v5-parts.expected.json'), 'utf8')) as Expected;
  const dir = tempDir();
  try {
    const file = path.join(dir, 'tidemark.db');
    fs.copyFileSync(path.join(FIXTURES, 'v5-parts.db'), file);
    assert.deepEqual(sqliteQuery(file, 'SELECT MAX(version) AS v FROM schema_version'), [{ v: 5 }], 'the fixture is a schema-5 store');
    assert.deepEqual(sqliteQuery(file, 'SELECT COUNT(*) AS n FROM metric_parts'), [{ n: expected.breakdowns.length }]);

    const store = await openStore(file);
    await store.compact();
    await store.close();

    const { byRun, tables, versions } = await readAll(file);
    assert.deepEqual(versions, Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    assert.ok(tables.includes('run_parts') && !tables.includes('metric_parts'), `tables: ${tables.join(', ')}`);
    const got = [...byRun].flatMap(([runId, run]) => [...run].map(([metric, parts]) => ({ runId, metric, parts })));
    const key = (b: { runId: string; metric: string }) => `${b.runId} ${b.metric}`;
    assert.deepEqual(got.map(key).sort(), expected.breakdowns.map(key).sort(), 'the same runs and metrics have breakdowns');
    for (const want of expected.breakdowns) {
      const parts = byRun.get(want.runId)!.get(want.metric)!;
      // deepStrictEqual compares numbers with Object.is: bit for bit (JSON keeps every double exactly).
      assert.deepStrictEqual(parts, want.parts, key(want));
    }
    assert.deepEqual(sqliteQuery(file, 'SELECT COUNT(*) AS n FROM run_parts'), [{ n: byRun.size }], 'one row per run');
  } finally {
    removeDir(dir);
  }
});

test('a run recorded after the migration is a delta on the migrated runs, and retention still rebases them', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'tidemark.db');
    fs.copyFileSync(path.join(FIXTURES, 'v5-parts.db'), file);
    const store = await openStore(file);
    const builds = (await store.builds()).map((b) => b.build);
    const last = builds.filter((b) => b.branch === 'main').sort((a, b) => (a.timestamp < b.timestamp ? 1 : -1))[0];
    const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'v5-parts.expected.json'), 'utf8')) as Expected;
    const before = new Map(expected.breakdowns.filter((b) => b.runId === last.runId).map((b) => [b.metric, b.parts]));
    assert.equal(before.size, 3, 'the last run of main has three breakdowns');
    const size = { ...before.get('bundle-size')!, 'dist/chunk-0.js': before.get('bundle-size')!['dist/chunk-0.js'] + 5 };
    await store.recordBuild({
      build: { commitSha: 'f'.repeat(40), branch: 'main', runId: 'after', event: 'manual', timestamp: new Date(Date.parse(last.timestamp) + 60_000).toISOString(), dirty: false },
      definitions: [{ id: 'bundle-size', type: 'numeric', unit: 'bytes' }],
      results: [{ metric: 'bundle-size', status: 'ok', value: 1, durationMs: 1, parts: size }],
    });
    const changes = await store.partChanges('bundle-size', last.id, (await store.builds()).find((b) => b.build.runId === 'after')!.build.id);
    assert.deepEqual(changes.map((c) => [c.name, c.delta]), [['dist/chunk-0.js', 5]]);
    // Everything before `last` goes (saves) or loses its breakdown (kept runs): `last` and `after` read the same.
    const now = new Date(Date.parse(last.timestamp) + 30 * 86_400_000 - 1000).toISOString();
    for (let i = 0; i < 100; i++) if ((await store.applyRetention({ rawDays: 30, commitRuns: 'all' }, { now, maxBuilds: 5 })).done) break;
    await store.compact();
    await store.close();
    const after = (await readAll(file)).byRun;
    assert.deepStrictEqual(after.get(last.runId), before);
    assert.deepStrictEqual(after.get('after')?.get('bundle-size'), size);
    const rows = sqliteQuery(file, `SELECT p.base_build FROM run_parts p JOIN build_contexts b ON b.id = p.build_id WHERE b.run_id = ${sqlLiteral(last.runId)}`);
    assert.deepEqual(rows, [{ base_build: null }], 'the oldest run left on main is stored whole');
  } finally {
    removeDir(dir);
  }
});
