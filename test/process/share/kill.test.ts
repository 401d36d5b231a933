/**
 * kill -9 (the whole process group, git children included) during publish and pull, 20 times
 * at random moments: the notes ref and the store stay valid, and a rerun completes the work.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../unit/collect/helpers';
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
  const RUNS = 4;
  for (let i = 0; i < RUNS; i++) {
    writeFileSync(path.join(a, 'size.txt'), `${1000 + i}\n`);
    git(a, 'commit', '-q', '-am', `c${i}`);
    assert.equal(tidemark(a, ['collect', '--event', 'ci']).code, 0);
  }
  git(a, 'push', '-q', 'origin', 'main');

  // How long each kind takes here (uninterrupted), to spread the kills over it; updated as we go.
  const span = { publish: 0, pull: 0 };
  for (const kind of ['publish', 'pull'] as const) {
    const started = Date.now();
    const probe = await killDuring(kind === 'publish' ? a : b, kind === 'publish' ? ['publish', '--ref', 'refs/notes/probe'] : ['pull', '--ref', 'refs/notes/probe'], 600_000);
    assert.equal(probe.code, 0);
    span[kind] = Date.now() - started;
  }

  let killed = 0;
  let made = RUNS;
  for (let i = 0; i < 20; i++) {
    const kind = i % 2 === 0 ? 'publish' : 'pull';
    const repo = kind === 'publish' ? a : b;
    if (kind === 'publish') {
      // Always something new to publish, push and then pull.
      writeFileSync(path.join(a, 'size.txt'), `${2000 + i}\n`);
      git(a, 'commit', '-q', '-am', `k${i}`);
      assert.equal(tidemark(a, ['collect', '--event', 'ci']).code, 0);
      made++;
    }
    const started = Date.now();
    const outcome = await killDuring(repo, kind === 'publish' ? ['publish', '--push'] : ['pull'], Math.floor(Math.random() * span[kind]));
    if (outcome.killed) killed++;
    else span[kind] = Math.max(span[kind], Date.now() - started);
    assertValid(repo, `after kill ${i + 1} (${kind})`);
  }
  assert.ok(killed >= 10, `at least half of the 20 processes were killed mid-way (${killed})`);

  const published = tidemark(a, ['publish', '--push']);
  assert.equal(published.code, 0, published.stderr);
  const pulled = tidemark(b, ['pull']);
  assert.equal(pulled.code, 0, pulled.stderr);
  assertValid(a, 'after the rerun');
  assertValid(b, 'after the rerun');
  const lines = noteLines(origin);
  assert.equal(new Set(lines.map((l) => l.run_id)).size, made, 'every run reached origin');
  assert.equal(lines.length, made * 3, 'no line lost or doubled');
  assert.equal(json<{ builds: number }>(tidemark(b, ['stats', '--json'])).builds, made, 'the puller has every run once');
  console.log(`kill -9 test: ${killed} of 20 processes killed mid-way (publish ~${span.publish} ms, pull ~${span.pull} ms here)`);
});
