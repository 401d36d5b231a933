/**
 * evaluate() reads only the history a judgement needs (the baseline's candidate commits, the
 * statistical window) and judges exactly as it would from every clean run: random histories in
 * real git repositories, checked against that whole-history judgement, and the points read
 * counted on a long history.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseBaseline, explicitPlan, planBaseline, type BaselinePlan } from '../../../src/core/analysis/baseline';
import { evaluate, type Evaluation, type EvaluateOptions } from '../../../src/core/analysis/evaluate';
import { statisticalLimits } from '../../../src/core/analysis/statistics';
import { parseThresholds } from '../../../src/core/config/thresholds';
import { ancestors } from '../../../src/core/git';
import type { SeriesPoint, StoreApi } from '../../../src/core/store/api';
import type { BuildRecord, TidemarkConfig } from '../../../src/core/types';
import { seededRandom } from '../../seededRandom';
import { configWith, DAY, NOW, Repo } from './history';

async function withRepo(body: (repo: Repo) => Promise<void>): Promise<void> {
  const repo = await Repo.create();
  try {
    await body(repo);
  } finally {
    await repo.close();
  }
}

const CONFIG = configWith(
  {
    size: { thresholds: { test: 't-test', window: 5, minSamples: 3 } },
    speed: { direction: undefined, thresholds: { test: 'iqr', window: 4, minSamples: 2, maxChangePercent: 10 } },
    count: { thresholds: { maxChangePercent: 10 } },
  },
  { maxAgeDays: 30 },
);

/**
 * What evaluate() must find for each metric, worked out from every clean run of it: the
 * baseline as chooseBaseline picks it among all of them, and the statistical window as every
 * clean reference-branch run of the baseline commit's ancestry, newest first.
 */
async function fromWholeHistory(repo: Repo, config: TidemarkConfig, plan: BaselinePlan, e: Evaluation) {
  const expected = new Map<string, { baselineId: number | null; samples: number[] }>();
  for (const m of e.metrics) {
    const judged = (p: SeriesPoint) => p.buildId !== e.head.build?.id && p.buildId !== m.build?.id;
    const points = (await repo.store.series({ metric: m.metric })).filter((p) => !p.dirty && judged(p));
    const choice = chooseBaseline(plan, points);
    let samples: number[] = [];
    if (choice) {
      const ancestry = new Set((await ancestors(repo.dir, choice.commitSha, { max: 5000 })).map((c) => c.sha));
      samples = points
        .filter((p) => p.branch === plan.referenceBranch && typeof p.value === 'number' && ancestry.has(p.commitSha))
        .sort((a, b) => (a.timestamp === b.timestamp ? b.buildId - a.buildId : a.timestamp < b.timestamp ? 1 : -1))
        .map((p) => p.value as number);
    }
    expected.set(m.metric, { baselineId: choice?.buildId ?? null, samples });
  }
  return expected;
}

async function assertJudgedAsWholeHistory(repo: Repo, options: Partial<EvaluateOptions>, planOf: (e: Evaluation) => Promise<BaselinePlan>, what: string): Promise<void> {
  const e = await evaluate({ cwd: repo.dir, store: repo.store, config: CONFIG, now: NOW, ...options });
  const expected = await fromWholeHistory(repo, CONFIG, await planOf(e), e);
  for (const m of e.metrics) {
    const want = expected.get(m.metric)!;
    assert.equal(m.baseline?.build.id ?? null, want.baselineId, `${what}: ${m.metric}'s baseline`);
    const def = CONFIG.metrics[m.metric]!;
    const rule = parseThresholds(def.thresholds!, def).thresholds?.statistical;
    if (!rule || m.value === null || !m.baseline) continue;
    const check = m.checks.find((c) => c.rule === rule.test)!;
    const window = want.samples.slice(0, rule.window);
    assert.ok(check.explanation.includes(`over ${window.length} run${window.length === 1 ? '' : 's'} of main`), `${what}: ${m.metric}: ${check.explanation} (expected ${window.length} samples)`);
    const limits = statisticalLimits(window, rule);
    const lower = limits.ok && m.direction !== 'lower-is-better' ? limits.lower : null;
    const upper = limits.ok && m.direction !== 'higher-is-better' ? limits.upper : null;
    assert.deepEqual([check.lower, check.upper], [lower, upper], `${what}: ${m.metric}'s limits from ${JSON.stringify(window)}`);
  }
}

/**
 * A random history: main's commits (a few without runs), a feature branch forked from one of
 * them, an unrelated orphan branch; runs at random times (measured later than their commit, as
 * a backfill does), some dirty, some of main's commits also recorded under the feature branch,
 * each run with a random subset of the metrics.
 */
async function randomHistory(repo: Repo, seed: number) {
  const rand = seededRandom(seed);
  const main = repo.commitMany(40, 'main', new Date(NOW.getTime() - 70 * DAY));
  repo.git('checkout', '-q', 'main');
  const fork = main[5 + Math.floor(rand() * 30)];
  repo.git('checkout', '-q', '-b', 'feature', fork);
  const feature = Array.from({ length: 4 }, (_, i) => repo.commit(`f${seed}-${i}`));
  repo.git('checkout', '-q', '--orphan', 'other');
  const other = [repo.commit(`o${seed}-0`), repo.commit(`o${seed}-1`)];
  const runs: BuildRecord[] = [];
  const record = async (sha: string, branch: string, every = false) => {
    const values: Record<string, number> = {};
    for (const metric of Object.keys(CONFIG.metrics)) if (every || rand() < 0.8) values[metric] = Math.round(100 + rand() * 40);
    if (!Object.keys(values).length) return;
    const timestamp = new Date(NOW.getTime() - (1 + rand() * 60) * DAY).toISOString();
    runs.push(await repo.record(sha, branch, values, { timestamp, dirty: rand() < 0.2 }));
  };
  for (const sha of main) {
    if (rand() < 0.25) continue;
    const count = 1 + Math.floor(rand() * 3);
    for (let i = 0; i < count; i++) await record(sha, rand() < 0.15 ? 'feature' : 'main');
  }
  for (const sha of feature) await record(sha, 'feature');
  for (const sha of other) await record(sha, 'other');
  // The heads judged below have a run.
  for (const [sha, branch] of [[main[39], 'main'], [main[20], 'main'], [feature[3], 'feature'], [other[1], 'other']] as const) await record(sha, branch, true);
  return { main, feature, runs, rand };
}

for (const seed of [1, 2, 3]) {
  test(`judges as from the whole history: random history ${seed}, on a feature branch, on main, without common history, against --base, for a recorded run`, () =>
    withRepo(async (repo) => {
      const { main, runs, rand } = await randomHistory(repo, seed);
      const plan = (e: Evaluation) => planBaseline({ cwd: repo.dir, config: CONFIG, head: { commitSha: e.head.commitSha, branch: e.head.branch }, now: NOW });

      repo.git('checkout', '-q', 'feature');
      await assertJudgedAsWholeHistory(repo, {}, plan, 'feature branch');
      repo.git('checkout', '-q', 'main');
      await assertJudgedAsWholeHistory(repo, {}, plan, 'main');
      repo.git('checkout', '-q', main[20]);
      await assertJudgedAsWholeHistory(repo, { headBranch: 'main' }, plan, 'main, 20 commits back');
      repo.git('checkout', '-q', 'other');
      await assertJudgedAsWholeHistory(repo, {}, plan, 'no common history');

      repo.git('checkout', '-q', 'feature');
      const base = main[10 + Math.floor(rand() * 25)];
      const explicit = async (e: Evaluation) =>
        (await explicitPlan({ cwd: repo.dir, ref: base, head: { commitSha: e.head.commitSha, branch: e.head.branch }, referenceBranch: 'main', storeCommit: null }))!;
      await assertJudgedAsWholeHistory(repo, { base }, explicit, `--base ${base.slice(0, 7)}`);

      const run = runs[Math.floor(rand() * runs.length)];
      await assertJudgedAsWholeHistory(repo, { head: run }, plan, `run #${run.runNumber}`);
    }));
}

/** The store, counting the points its series queries return. */
function counting(store: StoreApi): { store: StoreApi; points: () => number } {
  let points = 0;
  const series: StoreApi['series'] = async (q) => {
    const found = await store.series(q);
    points += found.length;
    return found;
  };
  const wrapped = new Proxy(store, {
    get(target, key) {
      if (key === 'series') return series;
      const member: unknown = Reflect.get(target, key);
      return typeof member === 'function' ? member.bind(target) : member;
    },
  });
  return { store: wrapped, points: () => points };
}

test('on a history of 600 commits, a judgement reads its baseline and its statistical window, not every run', () =>
  withRepo(async (repo) => {
    const commits = repo.commitMany(600);
    repo.git('checkout', '-q', 'main');
    // Two runs of every commit (imported in one go), values rising one a commit.
    const lines = commits.flatMap((sha, i) =>
      [0, 1].flatMap((r) =>
        ['size', 'count'].map((metric) =>
          JSON.stringify({ metric_id: metric, timestamp: new Date(NOW.getTime() - (600 - i) * 3600_000 + r * 60_000).toISOString(), value_numeric: 1000 + i, commit_sha: sha, branch: 'main', run_id: `ci-${i}-${r}` }),
        ),
      ),
    );
    const file = path.join(repo.dir, '.tidemark', 'history.jsonl');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    assert.equal((await repo.store.importJsonl(file, { source: 'ci' })).imported, lines.length);

    const config = configWith({ size: { thresholds: { test: 't-test', window: 10 } }, count: { thresholds: { maxChangePercent: 5 } } });
    const { store, points } = counting(repo.store);
    const e = await evaluate({ cwd: repo.dir, store, config, now: NOW });
    const size = e.metrics.find((m) => m.metric === 'size')!;
    assert.equal(size.value, 1599);
    assert.equal(size.baseline?.build.commitSha, commits[598], 'the previous commit is the baseline');
    assert.equal(size.baseline?.value, 1598);
    // The window: the newest 10 runs of the baseline commit and before it (1598, 1598, 1597, …, 1594).
    const tTest = size.checks.find((c) => c.rule === 't-test')!;
    assert.ok(tTest.explanation.includes('over 10 runs of main'), tTest.explanation);
    const window = [1598, 1598, 1597, 1597, 1596, 1596, 1595, 1595, 1594, 1594];
    const sizeConfig = config.metrics.size!;
    const rule = parseThresholds(sizeConfig.thresholds!, sizeConfig).thresholds!.statistical!;
    const limits = statisticalLimits(window, rule);
    assert.ok(limits.ok);
    assert.equal(tTest.upper, limits.upper);
    const count = e.metrics.find((m) => m.metric === 'count')!;
    assert.equal(count.baseline?.value, 1598);
    // 2,400 values are stored; the judgement of both metrics read a few dozen of them.
    assert.ok(points() <= 60, `evaluate read ${points()} points`);

    // A branch forked 500 commits back: its window lies behind 1,000 newer runs of main.
    repo.git('checkout', '-q', '-b', 'feature', commits[99]!);
    await repo.record(repo.commit('f'), 'feature', { size: 1150, count: 1100 });
    const fromFork = (await evaluate({ cwd: repo.dir, store: repo.store, config, now: NOW })).metrics.find((m) => m.metric === 'size')!;
    assert.equal(fromFork.baseline?.build.commitSha, commits[99], 'the merge-base is the baseline');
    const forkCheck = fromFork.checks.find((c) => c.rule === 't-test')!;
    assert.ok(forkCheck.explanation.includes('over 10 runs of main'), forkCheck.explanation);
    const forkLimits = statisticalLimits([1099, 1099, 1098, 1098, 1097, 1097, 1096, 1096, 1095, 1095], rule);
    assert.ok(forkLimits.ok);
    assert.equal(forkCheck.upper, forkLimits.upper);
  }));
