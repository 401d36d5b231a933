import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkedOut, defaultBranch, gitContext, isGitRepo, mergeBase } from '../../../src/core/git';
import { gitCalls } from '../../gitCalls';
import { NO_GIT_BRANCH, NO_GIT_SHA } from '../../../src/core/types';
import { tempDir } from '../collect/helpers';

let root: { dir: string; cleanup(): void };
before(() => (root = tempDir()));
after(() => root.cleanup());

const NO_CI: NodeJS.ProcessEnv = {};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

let repoCount = 0;
/** A new repository whose first branch is `branch`, with `commits` commits on it. */
function newRepo(branch = 'main', commits = 1): string {
  const dir = path.join(root.dir, `repo-${++repoCount}`);
  mkdirSync(dir);
  git(dir, 'init', '-q', '-b', branch);
  for (let i = 0; i < commits; i++) commit(dir, `c${i}`);
  return dir;
}

function commit(dir: string, message: string): string {
  writeFileSync(path.join(dir, 'file.txt'), `${message}\n`);
  git(dir, 'add', 'file.txt');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

describe('gitContext', () => {
  test('outside git: 40 zeros and "(no git)"', async () => {
    const dir = path.join(root.dir, 'plain');
    mkdirSync(dir);
    assert.equal(await isGitRepo(dir), false);
    assert.deepEqual(await gitContext(dir, { env: NO_CI }), { commitSha: NO_GIT_SHA, branch: NO_GIT_BRANCH, dirty: false });
  });

  test('a repository without commits: 40 zeros and the unborn branch', async () => {
    const dir = newRepo('trunk', 0);
    assert.equal(await isGitRepo(dir), true);
    assert.deepEqual(await gitContext(dir, { env: NO_CI }), { commitSha: NO_GIT_SHA, branch: 'trunk', dirty: false });
    writeFileSync(path.join(dir, 'a.txt'), 'a');
    git(dir, 'add', 'a.txt');
    assert.equal((await gitContext(dir, { env: NO_CI })).dirty, true, 'a staged file is a tracked change');
  });

  test('HEAD commit, current branch, and dirty only for tracked changes', async () => {
    const dir = newRepo('main', 2);
    const head = git(dir, 'rev-parse', 'HEAD');
    assert.deepEqual(await gitContext(dir, { env: NO_CI }), { commitSha: head, branch: 'main', dirty: false });

    writeFileSync(path.join(dir, 'untracked.txt'), 'x');
    assert.equal((await gitContext(dir, { env: NO_CI })).dirty, false, 'untracked files do not make a run dirty');
    writeFileSync(path.join(dir, 'file.txt'), 'changed\n');
    assert.equal((await gitContext(dir, { env: NO_CI })).dirty, true);

    const sub = path.join(dir, 'sub');
    mkdirSync(sub);
    assert.equal((await gitContext(sub, { env: NO_CI })).commitSha, head, 'works from a subfolder');
  });

  test('an explicit branch wins over everything', async () => {
    const dir = newRepo('main', 1);
    assert.equal((await gitContext(dir, { branch: 'release/1.0', env: { GITHUB_HEAD_REF: 'pr' } })).branch, 'release/1.0');
  });

  test('detached HEAD: CI variables, else "HEAD"', async () => {
    const dir = newRepo('main', 2);
    git(dir, 'checkout', '-q', '--detach', 'HEAD~1');
    const sha = git(dir, 'rev-parse', 'HEAD');
    assert.deepEqual(await gitContext(dir, { env: NO_CI }), { commitSha: sha, branch: 'HEAD', dirty: false });
    assert.equal((await gitContext(dir, { env: { GITHUB_HEAD_REF: 'feature/x', GITHUB_REF_NAME: '12/merge' } })).branch, 'feature/x');
    assert.equal((await gitContext(dir, { env: { GITHUB_HEAD_REF: '', GITHUB_REF_NAME: 'main' } })).branch, 'main');
    // On a branch, the branch wins over CI variables.
    git(dir, 'checkout', '-q', 'main');
    assert.equal((await gitContext(dir, { env: { GITHUB_HEAD_REF: 'feature/x' } })).branch, 'main');
  });

  test('hostile and non-ASCII branch names come back verbatim and run nothing', async () => {
    const dir = newRepo('main', 1);
    const names = ['"><script>alert(1)</script>', 'feat;rm${IFS}-rf${IFS}pwned', 'x$(touch${IFS}pwned)`touch${IFS}pwned2`', 'fé/ünïcode'];
    for (const name of names) {
      git(dir, 'checkout', '-q', '-b', name, 'main');
      assert.equal((await gitContext(dir, { env: NO_CI })).branch, name);
      assert.equal(await mergeBase(dir, name, 'main'), git(dir, 'rev-parse', 'main'));
    }
    assert.deepEqual(readdirSync(dir).sort(), ['.git', 'file.txt']);
  });
});

describe('defaultBranch', () => {
  test('main, else master, else null', async () => {
    const both = newRepo('master', 1);
    git(both, 'branch', 'main');
    assert.equal(await defaultBranch(both), 'main');
    assert.equal(await defaultBranch(newRepo('master', 1)), 'master');
    assert.equal(await defaultBranch(newRepo('trunk', 1)), null);
    const plain = path.join(root.dir, 'plain-default');
    mkdirSync(plain);
    assert.equal(await defaultBranch(plain), null);
  });

  test("origin's HEAD wins in a clone, if its branch exists; one git process", async () => {
    const origin = path.join(root.dir, 'origin.git');
    git(root.dir, 'init', '-q', '--bare', '-b', 'develop', origin);
    const work = newRepo('develop', 1);
    git(work, 'branch', 'main');
    git(work, 'push', '-q', origin, 'develop', 'main');
    const clone = path.join(root.dir, 'clone');
    git(root.dir, 'clone', '-q', origin, clone);
    assert.equal(await defaultBranch(clone), 'develop');
    // origin/HEAD naming a branch the remote no longer has: main is next, not the gone branch.
    git(clone, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/gone');
    assert.equal(await defaultBranch(clone), 'main');
    // Without origin/HEAD the local/remote main is next.
    git(clone, 'remote', 'set-head', 'origin', '--delete');
    const { result, calls } = await gitCalls(() => defaultBranch(clone));
    assert.equal(result, 'main');
    assert.equal(calls.length, 1, `one git process whichever rule decides:\n${calls.join('\n')}`);
  });
});

describe('mergeBase', () => {
  test('the fork point of two branches; null for unknown or unrelated refs', async () => {
    const dir = newRepo('main', 1);
    const fork = git(dir, 'rev-parse', 'HEAD');
    git(dir, 'checkout', '-q', '-b', 'feature');
    commit(dir, 'on feature');
    git(dir, 'checkout', '-q', 'main');
    commit(dir, 'on main');
    assert.equal(await mergeBase(dir, 'main', 'feature'), fork);
    assert.equal(await mergeBase(dir, 'main', 'no-such-branch'), null);
    git(dir, 'checkout', '-q', '--orphan', 'unrelated');
    commit(dir, 'unrelated root');
    assert.equal(await mergeBase(dir, 'main', 'unrelated'), null);
  });

  test('a ref that looks like an option is a ref, not an option', async () => {
    const dir = newRepo('main', 1);
    const out = path.join(root.dir, 'written-by-git');
    assert.equal(await mergeBase(dir, `--output=${out}`, 'main'), null);
    assert.equal(existsSync(out), false);
  });
});

describe('one git process per context', () => {
  test('gitContext starts git once (counted through a PATH shim)', async () => {
    const dir = newRepo('main', 1);
    const { result: context, calls } = await gitCalls(() => gitContext(dir, { env: NO_CI }));
    assert.equal(context.branch, 'main');
    assert.equal(calls.length, 1, calls.join('\n'));
  });
});

describe('checkedOut', () => {
  test("HEAD's commit and branch from one git process, the branch's full name even when a tag has the same name", async () => {
    const dir = newRepo('main', 2);
    git(dir, 'checkout', '-q', '-b', 'feature/ünïcode');
    git(dir, 'tag', 'feature/ünïcode');
    const { result, calls } = await gitCalls(() => checkedOut(dir));
    assert.deepEqual(result, { sha: git(dir, 'rev-parse', 'HEAD'), branch: 'feature/ünïcode' });
    assert.equal(calls.length, 1);
  });

  test('detached: the commit without a branch; no commits yet or no repository: null', async () => {
    const dir = newRepo('main', 2);
    const first = git(dir, 'rev-list', '--max-parents=0', 'HEAD');
    git(dir, 'checkout', '-q', first);
    assert.deepEqual(await checkedOut(dir), { sha: first, branch: null });
    assert.equal(await checkedOut(newRepo('main', 0)), null);
    const plain = path.join(root.dir, 'not-a-repo');
    mkdirSync(plain);
    assert.equal(await checkedOut(plain), null);
  });
});
