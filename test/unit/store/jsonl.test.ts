import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore } from '../../../src/core/store/sqlStore';
import { StoreDb } from '../../../src/core/store/database';
import { importJsonl } from '../../../src/core/store/jsonl';
import { migrate } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { sqliteQuery } from '../../sqliteShell';
import { buildInput, removeDir, sha, tempDir } from './fixtures';

const A = sha(1);
const B = sha(2);

function jsonl(lines: unknown[]): string {
  return lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';
}

const GOOD = [
  { metric_id: 'coverage', timestamp: '2025-02-01T10:00:00Z', value_numeric: 81.5, commit_sha: A, branch: 'main', source: 'ci' },
  { metric_id: 'size', timestamp: '2025-02-01T09:59:58.250+00:00', value_numeric: 123456, commit_sha: A, branch: 'main', source: 'ci' },
  { metric_id: 'runtime', timestamp: '2025-02-01T10:00:01Z', value_label: 'node 20', commit_sha: A, branch: 'main', source: 'ci' },
  { metric_id: 'coverage', timestamp: '2025-02-02T10:00:00+02:00', value_numeric: 0.1 + 0.2, commit_sha: B, branch: 'feat', run_id: 'gh-77', run_number: 77 },
];

test('import: canonical lines become runs, unknown metrics get definitions, re-import skips everything', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const input = path.join(dir, 'in.jsonl');
    fs.writeFileSync(input, jsonl(GOOD));
    const store = await openStore(file);
    const first = await store.importJsonl(input);
    assert.deepEqual(first, { imported: 4, skipped: 0, builds: 2, problems: [] });
    const again = await store.importJsonl(input);
    assert.deepEqual(again, { imported: 0, skipped: 4, builds: 0, problems: [] });

    const runs = await store.builds();
    assert.deepEqual(
      runs.map((r) => [r.build.commitSha, r.build.branch, r.build.runId, r.build.runNumber, r.build.event, r.build.timestamp]),
      [
        [B, 'feat', 'gh-77', 77, 'import', '2025-02-02T08:00:00.000Z'],
        [A, 'main', `import:ci:${A}`, 1, 'import', '2025-02-01T09:59:58.250Z'],
      ],
    );
    assert.deepEqual(runs[0].outcomes.map((o) => o.value), [0.30000000000000004], 'full double precision');
    assert.deepEqual(
      (await store.definitions()).map((d) => [d.id, d.type]),
      [['coverage', 'numeric'], ['runtime', 'label'], ['size', 'numeric']],
    );
    await store.close();
    const reopened = await openStore(file);
    assert.equal((await reopened.stats()).values, 4, 'an import is durable');
    await reopened.close();
  } finally {
    removeDir(dir);
  }
});

test('import: every bad line is reported by number and nothing is imported', async () => {
  const dir = tempDir();
  try {
    const store = await openStore(path.join(dir, 'metrics.db'));
    await store.recordBuild(buildInput({ commit: 9, day: 1, values: { coverage: 70 } }));
    const input = path.join(dir, 'in.jsonl');
    fs.writeFileSync(
      input,
      jsonl([
        GOOD[0],
        '{"metric_id": "x", "timestamp": ',
        { metric_id: 'x', timestamp: '2025-02-01 10:00', value_numeric: 1 },
        { metric_id: 'x', timestamp: '2025-02-01T10:00:00Z', value_numeric: 1, value_label: 'one' },
        '',
        { metric_id: 'x', timestamp: '2025-02-01T10:00:00Z', value_numeric: 1, commit_sha: 'abc' },
        { metric_id: 'coverage', timestamp: '2025-02-01T10:00:00Z', value_label: 'high' },
        { metric_id: 'x', timestamp: '2025-02-01T10:00:00Z', value_numeric: '12' },
        [1, 2],
      ]),
    );
    const outcome = await store.importJsonl(input);
    assert.equal(outcome.imported, 0);
    assert.equal(outcome.builds, 0);
    assert.deepEqual(outcome.problems.map((p) => p.line), [2, 3, 4, 6, 7, 8, 9]);
    const message = (line: number) => outcome.problems.find((p) => p.line === line)!.message;
    assert.match(message(2), /not valid JSON/);
    assert.match(message(3), /timestamp must be an RFC 3339 date-time, got "2025-02-01 10:00"/);
    assert.match(message(4), /exactly one of value_numeric and value_label/);
    assert.match(message(6), /commit_sha must be 40 hex characters/);
    assert.match(message(7), /metric "coverage" is numeric but this line has value_label/);
    assert.match(message(8), /value_numeric must be a finite number, got "12"/);
    assert.match(message(9), /expected a JSON object/);
    const stats = await store.stats();
    assert.deepEqual([stats.builds, stats.values, stats.metrics], [1, 1, 4], 'nothing of the file was stored, not even definitions');

    const partial = await store.importJsonl(input, { skipInvalid: true });
    assert.equal(partial.imported, 1);
    assert.equal(partial.problems.length, 7);
    await store.close();
  } finally {
    removeDir(dir);
  }
});

test('export writes canonical JSONL that imports back into an identical history', async () => {
  const dir = tempDir();
  try {
    const source = await openStore(path.join(dir, 'a.db'));
    await source.recordBuild(buildInput({ commit: 1, day: 1, values: { 'bundle-size': 1e-7, coverage: 99.99999999999, 'node-version': 'v20 "lts"\n' } }));
    await source.recordBuild(buildInput({ commit: 2, day: 2, branch: 'feat/x', values: { 'bundle-size': 2 ** 53 + 2, coverage: { status: 'timeout', message: 'slow' } } }));
    const out = path.join(dir, 'export.jsonl');
    assert.equal(await source.exportJsonl(out), 4);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(Object.keys(lines[0]).slice(0, 9), ['metric_id', 'timestamp', 'value_numeric', 'commit_sha', 'branch', 'run_id', 'run_number', 'event', 'dirty']);

    const target = await openStore(path.join(dir, 'b.db'));
    assert.deepEqual(await target.importJsonl(out), { imported: 4, skipped: 0, builds: 2, problems: [] });
    const strip = (runs: Awaited<ReturnType<typeof source.builds>>) =>
      runs.map((r) => ({
        // Only where the run came from differs: event, dirty flag and everything else survive.
        build: { ...r.build, source: undefined },
        values: r.outcomes.filter((o) => o.status === 'ok').map((o) => [o.metric, o.value]),
      }));
    assert.deepEqual(strip(await target.builds()), strip(await source.builds()));
    // Units and directions come back too (the report shows 99.9 % and 1.2 kB, not bare numbers).
    const defs = (store: typeof source) => store.definitions().then((d) => d.map((x) => [x.id, x.type, x.unit, x.direction]));
    const imported = new Set((await defs(target)).map((d) => d[0]));
    assert.deepEqual(await defs(target), (await defs(source)).filter((d) => imported.has(d[0])));
    assert.deepEqual(await target.importJsonl(out), { imported: 0, skipped: 4, builds: 0, problems: [] });
    await source.close();
    await target.close();
  } finally {
    removeDir(dir);
  }
});

test('import: repeated timestamps, good or bad, get the same verdict on every line; nested lines still get the depth check', async () => {
  const dir = tempDir();
  try {
    const input = path.join(dir, 'in.jsonl');
    const deep = `{"metric_id":"deep","timestamp":"2025-02-01T10:00:00Z","value_numeric":1,"x":${'['.repeat(200)}${']'.repeat(200)}}`;
    fs.writeFileSync(
      input,
      jsonl([
        { metric_id: 'a', timestamp: '2025-02-30T10:00:00Z', value_numeric: 1, commit_sha: A },
        { metric_id: 'b', timestamp: '2025-02-30T10:00:00Z', value_numeric: 2, commit_sha: A },
        { metric_id: 'c', timestamp: '2025-02-01T10:00:00Z', value_numeric: 3, commit_sha: A },
        { metric_id: 'd', timestamp: '2025-02-01T10:00:00Z', value_numeric: 4, commit_sha: A },
        { metric_id: 'e', timestamp: 17, value_numeric: 5, commit_sha: A },
        deep,
      ]),
    );
    const store = await openStore(path.join(dir, 'metrics.db'));
    const outcome = await store.importJsonl(input, { skipInvalid: true });
    assert.deepEqual(
      outcome.problems.map((p) => [p.line, p.message.replace(/:.*$/, '')]),
      [
        [1, 'timestamp'],
        [2, 'timestamp'],
        [5, 'timestamp must be an RFC 3339 date-time, got 17'],
        [6, 'line too large or too deep'],
      ],
    );
    assert.equal(outcome.problems[0].message, outcome.problems[1].message);
    assert.equal(outcome.imported, 2);
    await store.close();
  } finally {
    removeDir(dir);
  }
});

test('import: a large import\'s snapshot is sql.js\'s file itself (no export copy) when it fits the room reserved, and holds what was imported', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const input = path.join(dir, 'many.jsonl');
    const lines: unknown[] = [];
    for (let run = 0; run < 600; run++) {
      for (let m = 0; m < 20; m++) {
        const value = m === 19 ? { value_label: `v${run % 7}` } : { value_numeric: m * 1000 + run * 0.25 };
        lines.push({ metric_id: `metric-${m}`, timestamp: new Date(Date.UTC(2024, 0, 1) + run * 600_000).toISOString(), commit_sha: sha(5000 + run), branch: run % 3 ? 'main' : 'feature', ...value });
      }
    }
    fs.writeFileSync(input, jsonl(lines));
    assert.ok(fs.statSync(input).size > 1 << 20);
    const debug: string[] = [];
    const logger = { trace() {}, debug: (m: string) => debug.push(m), info() {}, warn() {}, error() {} };
    const store = await openStore(file, { logger });
    assert.deepEqual(await store.importJsonl(input), { imported: 12_000, skipped: 0, builds: 600, problems: [] });
    assert.ok(debug.some((m) => /^store: snapshot of \d+ bytes written in \d+ ms \(from the database file itself\)$/.test(m)), debug.join('\n'));
    const expected = await store.rollupSeries({ metric: 'metric-3', grain: 'day' });
    await store.close();
    assert.deepEqual(sqliteQuery(file, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
    assert.deepEqual(sqliteQuery(file, 'SELECT COUNT(*) AS n, SUM(value_label IS NOT NULL) AS labels, SUM(value_numeric) AS total FROM metric_values'), [
      { n: 12_000, labels: 600, total: lines.reduce((sum: number, l) => sum + ((l as { value_numeric?: number }).value_numeric ?? 0), 0) },
    ]);
    // Opened again from that file, the store reads the same rollups and takes more runs.
    const again = await openStore(file);
    assert.deepEqual(await again.rollupSeries({ metric: 'metric-3', grain: 'day' }), expected);
    assert.deepEqual(await again.importJsonl(input), { imported: 0, skipped: 12_000, builds: 0, problems: [] });
    await again.close();
  } finally {
    removeDir(dir);
  }
});

test('import: lines of stored and new runs mixed keep the file\'s order in metric_values; a large import reserves room in sql.js\'s file first', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const first = path.join(dir, 'first.jsonl');
    fs.writeFileSync(first, jsonl(GOOD.slice(0, 2)));
    const debug: string[] = [];
    const logger = { trace() {}, debug: (m: string) => debug.push(m), info() {}, warn() {}, error() {} };
    const store = await openStore(file, { logger });
    assert.deepEqual(await store.importJsonl(first), { imported: 2, skipped: 0, builds: 1, problems: [] });
    // Run A again (one stored value, one new), a new run C, run A's new value repeated, then run B.
    const C = sha(3);
    const lines = [
      { metric_id: 'extra', timestamp: '2025-02-03T10:00:00Z', value_numeric: 1, commit_sha: C, branch: 'main' },
      GOOD[0],
      { metric_id: 'extra', timestamp: '2025-02-01T10:00:00Z', value_numeric: 2, commit_sha: A, branch: 'main', source: 'ci' },
      { metric_id: 'extra', timestamp: '2025-02-01T10:00:00Z', value_numeric: 3, commit_sha: A, branch: 'main', source: 'ci' },
      { metric_id: 'size', timestamp: '2025-02-03T09:00:00Z', value_numeric: 4, commit_sha: C, branch: 'main' },
      GOOD[3],
    ];
    // Padding lines of many new runs make the file large enough to reserve room for.
    for (let i = 0; i < 12_000; i++) lines.push({ metric_id: 'pad', timestamp: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(), value_numeric: i, commit_sha: sha(1000 + i), branch: 'pad' });
    const second = path.join(dir, 'second.jsonl');
    fs.writeFileSync(second, jsonl(lines));
    assert.ok(fs.statSync(second).size > 1 << 20);
    assert.deepEqual(await store.importJsonl(second), { imported: 4 + 12_000, skipped: 2, builds: 2 + 12_000, problems: [] });
    assert.ok(debug.some((m) => /^store: room for \d+ more bytes reserved \(taken by sql\.js\)$/.test(m)), debug.join('\n'));
    await store.close();
    assert.deepEqual(sqliteQuery(file, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
    assert.deepEqual(sqliteQuery(file, 'SELECT COUNT(*) AS n FROM metric_values'), [{ n: 2 + 4 + 12_000 }]);
    const rows = sqliteQuery<{ metric_id: string; value_numeric: number; commit_sha: string; timestamp: string }>(
      file,
      "SELECT v.metric_id, v.value_numeric, b.commit_sha, b.timestamp FROM metric_values v JOIN build_contexts b ON b.id = v.build_id WHERE b.branch != 'pad' ORDER BY v.id",
    ).map((r) => [r.metric_id, r.value_numeric, r.commit_sha, r.timestamp]);
    assert.deepEqual(rows, [
      ['coverage', 81.5, A, '2025-02-01T09:59:58.250Z'],
      ['size', 123456, A, '2025-02-01T09:59:58.250Z'],
      ['extra', 1, C, '2025-02-03T09:00:00.000Z'],
      ['extra', 2, A, '2025-02-01T09:59:58.250Z'],
      ['size', 4, C, '2025-02-03T09:00:00.000Z'],
      ['coverage', 0.1 + 0.2, B, '2025-02-02T08:00:00.000Z'],
    ], 'values in line order; a new run\'s time is its earliest line');
  } finally {
    removeDir(dir);
  }
});

test('import: the file is read in pieces; lines across piece boundaries, multi-byte characters there, CRLF, a BOM, a line longer than a piece and no final newline all read as written', async () => {
  const dir = tempDir();
  try {
    const store = await openStore(path.join(dir, 'metrics.db'));
    const input = path.join(dir, 'in.jsonl');
    // Labels of 1 to 4-byte UTF-8 characters, and line lengths that drift against the 64 KiB
    // reads, so that boundaries fall inside lines and inside characters.
    const chars = ['a', 'é', '✓', '😀'];
    const lines: string[] = [];
    const labels: string[] = [];
    for (let i = 0; i < 1200; i++) {
      const label = `${i}:${chars[i % 4].repeat(20 + (i % 37))}`;
      labels.push(label);
      lines.push(JSON.stringify({ metric_id: 'text', timestamp: '2025-02-01T10:00:00Z', value_label: label, commit_sha: A, run_id: `r${i}` }));
    }
    // One line longer than a read (and than the line limit), then good lines again.
    lines.splice(700, 0, JSON.stringify({ metric_id: 'text', timestamp: '2025-02-01T10:00:00Z', value_label: 'x'.repeat(150_000), commit_sha: A, run_id: 'long' }));
    fs.writeFileSync(input, '\uFEFF' + lines.join('\r\n'));
    assert.ok(fs.statSync(input).size > 3 * 65536, 'the file spans several reads');

    const refused = await store.importJsonl(input);
    assert.deepEqual(refused.problems.map((p) => p.line), [701], 'the long line is line 701 however the file was cut');
    assert.match(refused.problems[0].message, /line too large or too deep: it is \d+ characters long, the limit is 65536/);
    assert.equal(refused.imported, 0);

    const outcome = await store.importJsonl(input, { skipInvalid: true });
    assert.equal(outcome.imported, 1200);
    const rows = sqliteQuery<{ value_label: string }>(path.join(dir, 'metrics.db'), 'SELECT v.value_label FROM metric_values v JOIN build_contexts b ON b.id = v.build_id ORDER BY v.id').map((r) => r.value_label);
    assert.deepEqual(rows, labels, 'every label exactly as written, in file order (no \\r, no U+FFFD, the BOM gone)');
    await store.close();
  } finally {
    removeDir(dir);
  }
});

test('import: foreign keys are off only for its own transaction, and back on after a commit and after a rollback', async () => {
  const dir = tempDir();
  try {
    const SQL = await loadSqlJs();
    const raw = new SQL.Database();
    migrate(raw);
    const db = new StoreDb(raw);
    const foreignKeys = () => Number(db.one('PRAGMA foreign_keys')?.[0]);
    const input = path.join(dir, 'in.jsonl');
    fs.writeFileSync(input, jsonl(GOOD));
    assert.equal(foreignKeys(), 1);
    const done = await importJsonl(db, input);
    assert.equal(done.imported, 4);
    assert.equal(foreignKeys(), 1, 'on again after the commit');

    // Stopped inside the transaction (the second look at the signal comes after BEGIN): rolled back.
    fs.writeFileSync(input, jsonl(GOOD.map((l) => ({ ...l, run_id: 'other' }))));
    let looks = 0;
    const signal = { get aborted() { return ++looks > 1; }, reason: new Error('stopped') } as unknown as AbortSignal;
    await assert.rejects(importJsonl(db, input, { signal }), /stopped/);
    assert.equal(foreignKeys(), 1, 'on again after the rollback');
    assert.equal(Number(db.one('SELECT COUNT(*) FROM metric_values')?.[0]), 4, 'nothing of the stopped import stayed');
    // And enforced: a value of a run that does not exist is refused.
    assert.throws(() => db.run('INSERT INTO metric_values (metric_id, build_id, value_numeric) VALUES (?, ?, ?)', ['coverage', 999, 1]), /FOREIGN KEY/);
    db.close();
  } finally {
    removeDir(dir);
  }
});
