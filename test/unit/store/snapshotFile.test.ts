/**
 * Snapshots read on demand (snapshotFile.ts): sql.js takes the paged array, an open reads a
 * few pages, and everything a session reads, writes, grows and exports is what an eager read
 * of the same file gives — on real files, with the sql.js in package-lock.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database } from 'sql.js';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { openSnapshotFile } from '../../../src/core/store/snapshotFile';
import { openStore } from '../../../src/core/store/sqlStore';
import { removeDir, sha, tempDir } from './fixtures';

const ROWS = 4000;

async function snapshotFile(dir: string, name = 'snapshot.db'): Promise<string> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.run('CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  db.run('CREATE INDEX t_text ON t(text)');
  db.run('BEGIN');
  for (let i = 0; i < ROWS; i++) db.run('INSERT INTO t (text) VALUES (?)', [`row ${i} ${'x'.repeat(200)}`]);
  db.run('COMMIT');
  const file = path.join(dir, name);
  fs.writeFileSync(file, db.export());
  db.close();
  return file;
}

const rows = (db: Database, sql: string) => db.exec(sql)[0]?.values ?? [];

/** Runs `body` with a fresh snapshot file in a temporary folder that is removed afterwards. */
async function withSnapshotFile(body: (file: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  try {
    await body(await snapshotFile(dir));
  } finally {
    removeDir(dir);
  }
}

test('an open reads a few pages, not the file; a query reads what it needs', () =>
  withSnapshotFile(async (file) => {
  const size = fs.statSync(file).size;
  const SQL = await loadSqlJs();
  const snapshot = openSnapshotFile(file, { readAll: false });
  const db = new SQL.Database(snapshot.bytes);
  assert.equal(snapshot.handedOver(), true, 'sql.js took the paged array (if this fails, sql.js changed how it copies a file: see snapshotFile.ts)');
  assert.deepEqual(rows(db, "SELECT text FROM t WHERE id = 1234"), [[`row 1233 ${'x'.repeat(200)}`]]);
  assert.ok(snapshot.bytesRead < size / 20, `a lookup read ${snapshot.bytesRead} of ${size} bytes`);
  assert.equal(snapshot.complete, false);
  assert.deepEqual(rows(db, 'SELECT COUNT(*), SUM(length(text)) FROM t'), [[ROWS, textSum()]]);
  db.close();
  snapshot.close();
  }));

/** The sum of the text lengths of the rows snapshotFile() wrote. */
function textSum(): number {
  let sum = 0;
  for (let i = 0; i < ROWS; i++) sum += `row ${i} ${'x'.repeat(200)}`.length;
  return sum;
}

test('writes, growth past the spare room and export give what an eager read of the file gives', () =>
  withSnapshotFile(async (file) => {
  const SQL = await loadSqlJs();
  const snapshot = openSnapshotFile(file, { readAll: false });
  const lazy = new SQL.Database(snapshot.bytes);
  assert.equal(snapshot.handedOver(), true);
  const eager = new SQL.Database(fs.readFileSync(file));
  const session = (db: Database) => {
    db.run('UPDATE t SET text = text || ? WHERE id % 97 = 0', ['!']);
    db.run('DELETE FROM t WHERE id % 13 = 0');
    db.run('BEGIN');
    // ~6 MiB more than the file: past the 4 MiB + 1/8 of spare room, so MEMFS copies the file into a larger array.
    for (let i = 0; i < 25_000; i++) db.run('INSERT INTO t (text) VALUES (?)', [`added ${i} ${'y'.repeat(240)}`]);
    db.run('COMMIT');
  };
  session(lazy);
  session(eager);
  assert.equal(snapshot.complete, true, 'growing the file read it whole first');
  const check = 'SELECT COUNT(*), SUM(length(text)), SUM(id) FROM t';
  assert.deepEqual(rows(lazy, check), rows(eager, check));
  assert.deepEqual(rows(lazy, "SELECT id, text FROM t WHERE id % 97 = 0 ORDER BY id LIMIT 5"), rows(eager, "SELECT id, text FROM t WHERE id % 97 = 0 ORDER BY id LIMIT 5"));
  assert.deepEqual(rows(lazy, 'PRAGMA integrity_check'), [['ok']]);
  assert.ok(Buffer.from(lazy.export()).equals(Buffer.from(eager.export())), 'the same session exports the same bytes');
  lazy.close();
  eager.close();
  snapshot.close();
  }));

test('a write into pages not read yet keeps the rest of those pages; an export holds every page', () =>
  withSnapshotFile(async (file) => {
  const SQL = await loadSqlJs();
  const snapshot = openSnapshotFile(file, { readAll: false });
  const db = new SQL.Database(snapshot.bytes);
  const eager = new SQL.Database(fs.readFileSync(file));
  for (const d of [db, eager]) d.run("UPDATE t SET text = 'changed' WHERE id IN (17, 1999, 3999)");
  assert.equal(snapshot.complete, false, 'the update read only its pages');
  // sql.js exports through SQLite's backup: every page not in its cache is read from the file.
  const exported = db.export();
  assert.ok(Buffer.from(exported).equals(Buffer.from(eager.export())));
  const copy = new SQL.Database(exported);
  assert.deepEqual(rows(copy, "SELECT id FROM t WHERE text = 'changed' ORDER BY id"), [[17], [1999], [3999]]);
  assert.deepEqual(rows(copy, 'PRAGMA integrity_check'), [['ok']]);
  for (const d of [copy, db, eager]) d.close();
  snapshot.close();
  }));

test('a snapshot renamed over the file while open: the open database keeps reading the one it opened', () =>
  withSnapshotFile(async (file) => {
  const SQL = await loadSqlJs();
  const snapshot = openSnapshotFile(file, { readAll: false });
  const db = new SQL.Database(snapshot.bytes);
  assert.deepEqual(rows(db, 'SELECT COUNT(*) FROM t WHERE id < 10'), [[9]]);
  // What another process's compaction does: a new snapshot, renamed into place.
  const other = new SQL.Database();
  other.run("CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT NOT NULL); INSERT INTO t (text) VALUES ('other')");
  fs.writeFileSync(`${file}.tmp`, other.export());
  other.close();
  fs.renameSync(`${file}.tmp`, file);
  assert.deepEqual(rows(db, 'SELECT COUNT(*), MAX(id) FROM t'), [[ROWS, ROWS]]);
  assert.deepEqual(rows(db, 'PRAGMA integrity_check'), [['ok']]);
  db.close();
  snapshot.close();
  }));

test('bytes taken some other way than the whole-file slice are read first: a copy is the file', () =>
  withSnapshotFile(async (file) => {
  const snapshot = openSnapshotFile(file, { readAll: false });
  const image = fs.readFileSync(file);
  assert.ok(Buffer.from(snapshot.bytes.slice(5000, 9000)).equals(image.subarray(5000, 9000)), 'a partial slice');
  assert.ok(Buffer.from(snapshot.bytes.subarray(70_000, 80_000)).equals(image.subarray(70_000, 80_000)), 'a view');
  assert.equal(snapshot.complete, false);
  snapshot.readAll();
  assert.equal(snapshot.complete, true);
  assert.ok(Buffer.from(snapshot.bytes).equals(image), 'read whole, the bytes are the file');
  // The paged array was never handed over: a database still opens from the bytes.
  const SQL = await loadSqlJs();
  const db = new SQL.Database(new Uint8Array(snapshot.bytes));
  assert.deepEqual(rows(db, 'SELECT COUNT(*) FROM t'), [[ROWS]]);
  db.close();
  snapshot.close();
  }));

test('opening a store with history reads a small part of its snapshot; its queries still see everything', async () => {
  const dir = tempDir();
  try {
    const dbPath = path.join(dir, 'tidemark.db');
    // 3,000 runs of 4 metrics, imported (persisted as one snapshot).
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const run = { timestamp: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString(), commit_sha: sha(i), branch: i % 3 ? 'main' : 'feature', run_id: `r${i}` };
      for (const metric of ['bundle-size', 'coverage', 'loc']) lines.push(JSON.stringify({ metric_id: metric, ...run, value_numeric: 1000 + i }));
      lines.push(JSON.stringify({ metric_id: 'node-version', ...run, value_label: `v${i % 3}` }));
    }
    fs.writeFileSync(path.join(dir, 'history.jsonl'), lines.join('\n') + '\n');
    const writer = await openStore(dbPath);
    assert.equal((await writer.importJsonl(path.join(dir, 'history.jsonl'))).imported, 12_000);
    await writer.close();
    const size = fs.statSync(dbPath).size;
    const messages: string[] = [];
    const logger = { trace() {}, debug: (m: string) => messages.push(m), info() {}, warn() {}, error() {} };
    const store = await openStore(dbPath, { logger, readOnly: true });
    const opened = messages.find((m) => m.startsWith('store: opened a snapshot'));
    assert.ok(opened, messages.join('\n'));
    const read = Number(/, (\d+) read so far/.exec(opened)?.[1]);
    assert.ok(read < size / 10, `the open read ${read} of ${size} bytes`);
    const stats = await store.stats();
    assert.equal(stats.builds, 3000);
    assert.equal(stats.values, 12_000);
    assert.equal((await store.series({ metric: 'loc' })).length, 3000);
    await store.close();
  } finally {
    removeDir(dir);
  }
});

/** The files this process holds open that were deleted or replaced (Linux: /proc/self/fd). */
function heldDeleted(prefix: string): string[] {
  const held: string[] = [];
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(prefix) && target.endsWith('(deleted)')) held.push(target);
    } catch {
      // Closed while listing.
    }
  }
  return held;
}

test('a snapshot the store writes itself frees the one it opened: unread pages are read from the new file', async () => {
  const dir = tempDir();
  try {
    const dbPath = path.join(dir, 'tidemark.db');
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const run = { timestamp: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString(), commit_sha: sha(i), branch: 'main', run_id: `r${i}` };
      for (const metric of ['bundle-size', 'coverage', 'loc']) lines.push(JSON.stringify({ metric_id: metric, ...run, value_numeric: 1000 + i }));
    }
    fs.writeFileSync(path.join(dir, 'history.jsonl'), lines.join('\n') + '\n');
    const writer = await openStore(dbPath);
    await writer.importJsonl(path.join(dir, 'history.jsonl'));
    await writer.close();

    const store = await openStore(dbPath);
    assert.equal((await store.stats()).builds, 2000);
    await store.compact();
    assert.deepEqual(heldDeleted(dir), [], 'the replaced snapshot is still held open');
    // Pages the open never read now come from the new snapshot, and say the same.
    assert.deepEqual((await store.series({ metric: 'loc' })).map((p) => p.value), Array.from({ length: 2000 }, (_, i) => 1000 + i));
    assert.equal((await store.stats()).values, 6000);
    await store.compact();
    assert.deepEqual(heldDeleted(dir), []);
    await store.close();
  } finally {
    removeDir(dir);
  }
});
