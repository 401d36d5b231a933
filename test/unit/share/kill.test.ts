/**
 * kill -9 (the whole process group, git children included) during publish and pull, 20 times
 * at random moments: the notes ref and the store stay valid, and a rerun completes the work.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../collect/helpers';
import { CLEAN_ENV, cli, clone, ensureBuilt, git, json, newOrigin, noteLines, tidemark } from './helpers';

let tmp: { dir: string; cleanup(): void };
before(() => {
  ensureBuilt();
  tmp = tempDir();
});
after(() => tmp.cleanup());

/** Starts `tidemark args` in its own process group and SIGKILLs the group after `delayMs`; resolves with whether it was still running. */
function killDuring(cwd: string, args: string[], delayMs: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn('node', [cli, ...args], { cwd, detached: true, stdio: 'ignore', env: { ...process.env, ...CLEAN_ENV } });
    let exited = false;
    const timer = setTimeout(() => {
      if (!exited) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // Exited between the check and the kill.
        }
      }
    }, delayMs);
    child.on('exit', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code });
    });
  });
}

function assertValid(repo: string, what: string): void {
  // The notes ref, when it exists, is a readable notes commit.
  const tip = git(repo, 'for-each-ref', '--format=%(objectname)', 'refs/notes/tidemark');
  if (tip) {
    git(repo, 'notes', '--ref=refs/notes/tidemark', 'list');
    const fsck = git(repo, 'fsck', '--no-dangling', '--no-progress', tip);
    assert.equal(fsck, '', `${what}: git fsck`);
  }
  const stats = json<{ builds: number; problems?: unknown[] }>(tidemark(repo, ['stats', '--json']));
  assert.deepEqual(stats.problems ?? [], [], `${what}: store problems`);
}

test('kill -9 during publish --push and pull, 20 times: notes and store stay valid; rerun completes', { timeout: 900_000 }, async () => {
  const dir = path.join(tmp.dir, 'kill');
  const origin = newOrigin(dir);
  const a = clone(origin, path.join(dir, 'a'));
  const b = clone(origin, path.join(dir, 'b'));
  const RUNS = 12;
  for (let i = 0; i < RUNS; i++) {
    writeFileSync(path.join(a, 'size.txt'), `${1000 + i}\n`);
    git(a, 'commit', '-q', '-am', `c${i}`);
    assert.equal(tidemark(a, ['collect', '--event', 'ci']).code, 0);
  }
  git(a, 'push', '-q', 'origin', 'main');

  // How long an uninterrupted publish takes here, to spread the kills over it.
  const started = Date.now();
  const probe = await killDuring(a, ['publish', '--ref', 'refs/notes/probe'], 600_000);
  assert.equal(probe.code, 0);
  const span = Math.max(200, Date.now() - started);

  let killed = 0;
  for (let i = 0; i < 20; i++) {
    const publish = i % 2 === 0;
    const repo = publish ? a : b;
    const outcome = await killDuring(repo, publish ? ['publish', '--push'] : ['pull'], Math.floor(Math.random() * span * 1.2));
    if (outcome.killed) killed++;
    assertValid(repo, `after kill ${i + 1} (${publish ? 'publish' : 'pull'})`);
  }
  assert.ok(killed >= 5, `at least a quarter of the 20 processes were killed mid-way (${killed})`);

  const published = tidemark(a, ['publish', '--push']);
  assert.equal(published.code, 0, published.stderr);
  const pulled = tidemark(b, ['pull']);
  assert.equal(pulled.code, 0, pulled.stderr);
  assertValid(a, 'after the rerun');
  assertValid(b, 'after the rerun');
  const lines = noteLines(origin);
  assert.equal(new Set(lines.map((l) => l.run_id)).size, RUNS, 'every run reached origin');
  assert.equal(lines.length, RUNS * 3, 'no line lost or doubled');
  assert.equal(json<{ builds: number }>(tidemark(b, ['stats', '--json'])).builds, RUNS, 'the puller has every run once');
  console.log(`kill -9 test: ${killed} of 20 processes killed mid-way (publish takes ~${span} ms here)`);
});
