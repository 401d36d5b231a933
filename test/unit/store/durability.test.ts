import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StoreProblem } from '../../../src/core/store/api';
import { openStore } from '../../../src/core/store/sqlStore';
import { encodeRecord, readJournal } from '../../../src/core/store/journal';
import { sqliteQuery } from '../../sqliteShell';
import { buildInput, removeDir, tempDir, waitFor } from './fixtures';

const RECORD_LOOP = path.join(__dirname, 'children', 'recordLoop.js');

test('a torn journal tail (kill -9 mid-append) is ignored on open and cut off by the next append', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file);
    await store.recordBuild(buildInput({ commit: 1, day: 1, values: { loc: 1 } }));
    await store.recordBuild(buildInput({ commit: 2, day: 2, values: { loc: 2 } }));
    await store.close();
    const journal = `${file}.journal`;
    const whole = fs.readFileSync(journal);
    // Half of a third record, as a killed writer would leave it.
    fs.appendFileSync(journal, whole.subarray(0, Math.floor(whole.length / 3)));

    const problems: StoreProblem[] = [];
    const reopened = await openStore(file, { onProblem: (p) => problems.push(p) });
    assert.equal((await reopened.stats()).builds, 2);
    assert.deepEqual(problems, [], 'a torn tail is expected after a crash, not a problem');
    await reopened.recordBuild(buildInput({ commit: 3, day: 3, values: { loc: 3 } }));
    await reopened.close();
    const lines = fs.readFileSync(journal, 'utf8').split('\n');
    assert.equal(lines.length, 4, 'three whole records and the final newline');
    const third = await openStore(file);
    assert.deepEqual((await third.series({ metric: 'loc' })).map((p) => p.value), [1, 2, 3]);
    await third.close();
  } finally {
    removeDir(dir);
  }
});

test('a damaged journal line is skipped and reported; the records after it are kept', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file);
    for (let i = 1; i <= 3; i++) await store.recordBuild(buildInput({ commit: i, day: i, values: { loc: i } }));
    await store.close();
    const journal = `${file}.journal`;
    const lines = fs.readFileSync(journal, 'utf8').split('\n');
    lines[1] = lines[1].replace('"loc"', '"LOC"');
    fs.writeFileSync(journal, lines.join('\n'));

    const problems: StoreProblem[] = [];
    const reopened = await openStore(file, { onProblem: (p) => problems.push(p) });
    assert.deepEqual((await reopened.series({ metric: 'loc' })).map((p) => p.value), [1, 3]);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].kind, 'damaged-journal');
    assert.match(problems[0].message, /bad checksum/);
    assert.equal((await reopened.stats()).problems?.length, 1);
    await reopened.close();
  } finally {
    removeDir(dir);
  }
});

test('a journal record that cannot be replayed is skipped alone and reported; the records around it are kept', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file);
    await store.compact();
    for (let i = 1; i <= 3; i++) await store.recordBuild(buildInput({ commit: i, day: i, values: { loc: i, 'node-version': `v${i}` } }));
    await store.close();
    // Record 4 records run 2 again under a new id: its insert breaks UNIQUE (commit_sha, run_id).
    const journal = `${file}.journal`;
    const records = readJournal(journal, 0).records;
    assert.equal(records.length, 3);
    const again = structuredClone(records[1]);
    assert.equal(again.op.kind, 'build');
    if (again.op.kind === 'build') again.op.build.id = 99;
    fs.appendFileSync(journal, encodeRecord({ ...again, seq: 4 }));
    const reopen0 = await openStore(file);
    await reopen0.recordBuild(buildInput({ commit: 5, day: 5, values: { loc: 5 } }));
    await reopen0.close();
    assert.equal(readJournal(journal, 0).records.length, 5, 'the bad record sits between good ones');

    const problems: StoreProblem[] = [];
    const reopened = await openStore(file, { onProblem: (p) => problems.push(p) });
    assert.deepEqual(problems.map((p) => p.kind), ['replay-failed']);
    assert.match(problems[0].message, /journal record 4 could not be replayed: .*UNIQUE/);
    assert.deepEqual((await reopened.series({ metric: 'loc' })).map((p) => p.value), [1, 2, 3, 5], 'every other record replayed');
    const stats = await reopened.stats();
    assert.equal(stats.builds, 4);
    const day = await reopened.rollupSeries({ metric: 'loc', grain: 'day' });
    assert.deepEqual(day.map((p) => p.count), [1, 1, 1, 1], 'the skipped record added no rollups');
    await reopened.close();
  } finally {
    removeDir(dir);
  }
});

for (const [name, damage] of [
  ['garbage bytes', (bytes: Buffer) => Buffer.concat([Buffer.from('this is not a database at all'), bytes.subarray(40)])],
  ['a truncated file', (bytes: Buffer) => bytes.subarray(0, bytes.length - 4096)],
] as const) {
  test(`a corrupt snapshot (${name}) is moved aside, reported, and the journal still replayed`, async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'metrics.db');
      const store = await openStore(file);
      for (let i = 1; i <= 40; i++) await store.recordBuild(buildInput({ commit: i, day: 1 + (i % 28), values: { loc: i, 'node-version': 'x'.repeat(200) } }));
      await store.compact();
      await store.recordBuild(buildInput({ commit: 99, day: 28, values: { loc: 99 } }));
      await store.close();
      const corrupted = damage(fs.readFileSync(file));
      fs.writeFileSync(file, corrupted);

      const problems: StoreProblem[] = [];
      const reopened = await openStore(file, { onProblem: (p) => problems.push(p) });
      assert.equal(problems.length, 1);
      assert.equal(problems[0].kind, 'corrupt-snapshot');
      const movedTo = problems[0].movedTo!;
      assert.match(path.basename(movedTo), /^metrics\.db\.corrupt-\d{4}-\d\d-\d\dT/);
      assert.deepEqual(fs.readFileSync(movedTo), corrupted, 'the corrupt file is kept byte for byte');
      assert.deepEqual((await reopened.series({ metric: 'loc' })).map((p) => p.value), [99], 'journal records after the snapshot survive');
      await reopened.recordBuild(buildInput({ commit: 100, day: 28, values: { loc: 100 } }));
      await reopened.compact();
      await reopened.close();
      assert.deepEqual(fs.readFileSync(movedTo), corrupted, 'never overwritten later either');
      const again = await openStore(file);
      assert.equal((await again.stats()).builds, 2);
      await again.close();
    } finally {
      removeDir(dir);
    }
  });
}

test('kill -9 at a random moment while recording: store opens cleanly with every acknowledged build', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    // A small threshold makes background snapshots (rename + journal truncation) happen while being killed.
    const child = spawn(process.execPath, [RECORD_LOOP, file, 'crash', 'forever', '6000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Map<string, number>();
    let stderr = '';
    let pending = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [, runId, id] = line.split(' ');
        acked.set(runId, Number(id));
      }
    });
    const target = 30 + Math.floor(Math.random() * 60);
    await waitFor(() => acked.size >= target || child.exitCode !== null, `${target} acknowledged builds`, 20_000);
    assert.equal(child.exitCode, null, `child ended early: ${stderr}`);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const problems: StoreProblem[] = [];
    const store = await openStore(file, { onProblem: (p) => problems.push(p) });
    assert.deepEqual(problems, []);
    const runs = await store.builds({ limit: 10_000 });
    const stored = new Map(runs.map((r) => [r.build.runId, r.build.id]));
    for (const [runId, id] of acked) assert.equal(stored.get(runId), id, `acknowledged ${runId} is stored with id ${id}`);
    assert.ok(stored.size <= acked.size + 1, 'at most the run in flight beyond the acknowledged ones');
    assert.ok(runs.every((r) => r.outcomes.length === 3), 'no half-recorded run');
    await store.recordBuild(buildInput({ commit: 5000, day: 1, values: { loc: 1 } }));
    await store.compact();
    await store.close();
    assert.equal(fs.existsSync(`${file}.lock`), false);
    assert.deepEqual(sqliteQuery(file, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
  } finally {
    removeDir(dir);
  }
});

test('two processes writing one store at once lose no build', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const run = (prefix: string) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [RECORD_LOOP, file, prefix, '50', '8000'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${prefix} exited ${code}: ${err}`))));
      });
    const outputs = await Promise.all([run('cli'), run('extension')]);
    const acked = outputs.flatMap((o) => o.split('\n').filter((l) => l.startsWith('ack ')).map((l) => l.split(' ')));
    assert.equal(acked.length, 100);
    const ids = acked.map(([, , id]) => Number(id));
    assert.equal(new Set(ids).size, 100, 'every build got its own id');

    const store = await openStore(file);
    const runs = await store.builds({ limit: 1000 });
    assert.equal(runs.length, 100);
    const stored = new Map(runs.map((r) => [r.build.runId, r.build.id]));
    for (const [, runId, id] of acked) assert.equal(stored.get(runId), Number(id));
    assert.deepEqual((await store.branches()).map((b) => [b.branch, b.builds]).sort(), [['cli', 50], ['extension', 50]]);
    const runNumbers = runs.map((r) => r.build.runNumber).sort((a, b) => a - b);
    assert.deepEqual(runNumbers, Array.from({ length: 100 }, (_, i) => i + 1));
    await store.close();
  } finally {
    removeDir(dir);
  }
});
