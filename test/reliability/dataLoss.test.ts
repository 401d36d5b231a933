// Issue 17, data loss (items 1–6): never lose an acknowledged run; never acknowledge a run
// that is not durably on disk; never record what was interrupted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore } from '../../src/core/store';
import { FileLock, processAlive } from '../../src/core/store/lock';
import { readJournal } from '../../src/core/store/journal';
import { buildInput, DEFS } from '../unit/store/fixtures';
import { figure, json, needsRoot, newRepo, removeDir, runCount, startTidemark, tempDir, tidemark, tidemarkMeasured, tmpfs, waitFor } from './helpers';

const HOLD_LOCK = path.join(__dirname, 'children', 'holdLock.js');

let tmp: string;
before(() => (tmp = tempDir()));
after(() => removeDir(tmp));

/** 50 failing metrics, each with ~1.5 kB of stderr: one run is a ~80 kB journal record. */
const bigRunConfig = {
  metrics: Object.fromEntries(
    Array.from({ length: 50 }, (_, i) => [`m${i}`, { type: 'numeric', command: `printf '%1500s' | tr ' ' x >&2; exit 1` }]),
  ),
  concurrency: 8,
};

function freeBytes(dir: string): number {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
}

/** Fills the file system of `dir` until `leave` bytes are free. */
function fillUntil(dir: string, leave: number): string {
  const filler = path.join(dir, 'filler');
  const size = Math.max(0, freeBytes(dir) - leave);
  fs.writeFileSync(filler, Buffer.alloc(size));
  return filler;
}

describe('1. partial journal writes', () => {
  test('collect on a nearly full disk fails loudly and acknowledges only runs that are on disk', (t) => {
    if (!needsRoot(t, 'a 2 MB tmpfs')) return;
    const disk = tmpfs('2m');
    try {
      const repo = newRepo(tmp, 'full-disk', bigRunConfig);
      const db = path.join(disk.dir, 'tidemark.db');
      let acknowledged = 0;
      const first = tidemark(repo, ['collect', '--db', db]);
      assert.equal(first.code, 0, first.stderr);
      acknowledged++;
      const filler = fillUntil(disk.dir, 24 * 1024);
      const second = tidemark(repo, ['collect', '--db', db]);
      if (second.code === 0) acknowledged++;
      assert.notEqual(second.code, 0, `a run that did not fit was acknowledged: ${second.stdout.split('\n').slice(-2).join(' ')}`);
      assert.doesNotMatch(second.stdout, /Recorded run #2/);
      assert.match(second.stderr, /no space left on the disk holding .*nothing more was recorded and the history recorded so far is intact/);
      fs.rmSync(filler);
      const stats = json<{ builds: number; problems: unknown[] }>(tidemark(repo, ['stats', '--json', '--db', db]));
      assert.deepEqual(stats.problems, [], 'the journal stayed valid: no damaged line');
      assert.equal(stats.builds, acknowledged);
      figure(1, `CLI on a full 2 MB tmpfs: runs acknowledged ${acknowledged}, found after freeing space ${stats.builds}; the failed run exited ${second.code}`);
    } finally {
      disk.unmount();
    }
  });

  test('inside one long-running process (the extension store worker case) every acknowledged run survives ENOSPC', async (t) => {
    if (!needsRoot(t, 'a 2 MB tmpfs')) return;
    const disk = tmpfs('2m');
    try {
      const file = path.join(disk.dir, 'metrics.db');
      const store = await openStore(file, { compactThresholdBytes: 64 * 1024 * 1024 });
      const defs = [...DEFS, ...Array.from({ length: 40 }, (_, i) => ({ id: `f${i}`, type: 'numeric' as const }))];
      const failures = Object.fromEntries(defs.slice(4).map((d) => [d.id, { status: 'failed' as const, message: 'y'.repeat(1900) }]));
      let acknowledged = 0;
      let failed = 0;
      let error = '';
      for (let i = 1; i <= 60 && failed < 3; i++) {
        try {
          await store.recordBuild(buildInput({ commit: i, day: 1 + (i % 28), values: { loc: i, ...failures } }, defs));
          acknowledged++;
        } catch (err) {
          failed++;
          error = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        }
      }
      assert.ok(failed > 0, 'the disk filled up during the test');
      assert.equal(error, 'ENOSPC');
      const journal = readJournal(`${file}.journal`, 0);
      assert.deepEqual([journal.damaged.length, journal.tornTailBytes], [0, 0], 'no partial line was left behind');
      await store.close().catch(() => undefined);
      const reopened = await openStore(file, { readOnly: true });
      const found = (await reopened.stats()).builds;
      await reopened.close();
      assert.equal(found, acknowledged);
      figure(1, `in-process store on a full tmpfs: runs acknowledged ${acknowledged}, rejected with ENOSPC ${failed}, found after reopening ${found}`);
    } finally {
      disk.unmount();
    }
  });
});

/** A pid that is not in use on this host, for the holder inside a new PID namespace. */
function unusedPid(): number {
  for (let pid = 20000 + Math.floor(Math.random() * 9000); ; pid++) if (!processAlive(pid) && !processAlive(pid + 1)) return pid;
}

describe('2. lock ownership across PID namespaces', () => {
  test('a writer in another PID namespace keeps its lock for as long as it holds it', async (t) => {
    if (!needsRoot(t, 'unshare --pid')) return;
    const dir = tempDir();
    try {
      const lockFile = path.join(dir, 'metrics.db.lock');
      const marker = path.join(dir, 'marker');
      const nsPid = unusedPid();
      // Inside the namespace the holder gets pid nsPid + 1 — a pid that is dead out here.
      const holder = spawn('unshare', ['--pid', '--fork', '--mount-proc', 'sh', '-c', `echo ${nsPid} > /proc/sys/kernel/ns_last_pid; "${process.execPath}" "${HOLD_LOCK}" "${lockFile}" 2500 "${marker}"; true`], { stdio: 'inherit' });
      const holderExit = new Promise((resolve) => holder.on('exit', resolve));
      await waitFor(() => fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').includes('acquired'), 10_000, 'the namespaced holder to take the lock');
      const inside = Number(/pid (\d+)/.exec(fs.readFileSync(marker, 'utf8'))![1]);
      assert.equal(processAlive(inside), false, `the holder's pid ${inside} names no process out here`);
      const lock = new FileLock(lockFile, 500);
      await lock.acquire();
      const acquiredAt = Date.now();
      lock.release();
      await holderExit;
      const released = Number(/released (\d+)/.exec(fs.readFileSync(marker, 'utf8'))?.[1]);
      const overlap = Math.max(0, released - acquiredAt);
      figure(2, `PID-namespace holder (pid ${inside} inside, dead outside) held 2.5 s; the outside writer took over ${overlap} ms before it released (0 = waited)`);
      assert.ok(acquiredAt >= released, `the lock was taken ${overlap} ms while its namespaced owner still held it`);
    } finally {
      removeDir(dir);
    }
  });

  test('a stale lock naming a live PID 1 from 2020 does not block writers', async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'metrics.db');
      fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: 1, acquiredAt: '2020-01-01T00:00:00.000Z' }));
      const old = new Date('2020-01-01T00:00:00Z');
      fs.utimesSync(`${file}.lock`, old, old);
      const started = Date.now();
      const store = await openStore(file, { lockTimeoutMs: 3000 });
      await store.recordBuild(buildInput({ commit: 1, day: 1, values: { loc: 1 } }));
      await store.close();
      figure(2, `stale 2020 lock naming live PID 1: first write took ${Date.now() - started} ms`);
      assert.ok(Date.now() - started < 2000);
    } finally {
      removeDir(dir);
    }
  });
});

describe('3. a long-held lock', () => {
  test('a write waits for a live holder that keeps renewing its lease, however long, instead of throwing the run away', async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'metrics.db');
      const store = await openStore(file, { lockTimeoutMs: 800 });
      const marker = path.join(dir, 'marker');
      const holder = spawn(process.execPath, [HOLD_LOCK, `${file}.lock`, '3000', marker], { stdio: 'inherit' });
      const holderExit = new Promise((resolve) => holder.on('exit', resolve));
      await waitFor(() => fs.existsSync(marker), 10_000, 'the holder to take the lock');
      const started = Date.now();
      const { build } = await store.recordBuild(buildInput({ commit: 1, day: 1, values: { loc: 1 } }));
      const waited = Date.now() - started;
      await holderExit;
      await store.close();
      figure(3, `lock held 3 s by a live, renewing holder; lock timeout 0.8 s: the measured run was recorded as #${build.runNumber} after waiting ${waited} ms`);
      assert.equal(build.runNumber, 1);
      assert.ok(waited >= 2000, `waited ${waited} ms`);
    } finally {
      removeDir(dir);
    }
  });
});

describe('4. damaged snapshots and journal lines', () => {
  const config = { metrics: { a: { type: 'numeric', command: 'echo 1' }, b: { type: 'label', command: 'echo ok' } } };

  const defs = [
    { id: 'a', type: 'numeric' as const },
    { id: 'b', type: 'label' as const },
  ];

  /** A repository whose store has `runs` runs in its snapshot and `afterCompact` more in its journal (written in-process: fast). */
  async function storeWithHistory(name: string, runs: number, afterCompact: number): Promise<{ repo: string; db: string }> {
    const repo = newRepo(tmp, name, config);
    const db = path.join(repo, '.tidemark', 'tidemark.db');
    fs.mkdirSync(path.dirname(db));
    const store = await openStore(db);
    const record = (i: number) => store.recordBuild(buildInput({ commit: i, day: 1 + (i % 28), values: { a: i, b: 'ok' } }, defs));
    for (let i = 1; i <= runs; i++) await record(i);
    await store.compact();
    for (let i = runs + 1; i <= runs + afterCompact; i++) await record(i);
    await store.close();
    return { repo, db };
  }

  test('a zero-byte snapshot is reported, never overwritten by a read-only command, then quarantined and rebuilt from the journal', async () => {
    const { repo, db } = await storeWithHistory('zero-byte', 3, 2);
    fs.truncateSync(db, 0);
    const stats = json<{ builds: number; problems: { kind: string; message: string }[] }>(tidemark(repo, ['stats', '--json']));
    assert.equal(stats.problems[0]?.kind, 'corrupt-snapshot', 'the empty snapshot is reported');
    assert.match(stats.problems[0].message, /is damaged: it is empty \(0 bytes\)/);
    assert.equal(fs.statSync(db).size, 0, 'stats (read-only) left the evidence as it was');
    assert.equal(stats.builds, 2, 'the journal still shows its runs');
    const collect = tidemark(repo, ['collect']);
    assert.equal(collect.code, 0, collect.stderr);
    assert.match(collect.stderr, /moved to .*tidemark\.db\.corrupt-/);
    const quarantined = fs.readdirSync(path.dirname(db)).filter((f) => f.includes('.corrupt-'));
    assert.equal(quarantined.length, 1);
    const found = runCount(repo);
    figure(4, `zero-byte snapshot: runs acknowledged 6 (3 in the lost snapshot), found ${found} (journal's 2 + 1 new), the empty file kept as ${quarantined[0]}`);
    assert.equal(found, 3);
  });

  test('damaged pages behind a valid header: read-only commands still work, a write quarantines and rebuilds', async () => {
    const { repo, db } = await storeWithHistory('bad-pages', 30, 2);
    const bytes = fs.readFileSync(db);
    const pageSize = bytes.readUInt16BE(16);
    // Everything after the first two pages (schema) becomes noise; the header stays valid.
    for (let i = 2 * pageSize; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    fs.writeFileSync(db, bytes);
    const before = fs.readFileSync(db);
    const stats = tidemark(repo, ['history', 'a', '--json']);
    assert.equal(stats.code, 0, `history failed on damaged pages: ${stats.stderr}`);
    assert.match(stats.stderr, /is damaged: SQLite cannot read .*left as it is/);
    assert.deepEqual(fs.readFileSync(db), before, 'the read-only command changed nothing');
    const collect = tidemark(repo, ['collect']);
    assert.equal(collect.code, 0, collect.stderr);
    const found = runCount(repo);
    figure(4, `damaged pages behind a valid header: runs acknowledged 33 (30 in the damaged snapshot), found ${found} after the rebuild (journal's 2 + 1 new); before: "database disk image is malformed" from every command`);
    assert.equal(found, 3);
    assert.equal(fs.readdirSync(path.dirname(db)).filter((f) => f.includes('.corrupt-')).length, 1);
  });

  test('a damaged journal line is kept aside, not dropped, even after a snapshot truncates the journal', async () => {
    const { repo, db } = await storeWithHistory('bad-line', 1, 3);
    const journal = `${db}.journal`;
    const lines = fs.readFileSync(journal, 'utf8').split('\n');
    lines[1] = lines[1].replace('"branch":"main"', '"branch":"mair"');
    assert.notEqual(lines[1], fs.readFileSync(journal, 'utf8').split('\n')[1], 'the line was damaged');
    fs.writeFileSync(journal, lines.join('\n'));
    const damagedLine = lines[1];
    assert.equal(tidemark(repo, ['collect']).code, 0);
    assert.equal(tidemark(repo, ['compact']).code, 0);
    const kept = fs.readFileSync(`${journal}.damaged`, 'utf8');
    assert.ok(kept.includes(damagedLine), 'the damaged line is kept byte for byte');
    figure(4, `damaged journal line: kept in ${path.basename(journal)}.damaged (${damagedLine.length} bytes); runs found ${runCount(repo)} of 5 acknowledged (the damaged one is the 1 missing)`);
  });
});

describe('5. values that overflow', () => {
  test('Infinity, 1e309, 1e309% and a 30 MB line of digits are invalid output, recorded as such', async () => {
    const digits = path.join(tmp, 'digits.txt');
    fs.writeFileSync(digits, '9'.repeat(30 * 1024 * 1024));
    const repo = newRepo(tmp, 'overflow', {
      metrics: {
        inf: { type: 'numeric', command: 'echo Infinity' },
        big: { type: 'numeric', command: 'echo 1e309' },
        pct: { type: 'numeric', unit: 'percent', command: 'echo 1e309%' },
        huge: { type: 'numeric', command: `cat "${digits}"` },
      },
    });
    const run = tidemarkMeasured(repo, ['collect', '--json']);
    const out = json<{ results: { metric: string; status: string; message: string }[]; rejected: unknown[] }>(run);
    for (const r of out.results) assert.equal(r.status, 'invalid-output', `${r.metric}: ${r.status} ${r.message}`);
    assert.deepEqual(out.rejected, [], 'nothing was dropped on the way to the store');
    const store = await openStore(path.join(repo, '.tidemark', 'tidemark.db'), { readOnly: true });
    const [stored] = await store.builds();
    await store.close();
    assert.deepEqual(stored.outcomes.map((o) => `${o.metric} ${o.status}`).sort(), ['big invalid-output', 'huge invalid-output', 'inf invalid-output', 'pct invalid-output']);
    figure(5, `overflowing values (Infinity, 1e309, 1e309%, 30 MB of digits): all 4 invalid-output and recorded; collect took ${run.ms} ms, max RSS ${run.maxRssMiB} MiB`);
  });
});

describe('6. import honours Ctrl-C', () => {
  test('SIGINT during a 150k-line import stops it, exits 130 and stores nothing', async () => {
    const repo = newRepo(tmp, 'import-int', { metrics: { a: { type: 'numeric', command: 'echo 1' } } });
    const file = path.join(tmp, 'big.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 150_000; i++) {
      lines.push(JSON.stringify({ metric_id: `m${i % 50}`, timestamp: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(), value_numeric: i, commit_sha: (i % 3000).toString(16).padStart(40, '0'), run_id: `r${Math.floor(i / 50)}` }));
    }
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const run = startTidemark(repo, ['import', file]);
    await waitFor(() => fs.existsSync(path.join(repo, '.tidemark', 'tidemark.db.lock')), 10_000, 'the import to start');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = Date.now();
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    const stopMs = Date.now() - sent;
    const found = runCount(repo);
    figure(6, `import of 150k lines interrupted: exit ${code} ${stopMs} ms after SIGINT, runs found ${found} (0 expected)`);
    assert.equal(code, 130, run.output.stderr);
    assert.equal(found, 0);
    assert.ok(stopMs < 2000, `stopped ${stopMs} ms after the signal`);
  });
});

