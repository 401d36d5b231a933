import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseBaseline, findBaseline, type BaselinePlan } from '../../../src/core/analysis/baseline';
import { evaluate, type Evaluation } from '../../../src/core/analysis/evaluate';
import { gitCalls } from '../../gitCalls';
import { configWith, daysAgo, NOW, Repo } from './history';

async function withRepo(body: (repo: Repo) => Promise<void>): Promise<void> {
  const repo = await Repo.create();
  try {
    await body(repo);
  } finally {
    await repo.close();
  }
}

function metric(e: Evaluation, id: string) {
  const m = e.metrics.find((x) => x.metric === id);
  assert.ok(m, `metric ${id} evaluated`);
  return m;
}

test('a feature branch is compared with the run of its merge-base, and with the new one after merging main', () =>
  withRepo(async (repo) => {
    const config = configWith({ size: {} });
    const a = repo.commit('a');
    await repo.record(a, 'main', { size: 100 });
    const b = repo.commit('b');
    await repo.record(b, 'main', { size: 110 });
    repo.git('checkout', '-q', '-b', 'feature');
    const f1 = repo.commit('f1');
    await repo.record(f1, 'feature', { size: 200 });
    repo.git('checkout', '-q', 'main');
    const c = repo.commit('c');
    await repo.record(c, 'main', { size: 120 });
    repo.git('checkout', '-q', 'feature');

    let e = await evaluate({ cwd: repo.dir, store: repo.store, config, now: NOW });
    assert.equal(e.head.commitSha, f1);
    assert.equal(e.head.branch, 'feature');
    assert.equal(e.mergeBase, b);
    let size = metric(e, 'size');
    assert.equal(size.baseline?.build.commitSha, b);
    assert.equal(size.baseline?.method, 'merge-base');
    assert.equal(size.delta, 90);
    assert.ok(Math.abs(size.deltaPercent! - 81.818181) < 1e-5);
    assert.match(size.baseline!.explanation, new RegExp(`^baseline ${b.slice(0, 7)} \\(main, .* UTC\\) = merge-base of HEAD and main$`));

    const run = await findBaseline({ cwd: repo.dir, store: repo.store, config });
    assert.equal(run?.build.commitSha, b);
    assert.equal(run?.method, 'merge-base');
    assert.equal(run?.referenceBranch, 'main');

    repo.git('merge', '-q', '--no-edit', 'main');
    const f2 = repo.git('rev-parse', 'HEAD');
    await repo.record(f2, 'feature', { size: 210 });
    e = await evaluate({ cwd: repo.dir, store: repo.store, config, now: NOW });
    size = metric(e, 'size');
    assert.equal(e.mergeBase, c);
    assert.equal(size.baseline?.build.commitSha, c);
    assert.equal(size.delta, 90);
  }));

test('after a rebase the merge-base moves to the new fork point', () =>
  withRepo(async (repo) => {
    const config = configWith({ size: {} });
    const a = repo.commit('a');
    await repo.record(a, 'main', { size: 100 });
    repo.git('checkout', '-q', '-b', 'feature');
    fsWrite(repo, 'feature.txt');
    await repo.record(repo.git('rev-parse', 'HEAD'), 'feature', { size: 150 });
    repo.git('checkout', '-q', 'main');
    const b = repo.commit('b');
    await repo.record(b, 'main', { size: 130 });
    repo.git('checkout', '-q', 'feature');
    assert.equal(metric(await evaluate({ cwd: repo.dir, store: repo.store, config, now: NOW }), 'size').baseline?.build.commitSha, a);

    repo.git('rebase', '-q', 'main');
    const rebased = repo.git('rev-parse', 'HEAD');
    await repo.record(rebased, 'feature', { size: 151 });
    const size = metric(await evaluate({ cwd: repo.dir, store: repo.store, config, now: NOW }), 'size');
    assert.equal(size.baseline?.build.commitSha, b);
    assert.equal(size.baseline?.method, 'merge-base');
    assert.equal(size.delta, 21);
  }));

function fsWrite(repo: Repo, file: string): void {
  fs.writeFileSync(path.join(repo.dir, file), 'x\n');
  repo.git('add', file);
  repo.git('commit', '-q', '-m', file);
}

test('each metric walks back on its own; dirty runs are never a baseline', () =>
  withRepo(async (repo) => {
    const config = configWith({ size: {}, time: { unit: 'duration' } });
    const a = repo.commit('a');
    await repo.record(a, 'main', { size: 100, time: 50 });
    const b = repo.commit('b');
    await repo.record(b, 'main', { size: 999 }, { dirty: true });
    await repo.record(b, 'main', { time: 60 });
    repo.git('checkout', '-q', '-b', 'feature');
    const f = repo.commit('f');
    await repo.record(f, 'feature', { size: 130, time: 70 });

    const e = await evaluate({ cwd: repo.dir, store: repo.store, config, now: NOW });
    const size = metric(e, 'size');
    assert.equal(size.baseline?.build.commitSha, a);
    assert.equal(size.baseline?.method, 'nearest-reference');
    assert.equal(size.baseline?.value, 100);
    assert.match(size.baseline!.explanation, new RegExp(`= nearest earlier clean run on main, 1 commit before merge-base ${b.slice(0, 7)}, which has none$`));
    const time = metric(e, 'time');
    assert.equal(time.baseline?.build.commitSha, b);
    assert.equal(time.baseline?.method, 'merge-base');
    assert.equal(e.baseline?.build.commitSha, b, 'the run-level baseline is the clean run of the merge-base');
  }));

test('walking back stops at baseline.maxAgeDays before the merge-base', () =>
  withRepo(async (repo) => {
    const a = repo.commit('a', daysAgo(100));
    await repo.record(a, 'main', { size: 100 });
    repo.commit('b', daysAgo(50));
    repo.git('checkout', '-q', '-b', 'feature');
    const f = repo.commit('f', daysAgo(1));
    await repo.record(f, 'feature', { size: 130 });

    const strict = await evaluate({ cwd: repo.dir, store: repo.store, config: configWith({ size: {} }, { maxAgeDays: 30 }), now: NOW });
    assert.equal(metric(strict, 'size').baseline, null);
    assert.match(metric(strict, 'size').baselineMissing!, /neither merge-base [0-9a-f]{7} nor an earlier commit of main within baseline.maxAgeDays has a clean run with size/);
    const loose = await evaluate({ cwd: repo.dir, store: repo.store, config: configWith({ size: {} }, { maxAgeDays: 60 }), now: NOW });
    assert.equal(metric(loose, 'size').baseline?.build.commitSha, a);
  }));

test('a branch with no common history falls back to the latest clean run of the reference branch', () =>
  withRepo(async (repo) => {
    const a = repo.commit('a');
    await repo.record(a, 'main', { size: 100 }, { timestamp: daysAgo(40) });
    const b = repo.commit('b');
    await repo.record(b, 'main', { size: 110 }, { timestamp: daysAgo(10) });
    await repo.record(b, 'main', { size: 500 }, { timestamp: daysAgo(5), dirty: true });
    repo.git('checkout', '-q', '--orphan', 'other');
    const o = repo.commit('o');
    await repo.record(o, 'other', { size: 300 }, { timestamp: daysAgo(1) });

    const e = await evaluate({ cwd: repo.dir, store: repo.store, config: configWith({ size: {} }, { maxAgeDays: 30 }), now: NOW });
    assert.equal(e.mergeBase, null);
    const size = metric(e, 'size');
    assert.equal(size.baseline?.build.commitSha, b);
    assert.equal(size.baseline?.method, 'latest-reference');
    assert.match(size.baseline!.explanation, /latest clean run of main \(no common git history with HEAD here\)/);
    const tooOld = await evaluate({ cwd: repo.dir, store: repo.store, config: configWith({ size: {} }, { maxAgeDays: 7 }), now: NOW });
    assert.equal(metric(tooOld, 'size').baseline, null);
    assert.match(metric(tooOld, 'size').baselineMissing!, /shares no git history with main/);
  }));

test('on the reference branch the baseline is the newest earlier commit with a clean run', () =>
  withRepo(async (repo) => {
    const a = repo.commit('a');
    await repo.record(a, 'main', { size: 100 });
    repo.commit('b');
    const c = repo.commit('c');
    await repo.record(c, 'main', { size: 105 });
    await repo.record(c, 'main', { size: 106 });

    const e = await evaluate({ cwd: repo.dir, store: repo.store, config: configWith({ size: {} }), now: NOW });
    const size = metric(e, 'size');
    assert.equal(size.value, 106);
    assert.equal(size.baseline?.build.commitSha, a, 'other runs of HEAD itself are not its baseline');
    assert.equal(size.baseline?.method, 'previous-commit');
    assert.match(size.baseline!.explanation, /= latest earlier commit on main with a clean run \(2 commits back\)$/);
  }));

test('the statistical window holds clean reference runs up to the baseline commit, not later ones', () =>
  withRepo(async (repo) => {
    const config = configWith({ size: { thresholds: { test: 't-test', max: '120 B' } } });
    const values = [100, 102, 98, 101];
    let fork = '';
    for (const v of values) {
      fork = repo.commit(`m${v}`);
      await repo.record(fork, 'main', { size: v });
    }
    await repo.record(fork, 'main', { size: 1000 }, { dirty: true });
    repo.git('checkout', '-q', '-b', 'feature');
    const f = repo.commit('f');
    await repo.record(f, 'feature', { size: 130 });
    repo.git('checkout', '-q', 'main');
    for (const v of [500, 520]) await repo.record(repo.commit(`late${v}`), 'main', { size: v });
    repo.git('checkout', '-q', 'feature');

    const e = await evaluate({ cwd: repo.dir, store: repo.store, config, now: NOW });
    const size = metric(e, 'size');
    const [max, tTest] = size.checks;
    assert.equal(max.rule, 'max');
    assert.equal(max.status, 'fail');
    assert.equal(tTest.rule, 't-test');
    assert.equal(tTest.status, 'fail');
    // Samples 100, 102, 98, 101: mean 100.25, sd √(8.75/3); t(0.99, 3) = 4.540703.
    const upper = 100.25 + 4.540703 * Math.sqrt(8.75 / 3) * Math.sqrt(1 + 1 / 4);
    assert.ok(Math.abs(tTest.upper! - upper) < 1e-4, `upper ${tTest.upper} vs ${upper}`);
    assert.equal(tTest.lower, null);
    assert.equal(tTest.explanation, `size 130 B is above the 99% upper limit 109 B (t-test over 4 runs of main, baseline ${fork.slice(0, 7)} = merge-base)`);
    assert.equal(size.status, 'fail');
    assert.equal(e.status, 'fail');
    assert.deepEqual(size.band, { lower: null, upper: tTest.upper });
    assert.deepEqual(e.counts, { pass: 0, warn: 0, fail: 2, unknown: 0 });
  }));

test('chooseBaseline skips dirty runs even when handed some, and prefers the newest clean run of a commit', () => {
  const sha = 'a'.repeat(40);
  const plan: BaselinePlan = {
    referenceBranch: 'main',
    head: { commitSha: 'b'.repeat(40), branch: 'feature' },
    mergeBase: sha,
    candidates: [{ sha, method: 'merge-base', distance: 0 }],
    latestSince: null,
    unavailable: null,
  };
  const run = (buildId: number, timestamp: string, dirty: boolean) => ({ buildId, commitSha: sha, branch: 'main', dirty, timestamp });
  const runs = [run(1, '2026-01-01T00:00:00.000Z', false), run(2, '2026-01-03T00:00:00.000Z', true), run(3, '2026-01-02T00:00:00.000Z', false)];
  assert.equal(chooseBaseline(plan, runs)?.buildId, 3);
  assert.equal(chooseBaseline(plan, [run(2, '2026-01-03T00:00:00.000Z', true)]), null);
});

test("a run of a commit this clone lacks (a teammate's, not fetched yet) is judged against the reference branch's latest clean run", () =>
  withRepo(async (repo) => {
    const a = repo.commit('a');
    await repo.record(a, 'main', { size: 100 }, { timestamp: daysAgo(3) });
    const missing = 'e'.repeat(40);
    for (const branch of ['feature', 'main']) {
      const run = await repo.record(missing, branch, { size: 120 }, { timestamp: daysAgo(1) });
      const size = metric(await evaluate({ cwd: repo.dir, store: repo.store, config: configWith({ size: {} }, { maxAgeDays: 30 }), head: run, now: NOW }), 'size');
      assert.equal(size.baseline?.build.commitSha, a, branch);
      assert.equal(size.baseline?.method, 'latest-reference', branch);
      assert.equal(size.delta, 20, branch);
    }
  }));

test('judging HEAD on a feature branch starts five git processes: HEAD, the reference tip, the merge-base, the walk back and the statistical window', () =>
  withRepo(async (repo) => {
    for (const message of ['a', 'b', 'c']) await repo.record(repo.commit(message), 'main', { size: 100 });
    repo.git('checkout', '-q', '-b', 'feature');
    await repo.record(repo.commit('f'), 'feature', { size: 130 });
    const config = configWith({ size: { thresholds: { test: 't-test', window: 3, minSamples: 2 } } }, { referenceBranch: 'main' });
    const { result, calls } = await gitCalls(() => evaluate({ cwd: repo.dir, store: repo.store, config, now: NOW }));
    assert.equal(metric(result, 'size').baseline?.method, 'merge-base');
    assert.equal(calls.length, 5, calls.join('\n'));
    // HEAD as the caller has just read it (the editor's folder state): one process fewer, the same judgement.
    const checkedOut = { sha: repo.git('rev-parse', 'HEAD'), branch: 'feature' };
    const given = await gitCalls(() => evaluate({ cwd: repo.dir, store: repo.store, config, now: NOW, checkedOut }));
    assert.deepEqual(given.result, result);
    assert.equal(given.calls.length, 4, given.calls.join('\n'));
  }));
