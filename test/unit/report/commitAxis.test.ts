/** The commit axis from a real git repository: first-parent order, a branch after its fork point, tags and subjects. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCommitAxis } from '../../../src/core/report/commitAxis';
import { commitDetails, existingCommits, firstParentOrder } from '../../../src/core/git/commits';

function repo(): { dir: string; git: (...args: string[]) => string; commit: (msg: string, time: number) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-axis-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Grace', '-c', 'user.email=g@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' }).trim();
  const commit = (msg: string, time: number) => {
    fs.writeFileSync(path.join(dir, `${msg.replace(/\W/g, '-')}.txt`), msg);
    git('add', '.');
    const date = new Date(time).toISOString();
    execFileSync('git', ['-c', 'user.name=Grace', '-c', 'user.email=g@example.com', '-c', 'commit.gpgsign=false', 'commit', '-qm', msg], { cwd: dir, env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
    return git('rev-parse', 'HEAD');
  };
  git('init', '-q', '-b', 'main');
  return { dir, git, commit };
}

test('measured commits of main take positions in first-parent order; a branch follows its fork point; tags and subjects come along', async () => {
  const { dir, git, commit } = repo();
  try {
    const t0 = Date.UTC(2026, 0, 1);
    const main = [commit('one', t0), commit('two', t0 + 1000), commit('three', t0 + 2000)];
    git('tag', '-a', 'v1', '-m', 'release', main[1]);
    git('checkout', '-qb', 'topic', main[1]);
    const topic = [commit('topic a', t0 + 3000), commit('topic b', t0 + 4000)];
    git('checkout', '-q', 'main');
    main.push(commit('four', t0 + 5000));
    // The merge's first parent is main: the topic's commits are not on main's first-parent chain.
    git('merge', '-q', '--no-ff', '-m', 'merge topic', 'topic');
    const merge = git('rev-parse', 'HEAD');
    const runs = [...main, merge].map((sha) => ({ sha, branch: 'main', time: 0, dirty: false }));
    runs.push(...topic.map((sha) => ({ sha, branch: 'topic', time: 0, dirty: false })), { sha: 'f'.repeat(40), branch: 'gone', time: 0, dirty: false });
    // Skip commit "three": positions count measured commits only.
    const measured = runs.filter((r) => r.sha !== main[2]);
    const axis = (await buildCommitAxis(dir, 'main', measured))!;
    const x = new Map(axis.commits.map((c) => [c.sha, c]));
    assert.deepEqual([main[0], main[1], main[3], merge].map((s) => x.get(s)!.x), [0, 1, 2, 3]);
    assert.deepEqual(topic.map((s) => x.get(s)!.x), [2, 3], 'the topic follows its fork point (position 1)');
    assert.equal(x.get(topic[0])!.branch, 'topic');
    assert.equal(x.get(main[1])!.tag, 'v1', 'an annotated tag names its commit');
    assert.equal(x.get(main[3])!.subject, 'four');
    assert.equal(x.get(main[3])!.author, 'Grace');
    assert.equal(x.get(main[3])!.time, t0 + 5000);
    assert.equal(axis.unplaced, 1, 'a commit this clone lacks is counted, not placed');
    assert.deepEqual(await firstParentOrder(dir, 'main'), [main[0], main[1], main[2], main[3], merge]);
    assert.deepEqual([...(await existingCommits(dir, [main[0], 'f'.repeat(40)]))], [main[0]]);
    assert.equal((await commitDetails(dir, ['0'.repeat(40)])).size, 0);
    assert.equal(await buildCommitAxis(dir, 'no-such-branch', measured), null);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
