// Proof of backfill, refs and change points: the built dist/cli.js run as a child process on a
// real git repository made here, 40 commits with tags, where data.bin's size steps up at two
// known commits and down at one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isRunning, tempDir, waitFor } from '../../unit/collect/helpers';
import { cli, ensureBuilt } from '../../unit/builtCli';

before(ensureBuilt);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function tidemark(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync('node', [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: '1', GITHUB_HEAD_REF: '', GITHUB_REF_NAME: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T>(run: Run): T {
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
}

/** Commit times: one day apart from 2024-01-01T00:00:00Z (far from "now"). */
const DAY0 = Date.UTC(2024, 0, 1) / 1000;
const STEPS: Record<number, number> = { 10: 1500, 22: 2200, 31: 1800 };

/** The data size committed at commit i. */
function STEPS_AT(i: number): number {
  let size = 1000;
  for (let k = 0; k <= i; k++) size = STEPS[k] ?? size;
  return size;
}

let tmp: { dir: string; cleanup(): void };
before(() => (tmp = tempDir()));
after(() => tmp.cleanup());

interface History {
  dir: string;
  /** Commit i (0-based), oldest first. */
  shas: string[];
}

/** Commit i's subject; one is longer than a table shows. */
const subjectOf = (i: number) => (i === 31 ? `change 31: ${'a subject that runs on '.repeat(4)}end` : `change ${i}`);

function makeHistory(name: string): History {
  const dir = path.join(tmp.dir, name);
  execFileSync('mkdir', [dir]);
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(dir, '.gitignore'), '.tidemark/\n');
  writeFileSync(
    path.join(dir, 'tidemark.json'),
    JSON.stringify({ metrics: { 'data-size': { type: 'numeric', command: '@collect size data.bin', unit: 'bytes', direction: 'lower-is-better' } } }),
  );
  const shas: string[] = [];
  let size = 1000;
  for (let i = 0; i < 40; i++) {
    size = STEPS[i] ?? size;
    writeFileSync(path.join(dir, 'data.bin'), 'x'.repeat(size));
    writeFileSync(path.join(dir, 'notes.txt'), `note ${i}\n`);
    git(dir, 'add', '-A');
    const when = `${DAY0 + i * 86400} +0000`;
    execFileSync('git', ['-c', 'user.name=Ann Author', '-c', 'user.email=ann@example.com', 'commit', '-q', '-m', subjectOf(i)], {
      cwd: dir,
      env: { ...process.env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when },
    });
    shas.push(git(dir, 'rev-parse', 'HEAD'));
    if (i % 4 === 0) git(dir, 'tag', `v0.${i / 4}`);
  }
  return { dir, shas };
}

interface BackfillJson {
  measured: number;
  skipped: number;
  failed: number;
  values: number;
  commits: { commitSha: string; time: string; status: string; values: number }[];
}

interface HistoryJson {
  points: { value: number; commitSha: string; event: string; timestamp: string }[];
}

/** What the user's checkout looks like: status (with a staged and an unstaged change), HEAD, worktrees. */
function checkoutState(dir: string): string[] {
  return [git(dir, 'status', '--porcelain=v1', '--untracked-files=all'), git(dir, 'rev-parse', 'HEAD'), git(dir, 'symbolic-ref', 'HEAD'), git(dir, 'worktree', 'list', '--porcelain'), git(dir, 'stash', 'list')];
}

describe('tidemark backfill + changes', () => {
  test('--tags then a range give one run per commit at its committer time; changes names exactly the three step commits', () => {
    const { dir, shas } = makeHistory('steps');
    // Uncommitted work that a backfill must not touch.
    writeFileSync(path.join(dir, 'notes.txt'), 'my unsaved edit\n');
    writeFileSync(path.join(dir, 'scratch.txt'), 'untracked\n');
    git(dir, 'add', 'scratch.txt');
    const before = checkoutState(dir);

    const tags = json<BackfillJson>(tidemark(dir, ['backfill', '--tags', '--json']));
    assert.equal(tags.measured, 10);
    assert.equal(tags.failed, 0);
    assert.deepEqual(
      tags.commits.map((c) => c.commitSha),
      shas.filter((_, i) => i % 4 === 0),
    );
    const range = tidemark(dir, ['backfill', `${shas[0]}..main`]);
    assert.equal(range.code, 0, range.stderr);
    assert.match(range.stdout, /backfill: 30 commits → 30 values \(30 measured, 0 failed\); 9 already measured \(skipped\)/);
    assert.match(range.stderr, /^\[1\/30\] [0-9a-f]{7} "change 1": 1 value in \d+s · ETA/m, 'CI log: one clean line per commit');
    assert.doesNotMatch(range.stderr, /\r|\x1b\[/, 'no terminal control codes in CI');
    // Run again: everything is measured already (resumable).
    const again = json<BackfillJson>(tidemark(dir, ['backfill', `${shas[0]}..main`, '--json']));
    assert.equal(again.measured, 0);
    assert.equal(again.skipped, 39);

    assert.deepEqual(checkoutState(dir), before, 'working tree, index, HEAD and worktrees untouched');

    const history = json<HistoryJson>(tidemark(dir, ['history', 'data-size', '--json']));
    assert.equal(history.points.length, 40, 'one run per commit');
    assert.deepEqual(new Set(history.points.map((p) => p.commitSha)), new Set(shas));
    for (const p of history.points) {
      const i = shas.indexOf(p.commitSha);
      assert.equal(p.event, 'backfill');
      assert.equal(p.timestamp, new Date((DAY0 + i * 86400) * 1000).toISOString(), `committer time of commit ${i}`);
      const expected = Object.entries(STEPS).reduce((v, [at, size]) => (i >= Number(at) ? size : v), 1000);
      assert.equal(p.value, expected, `size at commit ${i}`);
    }

    const { changes } = json<{ changes: { metric: string; commitSha: string; previousSha: string; before: number; after: number; relativeChange: number; branch: string; subject: string; author: string; unit: string }[] }>(
      tidemark(dir, ['changes', '--json']),
    );
    assert.deepEqual(
      changes.map((c) => [c.commitSha, c.previousSha, c.before, c.after, c.branch, c.subject, c.author, c.unit]),
      [
        [shas[31], shas[30], 2200, 1800, 'main', subjectOf(31), 'Ann Author', 'bytes'],
        [shas[22], shas[21], 1500, 2200, 'main', 'change 22', 'Ann Author', 'bytes'],
        [shas[10], shas[9], 1000, 1500, 'main', 'change 10', 'Ann Author', 'bytes'],
      ],
    );
    assert.ok(Math.abs(changes[2].relativeChange - 0.5) < 1e-9);
    const text = tidemark(dir, ['changes', 'data-size', '--since', '2024-01-20']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`${shas[22].slice(0, 7)}.*1\\.5 kB → 2\\.2 kB.*\\+46\\.\\d%.*"change 22" — Ann Author`));
    assert.doesNotMatch(text.stdout, new RegExp(shas[10].slice(0, 7)), '--since leaves older changes out');
    // The long subject: its first 59 characters and an ellipsis; --json above has it whole.
    const long = text.stdout.split('\n').find((line) => line.includes(shas[31].slice(0, 7)));
    assert.ok(long?.endsWith(`"${subjectOf(31).slice(0, 59)}…" — Ann Author`), long);
  });

  test('refs: compare and history take tags, short shas and HEAD~N; a commit without a run suggests backfill', () => {
    const { dir, shas } = makeHistory('refs');
    json(tidemark(dir, ['backfill', 'v0.2', '--json']));
    json(tidemark(dir, ['backfill', 'HEAD~3', '--json']));
    const cmp = json<{ base: { commitSha: string }; head: { commitSha: string }; metrics: { base: number; head: number }[] }>(
      tidemark(dir, ['compare', '--base', 'v0.2', '--head', shas[36].slice(0, 7), '--json']),
    );
    assert.equal(cmp.base.commitSha, shas[8]);
    assert.equal(cmp.head.commitSha, shas[36]);
    assert.deepEqual([cmp.metrics[0].base, cmp.metrics[0].head], [1000, 1800]);
    const byHead = json<typeof cmp>(tidemark(dir, ['compare', '--base', 'HEAD~3', '--head', 'v0.2', '--json']));
    assert.equal(byHead.base.commitSha, shas[36]);

    const missing = tidemark(dir, ['compare', '--base', 'v0.5', '--head', 'v0.2']);
    assert.equal(missing.code, 0);
    assert.match(missing.stderr, new RegExp(`"v0\\.5" is commit ${shas[20].slice(0, 7)} \\("change 20", 2024-01-21\\), which has no recorded run: measure it with \`tidemark backfill v0\\.5\``));
    const nowhere = tidemark(dir, ['compare', '--base', 'no-such-ref', '--head', 'v0.2']);
    assert.match(nowhere.stderr, /"no-such-ref" is not a branch, tag or commit here/);

    const onLine = json<HistoryJson>(tidemark(dir, ['history', 'data-size', '--branch', 'v0.3', '--json']));
    assert.deepEqual(onLine.points.map((p) => p.commitSha), [shas[8]], 'runs of the commits on v0.3\'s line');
    const check = tidemark(dir, ['check', '--base', 'v0.2', '--head', 'HEAD~3', '--json']);
    assert.equal(check.code, 0, check.stderr);
    const report = JSON.parse(check.stdout) as { metrics: { metric: string; value: number; baseline: { value: number; explanation: string } }[] };
    assert.deepEqual([report.metrics[0].value, report.metrics[0].baseline.value], [1800, 1000]);
    assert.match(report.metrics[0].baseline.explanation, /= --base v0\.2$/);
    const bad = tidemark(dir, ['backfill', 'no-such-ref']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /"no-such-ref" is not a branch, tag or commit here/);
  });

  test('--publish --push writes each backfilled run into the notes of the commit it measured, and a clone pulls them', () => {
    const { dir, shas } = makeHistory('publish');
    const origin = path.join(tmp.dir, 'publish-origin.git');
    git(tmp.dir, 'init', '-q', '--bare', origin);
    git(dir, 'remote', 'add', 'origin', origin);
    git(dir, 'push', '-q', 'origin', 'main', '--tags');
    const out = json<BackfillJson & { published: { published: number; pushed: boolean } }>(tidemark(dir, ['backfill', '--tags', '--publish', '--push', '--json']));
    assert.equal(out.measured, 10);
    assert.deepEqual([out.published.published, out.published.pushed], [10, true]);
    // The notes are on the tagged commits in origin, one line per value with the backfill event.
    const noted = git(origin, 'notes', '--ref=tidemark', 'list').split('\n').map((l) => l.split(' ')[1]).sort();
    assert.deepEqual(noted, shas.filter((_, i) => i % 4 === 0).sort());
    const line = JSON.parse(git(origin, 'notes', '--ref=tidemark', 'show', shas[12])) as { event: string; value_numeric: number; timestamp: string };
    assert.deepEqual([line.event, line.value_numeric, line.timestamp], ['backfill', 1500, new Date((DAY0 + 12 * 86400) * 1000).toISOString()]);
    const clone = path.join(tmp.dir, 'publish-clone');
    git(tmp.dir, 'clone', '-q', origin, clone);
    const pulled = json<{ imported: number }>(tidemark(clone, ['pull', '--json']));
    assert.equal(pulled.imported, 10);
    const history = json<HistoryJson>(tidemark(clone, ['history', 'data-size', '--json']));
    assert.deepEqual(history.points.map((p) => [p.commitSha, p.value, p.event]), out.commits.map((c) => [c.commitSha, STEPS_AT(shas.indexOf(c.commitSha)), 'backfill']));
    const without = tidemark(dir, ['backfill', '--last', '1', '--push']);
    assert.equal(without.code, 2);
    assert.match(without.stderr, /--push goes with --publish/);
  });

  test('SIGTERM during a backfill kills the running command tree, removes the worktree and exits 143', async () => {
    const { dir } = makeHistory('cancel');
    const pidFile = path.join(tmp.dir, 'cancel-pid');
    writeFileSync(
      path.join(dir, 'tidemark.json'),
      JSON.stringify({ metrics: { slow: { type: 'numeric', command: `sh -c 'sleep 30 & echo $! > ${pidFile}; wait'`, timeout: 60000 } } }),
    );
    const before = checkoutState(dir);
    const child = spawn('node', [cli, 'backfill', '--last', '3'], { cwd: dir, env: { ...process.env, CI: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => existsSync(pidFile) && statSync(pidFile).size > 0, 20_000, 'the metric command to start');
    const sleeper = Number(execFileSync('cat', [pidFile], { encoding: 'utf8' }).trim());
    assert.ok(isRunning(sleeper));
    const worktrees = git(dir, 'worktree', 'list', '--porcelain');
    assert.match(worktrees, /tidemark-backfill-/, 'measuring in a temporary worktree');
    const folder = /worktree (\S*tidemark-backfill-\S*)/.exec(worktrees)![1];
    child.kill('SIGTERM');
    assert.equal(await exited, 143, stderr);
    await waitFor(() => !isRunning(sleeper), 5000, 'the metric\'s process tree to be killed');
    assert.equal(existsSync(folder), false, 'worktree folder removed');
    assert.deepEqual(checkoutState(dir), before);
    assert.match(stderr, /interrupted/);
    const history = tidemark(dir, ['history', 'slow', '--json']);
    assert.equal(history.code, 2, 'nothing recorded for the cancelled commit');
    assert.ok(!readdirSync(os.tmpdir()).some((f) => f.startsWith('tidemark-backfill-') && path.join(os.tmpdir(), f) === path.dirname(folder)));
  });
});
