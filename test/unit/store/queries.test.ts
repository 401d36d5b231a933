import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_SERIES_COMMITS, type SeriesQuery, type StoreApi } from '../../../src/core/store/api';
import { openStore } from '../../../src/core/store/sqlStore';
import { buildInput, removeDir, sha, tempDir } from './fixtures';

let dir: string;
let store: StoreApi;

/*
 * History used by every query test (days of January 2025):
 *   main:    c1 d1 (size 1000, cov 80, loc 500, node v18), c2 d3 (size 1100, cov 82, node v20),
 *            c2 d4 dirty save (size 1050), c3 d6 (size 0 -> base for deltaPercent, cov failed)
 *   feature: c4 d5 (size 900, cov 82, loc 520, node v20), c5 d7 ci (size 950, cov 79)
 */
before(async () => {
  dir = tempDir();
  store = await openStore(path.join(dir, 'metrics.db'));
  const runs = [
    buildInput({ commit: 1, day: 1, values: { 'bundle-size': 1000, coverage: 80, loc: 500, 'node-version': 'v18' } }),
    buildInput({ commit: 2, day: 3, values: { 'bundle-size': 1100, coverage: 82, 'node-version': 'v20' } }),
    buildInput({ commit: 2, day: 4, runId: 'save-1', event: 'save', dirty: true, values: { 'bundle-size': 1050 } }),
    buildInput({ commit: 3, day: 6, values: { 'bundle-size': 0, coverage: { status: 'failed', message: 'jest exited with 1' } } }),
    buildInput({ commit: 4, day: 5, branch: 'feature', values: { 'bundle-size': 900, coverage: 82, loc: 520, 'node-version': 'v20' } }),
    buildInput({ commit: 5, day: 7, branch: 'feature', event: 'ci', values: { 'bundle-size': 950, coverage: 79 } }),
  ];
  for (const run of runs) await store.recordBuild(run);
});

after(async () => {
  await store.close();
  removeDir(dir);
});

test('series: oldest first, filtered by branch, time window, events, dirty, limit', async () => {
  const all = await store.series({ metric: 'bundle-size' });
  assert.deepEqual(all.map((p) => p.value), [1000, 1100, 1050, 900, 0, 950]);
  assert.deepEqual((await store.series({ metric: 'bundle-size', branch: 'main' })).map((p) => p.value), [1000, 1100, 1050, 0]);
  assert.deepEqual((await store.series({ metric: 'bundle-size', branch: ['feature', 'nope'] })).map((p) => p.value), [900, 950]);
  assert.deepEqual(
    (await store.series({ metric: 'bundle-size', since: '2025-01-03T12:00:00Z', until: '2025-01-05T12:00:00Z' })).map((p) => p.value),
    [1100, 1050, 900],
  );
  assert.deepEqual((await store.series({ metric: 'bundle-size', events: ['save', 'ci'] })).map((p) => p.value), [1050, 950]);
  assert.deepEqual((await store.series({ metric: 'bundle-size', dirty: true })).map((p) => p.value), [1050]);
  assert.deepEqual((await store.series({ metric: 'bundle-size', dirty: false, branch: 'main' })).map((p) => p.value), [1000, 1100, 0]);
  assert.deepEqual((await store.series({ metric: 'bundle-size', limit: 2 })).map((p) => p.value), [0, 950], 'a limit keeps the newest points');
  const [point] = await store.series({ metric: 'node-version', branch: 'feature' });
  assert.deepEqual(point, { buildId: 5, value: 'v20', commitSha: sha(4), branch: 'feature', event: 'manual', dirty: false, timestamp: '2025-01-05T12:00:00.000Z', runNumber: 5 });
  assert.deepEqual(await store.series({ metric: 'no-such-metric' }), []);
  await assert.rejects(store.series({ metric: 'loc', since: 'last tuesday' }), /since: "last tuesday" is not an ISO 8601 timestamp/);
});

test('series of named commits: their runs only, with the other filters; anything but full shas is refused', async () => {
  const values = async (q: Omit<SeriesQuery, 'metric'>) => (await store.series({ metric: 'bundle-size', ...q })).map((p) => p.value);
  assert.deepEqual(await values({ commits: [sha(2), sha(5)] }), [1100, 1050, 950]);
  assert.deepEqual(await values({ commits: [sha(2).toUpperCase(), sha(5)], dirty: false, branch: 'main' }), [1100]);
  assert.deepEqual(await values({ commits: [sha(1), sha(3), sha(4)], limit: 2 }), [900, 0]);
  assert.deepEqual(await values({ commits: [] }), []);
  assert.deepEqual(await values({ commits: ['0'.repeat(40)] }), []);
  await assert.rejects(values({ commits: [sha(2).slice(0, 12)] }), /commits: ".{12}" is not a full commit sha/);
  await assert.rejects(values({ commits: ["' OR 1 --"] }), /is not a full commit sha/);
  await assert.rejects(values({ commits: Array.from({ length: MAX_SERIES_COMMITS + 1 }, (_, i) => sha(i)) }), /names 1001 commits; at most 1000 per query/);
});

test('latest on a branch: last value and last attempt, including a failure', async () => {
  const latest = await store.latest({ ref: 'main' });
  const coverage = latest.find((m) => m.metric === 'coverage')!;
  assert.equal(coverage.value, 82);
  assert.equal(coverage.valueBuild?.commitSha, sha(2));
  assert.deepEqual(coverage.lastOutcome, { metric: 'coverage', status: 'failed', value: null, durationMs: 12, message: 'jest exited with 1' });
  assert.equal(coverage.lastOutcomeBuild?.commitSha, sha(3));
  assert.deepEqual(latest.map((m) => [m.metric, m.value]), [['bundle-size', 0], ['coverage', 82], ['loc', 500], ['node-version', 'v20']]);
  const clean = await store.latest({ ref: 'main', cleanOnly: true });
  assert.equal(clean.find((m) => m.metric === 'bundle-size')?.value, 0);
  const any = await store.latest();
  assert.equal(any.find((m) => m.metric === 'bundle-size')?.value, 950);
  const byCommit = await store.latest({ ref: sha(2).slice(0, 8) });
  assert.equal(byCommit.find((m) => m.metric === 'bundle-size')?.value, 1050, 'latest run of the commit (the dirty save)');
  assert.deepEqual(await store.latest({ ref: 'no-such-branch' }), []);
});

test('builds: newest first with all values and outcomes, filters and paging', async () => {
  const page1 = await store.builds({ limit: 2 });
  assert.deepEqual(page1.map((b) => b.build.commitSha), [sha(5), sha(3)]);
  const page2 = await store.builds({ limit: 2, offset: 2 });
  assert.deepEqual(page2.map((b) => b.build.commitSha), [sha(4), sha(2)]);
  assert.deepEqual(page2[1].outcomes, [{ metric: 'bundle-size', status: 'ok', value: 1050, durationMs: null, message: null }]);
  const failed = (await store.builds({ commitSha: sha(3) }))[0];
  assert.deepEqual(failed.outcomes.map((o) => [o.metric, o.status]), [['bundle-size', 'ok'], ['coverage', 'failed']]);
  assert.deepEqual((await store.builds({ branch: 'feature', events: ['ci'] })).map((b) => b.build.runNumber), [6]);
  assert.deepEqual((await store.builds({ dirty: true })).map((b) => b.build.runId), ['save-1']);
  assert.deepEqual((await store.builds({ since: '2025-01-06T00:00:00Z' })).length, 2);
  assert.deepEqual(await store.builds({ offset: 100 }), []);
});

test('branches list with run counts, most recently active first', async () => {
  assert.deepEqual(await store.branches(), [
    { branch: 'feature', builds: 2, lastRun: '2025-01-07T12:00:00.000Z' },
    { branch: 'main', builds: 4, lastRun: '2025-01-06T12:00:00.000Z' },
  ]);
});

test('resolveRef: branch = its latest run, commit (full or >= 4 prefix) = its latest run there', async () => {
  assert.equal((await store.resolveRef('main'))?.commitSha, sha(3));
  assert.equal((await store.resolveRef('feature'))?.commitSha, sha(5));
  assert.equal((await store.resolveRef(sha(2)))?.runId, 'save-1');
  assert.equal((await store.resolveRef(sha(2).slice(0, 7).toUpperCase()))?.runId, 'save-1');
  assert.equal(await store.resolveRef(sha(2).slice(0, 3)), null, 'prefixes shorter than 4 are not commits');
  assert.equal(await store.resolveRef('0000000'), null);
  assert.equal(await store.resolveRef('unknown-branch'), null);
});

test('resolveRef: a prefix matching several commits is an error naming them', async () => {
  const dir2 = tempDir();
  const s2 = await openStore(path.join(dir2, 'metrics.db'));
  try {
    const a = 'abcd' + '1'.repeat(36);
    const b = 'abcd' + '2'.repeat(36);
    for (const [commitSha, day] of [[a, 1], [b, 2]] as const) {
      const input = buildInput({ commit: 0, day, values: { loc: day } });
      await s2.recordBuild({ ...input, build: { ...input.build, commitSha } });
    }
    await assert.rejects(s2.resolveRef('abcd'), /ref "abcd" is ambiguous: it matches commits abcd11111111, abcd22222222/);
    assert.equal((await s2.resolveRef('abcd1'))?.commitSha, a);
  } finally {
    await s2.close();
    removeDir(dir2);
  }
});

test('compare: values, delta, deltaPercent and verdicts by direction', async () => {
  const c = await store.compare('main', 'feature');
  assert.deepEqual(c.base, { ref: 'main', commitSha: sha(3), build: await store.resolveRef('main') });
  assert.equal(c.head.commitSha, sha(5));
  const byMetric = Object.fromEntries(c.metrics.map((m) => [m.metric, m]));
  // bundle-size: lower is better, base is 0 -> no percentage.
  assert.deepEqual(
    [byMetric['bundle-size'].base, byMetric['bundle-size'].head, byMetric['bundle-size'].delta, byMetric['bundle-size'].deltaPercent, byMetric['bundle-size'].verdict],
    [0, 950, 950, null, 'worse'],
  );
  // coverage: main's last run failed, so its latest value on main (82) is the base.
  assert.deepEqual([byMetric.coverage.base, byMetric.coverage.head, byMetric.coverage.delta, byMetric.coverage.verdict], [82, 79, -3, 'worse']);
  assert.ok(Math.abs(byMetric.coverage.deltaPercent! - (-3 / 82) * 100) < 1e-12);
  // loc: no direction and different -> changed.
  assert.deepEqual([byMetric.loc.base, byMetric.loc.head, byMetric.loc.delta, byMetric.loc.deltaPercent, byMetric.loc.verdict], [500, 520, 20, 4, 'changed']);
  // label: same value -> same.
  assert.deepEqual([byMetric['node-version'].base, byMetric['node-version'].head, byMetric['node-version'].delta, byMetric['node-version'].verdict], ['v20', 'v20', null, 'same']);

  const reverse = await store.compare(sha(4), sha(1).slice(0, 10));
  const r = Object.fromEntries(reverse.metrics.map((m) => [m.metric, m]));
  assert.equal(r['bundle-size'].verdict, 'worse', '900 -> 1000 bytes is worse');
  assert.equal(r.coverage.verdict, 'worse', '82 -> 80 % is worse');
  assert.equal(r['node-version'].verdict, 'changed');
  const better = await store.compare(sha(1), sha(4));
  assert.equal(better.metrics.find((m) => m.metric === 'bundle-size')?.verdict, 'better');
  assert.equal(better.metrics.find((m) => m.metric === 'coverage')?.verdict, 'better');

  const same = await store.compare('main', 'main');
  assert.ok(same.metrics.every((m) => m.verdict === 'same' && (m.delta === null || m.delta === 0)));

  const missing = await store.compare('main', 'no-such-branch');
  assert.equal(missing.head.build, null);
  assert.ok(missing.metrics.length > 0);
  assert.ok(missing.metrics.every((m) => m.verdict === 'unknown' && m.head === null && m.delta === null && m.deltaPercent === null));
  const oneSided = await store.compare(sha(2), sha(1));
  assert.equal(oneSided.metrics.find((m) => m.metric === 'loc')?.verdict, 'unknown', 'loc was not measured on commit 2');
});

test('series in a time range: the same points whether it walks the range\'s runs (few) or the metric\'s values (many)', async () => {
  const big = tempDir();
  try {
    // 6,000 runs an hour apart on two branches: loc on every run, cov on every 7th.
    const hour = 3_600_000;
    const start = Date.UTC(2024, 0, 1);
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const run = { timestamp: new Date(start + i * hour).toISOString(), commit_sha: sha(10_000 + i), branch: i % 3 === 0 ? 'feature' : 'main', run_id: `r${i}` };
      lines.push(JSON.stringify({ ...run, metric_id: 'loc', value_numeric: i }));
      if (i % 7 === 0) lines.push(JSON.stringify({ ...run, metric_id: 'cov', value_numeric: i / 100 }));
    }
    const file = path.join(big, 'history.jsonl');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const history = await openStore(path.join(big, 'metrics.db'));
    assert.equal((await history.importJsonl(file, { source: 'test' })).imported, lines.length);
    const at = (i: number) => new Date(start + i * hour).toISOString();
    for (const metric of ['loc', 'cov']) {
      const all = await history.series({ metric });
      for (const [since, until, branch] of [
        [at(5900), undefined, undefined], // 100 runs: walks the runs
        [at(5900), at(5950), 'main'],
        [at(100), undefined, undefined], // 5,900 runs: walks the values
        [at(100), at(5800), 'feature'],
        [undefined, at(40), undefined],
      ] as const) {
        const expected = all.filter((p) => (since === undefined || p.timestamp >= since) && (until === undefined || p.timestamp <= until) && (branch === undefined || p.branch === branch));
        const got = await history.series({ metric, since, until, branch });
        assert.ok(expected.length > 0, `${metric} ${since}..${until} ${branch}: a case with points`);
        assert.deepEqual(got, expected, `${metric} ${since}..${until} ${branch ?? 'all branches'}`);
      }
    }
    await history.close();
  } finally {
    removeDir(big);
  }
});
