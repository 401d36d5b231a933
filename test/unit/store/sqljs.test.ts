/**
 * Spare capacity (sqljs.ts withCapacity, as an import uses it): sql.js takes the larger
 * buffer as its in-memory file, so pages a session appends land in it instead of a grown copy;
 * a database read any other way still opens and writes the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSqlJs, spareCapacity, withCapacity } from '../../../src/core/store/sqljs';
import { removeDir, tempDir } from './fixtures';

async function snapshotFile(dir: string): Promise<string> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.run('CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  db.run('BEGIN');
  for (let i = 0; i < 2000; i++) db.run('INSERT INTO t (text) VALUES (?)', [`row ${i} ${'x'.repeat(200)}`]);
  db.run('COMMIT');
  const file = path.join(dir, 'snapshot.db');
  fs.writeFileSync(file, db.export());
  db.close();
  return file;
}

function read(file: string) {
  const image = fs.readFileSync(file);
  return withCapacity(image, spareCapacity(image.length));
}

test('sql.js takes the spare-capacity buffer: pages appended by a write land in it, with no copy', async () => {
  const dir = tempDir();
  try {
    const file = await snapshotFile(dir);
    const size = fs.statSync(file).size;
    const read1 = read(file);
    assert.equal(read1.bytes.length, size);
    assert.deepEqual(Buffer.from(read1.bytes), fs.readFileSync(file), 'the bytes are the file');
    assert.equal(read1.bytes.buffer.byteLength, spareCapacity(size));
    const SQL = await loadSqlJs();
    const db = new SQL.Database(read1.bytes);
    assert.equal(read1.handedOver(), true, 'sql.js took the buffer (if this fails, sql.js changed how it copies: only speed is lost)');
    const spare = new Uint8Array(read1.bytes.buffer, size);
    assert.ok(spare.every((b) => b === 0), 'nothing past the file yet');
    db.run('BEGIN');
    for (let i = 0; i < 500; i++) db.run('INSERT INTO t (text) VALUES (?)', [`added ${i} ${'y'.repeat(200)}`]);
    db.run('COMMIT');
    assert.ok(spare.some((b) => b !== 0), 'the appended pages were written into the spare capacity');
    assert.deepEqual(db.exec('SELECT COUNT(*) FROM t')[0].values, [[2500]]);
    // What the session wrote is what it exports.
    const copy = new SQL.Database(db.export());
    assert.deepEqual(copy.exec("SELECT COUNT(*), SUM(length(text)) FROM t WHERE text LIKE 'added%'")[0].values, [[500, db.exec("SELECT SUM(length(text)) FROM t WHERE text LIKE 'added%'")[0].values[0][0]]]);
    copy.close();
    db.close();
  } finally {
    removeDir(dir);
  }
});

test('any other use of the bytes is an ordinary copy: a second database from them is independent', async () => {
  const dir = tempDir();
  try {
    const file = await snapshotFile(dir);
    const { bytes } = read(file);
    const part = bytes.slice(0, 100);
    assert.equal(part.length, 100);
    assert.equal(part.buffer.byteLength, 100, 'a partial slice is a plain copy');
    const SQL = await loadSqlJs();
    const first = new SQL.Database(bytes);
    // The buffer now belongs to the first database: the second gets a copy of the file's bytes.
    const second = new SQL.Database(bytes);
    first.run('DELETE FROM t');
    assert.deepEqual(second.exec('SELECT COUNT(*) FROM t')[0].values, [[2000]]);
    assert.deepEqual(first.exec('SELECT COUNT(*) FROM t')[0].values, [[0]]);
    first.close();
    second.close();
  } finally {
    removeDir(dir);
  }
});

test('the handed-over buffer counts the writes sql.js makes to its file and is the file; once sql.js outgrows it, it gets none (a store then exports)', async () => {
  const dir = tempDir();
  try {
    const file = await snapshotFile(dir);
    const image = fs.readFileSync(file);
    const live = withCapacity(image, image.length + 64 * 1024);
    const SQL = await loadSqlJs();
    const db = new SQL.Database(live.bytes);
    assert.equal(live.handedOver(), true);
    db.exec('PRAGMA journal_mode = MEMORY; PRAGMA locking_mode = EXCLUSIVE');
    const size = () => Number(db.exec('PRAGMA page_count')[0].values[0][0]) * Number(db.exec('PRAGMA page_size')[0].values[0][0]);
    live.takeWrites();
    db.run("UPDATE t SET text = 'changed' WHERE id = 1");
    assert.ok(live.takeWrites() > 0, 'the commit wrote its page into the buffer');
    const view = live.view(size());
    assert.ok(view);
    const copy = new SQL.Database(Uint8Array.from(view));
    assert.deepEqual(copy.exec("SELECT COUNT(*), SUM(text = 'changed') FROM t")[0].values, [[2000, 1]], 'the buffer is the database');
    copy.close();
    db.run('BEGIN');
    for (let i = 0; i < 1000; i++) db.run('INSERT INTO t (text) VALUES (?)', [`grown ${i} ${'z'.repeat(200)}`]);
    db.run('COMMIT');
    live.takeWrites();
    db.run("UPDATE t SET text = 'again' WHERE id = 2");
    assert.equal(live.takeWrites(), 0, 'sql.js writes to the larger copy it made, not to the buffer');
    assert.equal(live.view(size()), null, 'the file no longer fits the buffer');
    assert.deepEqual(db.exec("SELECT COUNT(*) FROM t WHERE text = 'again'")[0].values, [[1]]);
    db.close();
  } finally {
    removeDir(dir);
  }
});
