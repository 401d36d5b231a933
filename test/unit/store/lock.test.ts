import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore } from '../../../src/core/store/sqlStore';
import { buildInput, removeDir, tempDir } from './fixtures';

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test('a lock left by a killed process is taken over; its abandoned snapshot temp file is removed', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const pid = deadPid();
    fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid, acquiredAt: '2025-01-01T00:00:00.000Z' }));
    fs.writeFileSync(`${file}.tmp-${pid}`, 'half a snapshot');
    const store = await openStore(file, { lockTimeoutMs: 2000 });
    await store.recordBuild(buildInput({ commit: 1, day: 1, values: { loc: 1 } }));
    assert.equal(fs.existsSync(`${file}.tmp-${pid}`), false);
    assert.equal(fs.existsSync(`${file}.lock`), false, 'released after the write');
    await store.close();
  } finally {
    removeDir(dir);
  }
});

test('a lock held by a live process makes a write wait, then fail with who holds it', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    const store = await openStore(file, { lockTimeoutMs: 300 });
    // The parent of this test process is alive for the whole test.
    // A lock in the older {pid, acquiredAt} form, taken just now by a live process that renews no lease.
    const acquiredAt = new Date().toISOString();
    fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.ppid, acquiredAt }));
    await assert.rejects(
      store.recordBuild(buildInput({ commit: 1, day: 1, values: { loc: 1 } })),
      new RegExp(`store is locked \\(.*metrics\\.db\\.lock\\) by process ${process.ppid} since ${acquiredAt.replace(/\./g, '\\.')}, which has shown no progress for 300 ms`),
    );
    fs.rmSync(`${file}.lock`);
    const { build } = await store.recordBuild(buildInput({ commit: 1, day: 1, values: { loc: 1 } }));
    assert.equal(build.id, 1, 'the failed attempt stored nothing');
    await store.close();
  } finally {
    removeDir(dir);
  }
});
