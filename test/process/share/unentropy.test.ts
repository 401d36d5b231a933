/** Coming from Unentropy: its SQLite database and its canonical JSONL, through the real CLI. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sqlLiteral, sqliteExec } from '../../sqliteShell';
import { tempDir } from '../../unit/collect/helpers';
import { ensureBuilt, json, tidemark } from './helpers';

let tmp: { dir: string; cleanup(): void };
before(() => {
  ensureBuilt();
  tmp = tempDir();
});
after(() => tmp.cleanup());

const sha = (n: number) => n.toString(16).padStart(40, 'a');
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A database with Unentropy 0.3's tables, constraints and kinds of rows, written by native SQLite. */
function unentropyDb(file: string): void {
  const script = [
    `
    CREATE TABLE schema_version (version TEXT PRIMARY KEY, applied_at TEXT);
    INSERT INTO schema_version VALUES ('1.0.0', '2025-01-01T00:00:00Z');
    CREATE TABLE metric_definitions (id TEXT PRIMARY KEY, type TEXT NOT NULL CHECK (type IN ('numeric', 'label')), unit TEXT, description TEXT);
    CREATE TABLE build_contexts (id INTEGER PRIMARY KEY AUTOINCREMENT, commit_sha TEXT NOT NULL, branch TEXT NOT NULL, run_id TEXT NOT NULL,
      run_number INTEGER NOT NULL, event_name TEXT, timestamp DATETIME NOT NULL, UNIQUE (commit_sha, run_id));
    CREATE TABLE metric_values (id INTEGER PRIMARY KEY AUTOINCREMENT, metric_id TEXT NOT NULL, build_id INTEGER NOT NULL,
      value_numeric REAL, value_label TEXT, UNIQUE (metric_id, build_id));
    INSERT INTO metric_definitions VALUES ('coverage', 'numeric', 'percent', 'Line coverage'), ('bundle', 'numeric', 'bytes', NULL), ('status', 'label', NULL, NULL);
    BEGIN;`,
  ];
  // Unentropy inserts with prepared statements; here each value is an SQL literal (sqlLiteral).
  const values = (...row: (string | number | null)[]) => row.map(sqlLiteral).join(', ');
  const events = ['push', 'pull_request', 'import'];
  for (let i = 1; i <= 12; i++) {
    script.push(`INSERT INTO build_contexts (commit_sha, branch, run_id, run_number, event_name, timestamp) VALUES (${values(sha(i), i % 4 === 0 ? 'feature' : 'main', `run-${i}`, i === 1 ? 0 : i, events[i % 3], `2025-02-${String(i).padStart(2, '0')}T10:00:00.000Z`)});`);
    // Unentropy takes the build's id from the insert (lastInsertRowid); here (commit_sha, run_id) finds it.
    const build = `(SELECT id FROM build_contexts WHERE commit_sha = ${sqlLiteral(sha(i))} AND run_id = ${sqlLiteral(`run-${i}`)})`;
    for (const row of [['coverage', 90 + i / 10, null], ['bundle', 1000 * i, null], ['status', null, i % 2 ? 'green' : 'red']] as const) {
      script.push(`INSERT INTO metric_values (metric_id, build_id, value_numeric, value_label) VALUES (${sqlLiteral(row[0])}, ${build}, ${values(row[1], row[2])});`);
    }
  }
  script.push('COMMIT;');
  sqliteExec(file, script.join('\n'));
}

test('tidemark import recognises an Unentropy database and imports every build and value, never changing the file', () => {
  const dir = path.join(tmp.dir, 'db');
  mkdirSync(dir);
  const file = path.join(dir, 'unentropy.db');
  unentropyDb(file);
  const before = digest(file);

  // Before: opening it as a store said "store migration to version 1 failed". Now a clear pointer, file untouched.
  const asStore = tidemark(dir, ['summary', '--db', file]);
  assert.notEqual(asStore.code, 0);
  assert.match(asStore.stderr, /looks like an Unentropy database\): import it with `tidemark import FILE`; it is left unchanged/);
  assert.equal(digest(file), before);

  const imported = json<{ imported: number; values: number; problems: unknown[] }>(tidemark(dir, ['import', file, '--json']));
  assert.deepEqual([imported.imported, imported.values, imported.problems], [12, 36, []]);
  assert.equal(digest(file), before, 'the Unentropy file is never changed');
  const again = json<{ imported: number; skipped: number }>(tidemark(dir, ['import', file, '--json']));
  assert.deepEqual([again.imported, again.skipped], [0, 12]);

  const stats = json<{ builds: number; values: number; runsByEvent: Record<string, number> }>(tidemark(dir, ['stats', '--json']));
  assert.equal(stats.builds, 12);
  assert.equal(stats.values, 36);
  assert.deepEqual(stats.runsByEvent, { manual: 0, save: 0, ci: 8, import: 4, backfill: 0 });
  // Units came with the definitions: coverage shows as a percentage, sizes as bytes.
  const history = tidemark(dir, ['history', 'coverage', '--branch', 'main']);
  assert.equal(history.code, 0, history.stderr);
  assert.match(history.stdout, /91\.1 ?%/);
  const sizes = tidemark(dir, ['history', 'bundle']);
  assert.match(sizes.stdout, /12(\.0)? kB/);
});

test('canonical JSONL with run_number 0 imports; bad lines import nothing unless --skip-invalid, as import --help says', () => {
  const dir = path.join(tmp.dir, 'jsonl');
  mkdirSync(dir);
  const file = path.join(dir, 'in.jsonl');
  const good = { metric_id: 'coverage', timestamp: '2025-03-01T10:00:00Z', value_numeric: 88.5, commit_sha: sha(99), branch: 'main', run_number: 0 };
  writeFileSync(file, `${JSON.stringify(good)}\n${JSON.stringify({ ...good, metric_id: 'loc', value_numeric: 10, commit_sha: undefined })}\n`);
  const ok = json<{ imported: number; builds: number }>(tidemark(dir, ['import', file, '--json']));
  assert.deepEqual([ok.imported, ok.builds], [2, 2]);

  writeFileSync(file, `${JSON.stringify({ ...good, commit_sha: sha(100) })}\n{broken\n`);
  const bad = tidemark(dir, ['import', file]);
  assert.equal(bad.code, 2);
  assert.match(bad.stdout, /Nothing was imported/);
  assert.match(bad.stderr, /in\.jsonl:2: not valid JSON/);
  assert.equal(json<{ builds: number }>(tidemark(dir, ['stats', '--json'])).builds, 2);
  const skip = tidemark(dir, ['import', file, '--skip-invalid']);
  assert.equal(skip.code, 2);
  assert.equal(json<{ builds: number }>(tidemark(dir, ['stats', '--json'])).builds, 3);
  const help = tidemark(dir, ['import', '--help']).stdout;
  assert.match(help, /NOTHING is imported/);
  assert.match(help, /without commit_sha is recorded under the all-zero commit/);
});

test('tidemark init --from unentropy.json writes an equivalent tidemark.json, with a comment for what has no equivalent', () => {
  const dir = path.join(tmp.dir, 'init');
  mkdirSync(dir);
  writeFileSync(
    path.join(dir, 'unentropy.json'),
    JSON.stringify({
      metrics: {
        coverage: { $ref: 'coverage', command: '@collect coverage-lcov coverage/lcov.info' },
        size: { $ref: 'size' },
        tests: { type: 'numeric', name: 'Test count', command: 'echo 12', unit: 'integer', timeout: 30000 },
        status: { type: 'label', command: 'echo ok' },
      },
      storage: { type: 'sqlite-s3' },
      qualityGate: {
        mode: 'hard',
        baseline: { referenceBranch: 'trunk', maxAgeDays: 30 },
        thresholds: [
          { metric: 'coverage', mode: 'no-regression' },
          { metric: 'size', mode: 'delta-max-drop', maxDropPercent: 5, severity: 'warning' },
          { metric: 'tests', mode: 'min', target: 10 },
        ],
      },
    }),
  );
  const r = tidemark(dir, ['init', '--from', 'unentropy.json']);
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(path.join(dir, 'tidemark.json'), 'utf8');
  assert.match(text, /^\/\/ storage \{"type":"sqlite-s3"\}: no equivalent/m);
  const verify = tidemark(dir, ['verify']);
  assert.equal(verify.code, 0, verify.stderr + verify.stdout);
  // The converted config as Tidemark reads it: presets, units, rules with severities, baseline.
  const config = JSON.parse(text.replace(/^\/\/.*$/gm, '')) as { metrics: Record<string, Record<string, unknown>>; baseline: unknown };
  assert.equal(config.metrics.size.$ref, 'bundle-size');
  assert.deepEqual(config.metrics.size.thresholds, { maxIncreasePercent: { value: 5, severity: 'warn' } }, 'a size that grows is worse');
  assert.deepEqual(config.metrics.coverage.thresholds, { maxDecreasePercent: 0 });
  assert.deepEqual(config.metrics.tests, { type: 'numeric', name: 'Test count', command: 'echo 12', unit: 'integer', timeout: 30000, thresholds: { min: 10 } });
  assert.deepEqual(config.baseline, { referenceBranch: 'trunk', maxAgeDays: 30 });
  assert.notEqual(tidemark(dir, ['init', '--from', 'unentropy.json']).code, 0, 'an existing tidemark.json is not overwritten without --force');
});
