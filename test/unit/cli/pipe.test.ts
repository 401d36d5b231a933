// The built executable as a shell pipeline sees it: `tidemark … | head -1` closes stdout early.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../collect/helpers';
import { cli, ensureBuilt } from '../builtCli';

before(ensureBuilt);

/** Runs the CLI, reads its first line of stdout, then closes the pipe as `head -1` does. */
function firstLineThenClose(args: string[]): Promise<{ code: number | null; signal: string | null; first: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (first.includes('\n')) return;
      first += chunk.toString();
      if (first.includes('\n')) child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, first: first.split('\n')[0], stderr }));
  });
}

test('a closed stdout ends export quietly with exit 0 (EPIPE)', async () => {
  const tmp = tempDir();
  try {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      lines.push(JSON.stringify({ metric_id: 'm', timestamp: new Date(1.7e12 + i * 60_000).toISOString(), value_numeric: i, commit_sha: 'a'.repeat(40), branch: 'main', run_id: `r${i}` }));
    }
    const jsonl = path.join(tmp.dir, 'history.jsonl');
    writeFileSync(jsonl, lines.join('\n') + '\n');
    const db = path.join(tmp.dir, 'h.db');
    execFileSync(process.execPath, [cli, 'import', jsonl, '--db', db, '--cwd', tmp.dir]);
    // The export is ~3 MB: far more than a pipe buffer, so writes continue after the close.
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = await firstLineThenClose(['export', '--jsonl', '--db', db, '--cwd', tmp.dir]);
      assert.match(r.first, /"metric_id":"m"/);
      assert.equal(r.stderr, '', 'nothing on stderr');
      assert.deepEqual([r.code, r.signal], [0, null]);
    }
  } finally {
    tmp.cleanup();
  }
});
