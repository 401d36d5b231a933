import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureBaseline } from '../../../src/core/measure';
import { evaluate } from '../../../src/core/analysis/evaluate';
import { configWith, Repo } from './history';

/** Paths of the repository's linked worktrees (the main one excluded). */
function linkedWorktrees(repo: Repo): string[] {
  return repo
    .git('worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => line.slice('worktree '.length))
    .slice(1);
}

/** Everything a user would notice about their checkout. */
function snapshot(repo: Repo) {
  return {
    worktrees: repo.git('worktree', 'list', '--porcelain'),
    status: repo.git('status', '--porcelain'),
    head: repo.git('rev-parse', 'HEAD'),
    branch: repo.git('symbolic-ref', '--short', 'HEAD'),
    file: fs.readFileSync(path.join(repo.dir, 'size.txt'), 'utf8'),
  };
}

async function featureRepo(): Promise<{ repo: Repo; base: string; head: string }> {
  const repo = await Repo.create();
  fs.writeFileSync(path.join(repo.dir, '.gitignore'), '.tidemark/\n');
  fs.writeFileSync(path.join(repo.dir, 'size.txt'), '12345\n');
  repo.git('add', '.gitignore', 'size.txt');
  repo.git('commit', '-q', '-m', 'base');
  const base = repo.git('rev-parse', 'HEAD');
  repo.git('checkout', '-q', '-b', 'feature');
  fs.writeFileSync(path.join(repo.dir, 'size.txt'), '1234567890\n');
  repo.git('commit', '-q', '-am', 'grow');
  const head = repo.git('rev-parse', 'HEAD');
  // An uncommitted edit the measurement must not disturb.
  fs.writeFileSync(path.join(repo.dir, 'size.txt'), 'work in progress, not committed\n');
  return { repo, base, head };
}

const sizeConfig = configWith({ size: { command: 'wc -c < size.txt', unit: 'bytes' } });

test('baseline --measure records a clean run of the merge-base and leaves the checkout untouched', async () => {
  const { repo, base, head } = await featureRepo();
  try {
    const before = snapshot(repo);
    const outcome = await measureBaseline({ cwd: repo.dir, store: repo.store, config: sizeConfig });
    assert.equal(outcome.commitSha, base);
    assert.equal(outcome.reason, 'merge-base of HEAD and main');
    assert.equal(outcome.build.commitSha, base);
    assert.equal(outcome.build.branch, 'main');
    assert.equal(outcome.build.dirty, false);
    assert.equal(outcome.build.event, 'manual');
    assert.deepEqual(outcome.results.map((r) => [r.metric, r.status, r.value]), [['size', 'ok', 6]], 'measured the merge-base content');
    assert.deepEqual(snapshot(repo), before);
    assert.ok(outcome.worktree.startsWith(os.tmpdir()), outcome.worktree);
    assert.equal(fs.existsSync(path.dirname(outcome.worktree)), false, 'the temporary directory is gone');

    // The measured run is now the baseline of the feature branch.
    await repo.record(head, 'feature', { size: 11 });
    const e = await evaluate({ cwd: repo.dir, store: repo.store, config: sizeConfig });
    assert.equal(e.metrics[0].baseline?.build.id, outcome.build.id);
    assert.equal(e.metrics[0].delta, 5);
  } finally {
    await repo.close();
  }
});

test('a cancelled measurement records nothing and removes its worktree', async () => {
  const { repo } = await featureRepo();
  try {
    const before = snapshot(repo);
    const controller = new AbortController();
    const slow = configWith({ size: { command: 'sleep 30', unit: 'bytes' } });
    let started!: () => void;
    const commandStarted = new Promise<void>((resolve) => (started = resolve));
    const running = measureBaseline({ cwd: repo.dir, store: repo.store, config: slow, signal: controller.signal, onStart: () => started() });
    // Cancel once the command is really running inside the temporary worktree.
    await commandStarted;
    const [worktree] = linkedWorktrees(repo);
    assert.match(worktree, /tidemark-baseline-/);
    controller.abort();
    await assert.rejects(running, { name: 'AbortError' });
    assert.deepEqual(snapshot(repo), before);
    assert.equal(fs.existsSync(path.dirname(worktree)), false, 'the temporary directory is gone');
    assert.equal((await repo.store.builds({})).length, 0, 'nothing recorded');
  } finally {
    await repo.close();
  }
});

test('without a common ancestor nothing is checked out and the reason is given', async () => {
  const { repo } = await featureRepo();
  try {
    repo.git('checkout', '-q', '--orphan', 'lonely');
    repo.git('commit', '-q', '-m', 'lonely');
    const before = repo.git('worktree', 'list', '--porcelain');
    await assert.rejects(measureBaseline({ cwd: repo.dir, store: repo.store, config: sizeConfig }), /HEAD and main have no common ancestor/);
    assert.equal(repo.git('worktree', 'list', '--porcelain'), before);
  } finally {
    await repo.close();
  }
});
