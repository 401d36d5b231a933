/** Trends on the commit axis: one point per commit at its position, a branch from its fork point, the shared span. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleCommitTrends, commitSpan, type TrendPoint } from '../../../src/core/report/trends';
import type { AxisCommit, MetricInfo, RunRow, TrendsQuery } from '../../../src/shared/protocol';

const size: MetricInfo = { id: 'size', name: null, type: 'numeric', unit: 'bytes', direction: 'lower-is-better', description: null };
const query: TrendsQuery = { range: 'all', branches: [], includeDirty: false, width: 800, axis: 'commit' };
const sha = (n: number) => String(n).padStart(40, 'a');

function commit(n: number, x: number, branch = 'main'): AxisCommit {
  return { sha: sha(n), x, branch, tag: null, subject: `c${n}`, author: 'A', time: n };
}

let nextRun = 1;
function point(n: number, value: number, branch: string, time: number): TrendPoint {
  const run: RunRow = { id: nextRun++, sha: sha(n), branch, event: 'ci', dirty: false, time, runNumber: 1 };
  return { time, value, run };
}

test('one point per commit (its newest run) at the commit position, and a branch starting at the fork point', () => {
  // main: commits 1, 2, 3 at 0, 1, 2; topic forked at commit 2 with commits 10, 11 at 2, 3.
  const axis = [commit(1, 0), commit(2, 1), commit(3, 2), commit(10, 2, 'topic'), commit(11, 3, 'topic')];
  const points = [
    point(1, 100, 'main', 1000),
    point(2, 110, 'main', 2000),
    point(2, 120, 'main', 2500), // a re-run of commit 2: the newest stands for it
    point(3, 130, 'main', 3000),
    point(10, 300, 'topic', 4000),
    point(11, 310, 'topic', 5000),
    point(99, 999, 'main', 6000), // a commit this clone lacks
  ];
  const model = assembleCommitTrends(query, { from: 0, to: 10_000 }, [{ metric: size, points }], axis, 'main');
  const series = model.series[0];
  assert.equal(series.kind, 'numeric');
  if (series.kind !== 'numeric') return;
  const main = series.lines.find((l) => l.branch === 'main')!;
  assert.deepEqual(main.x, [0, 1, 2]);
  assert.deepEqual(main.y, [100, 120, 130]);
  const topic = series.lines.find((l) => l.branch === 'topic')!;
  assert.deepEqual(topic.x, [1, 2, 3], 'the topic line starts at its fork point on main');
  assert.deepEqual(topic.y, [120, 300, 310]);
  assert.match(model.axisNote ?? '', /1 value of commits this clone does not have/);
  assert.deepEqual(model.commits!.map((c) => c.sha), [sha(1), sha(2), sha(3), sha(10), sha(11)]);
});

test('the span every chart shares: positions of the runs in the window on the chosen branches', () => {
  const axis = [commit(1, 0), commit(2, 1), commit(3, 2), commit(10, 2, 'topic')];
  const runs = [
    { sha: sha(1), branch: 'main', time: 100, dirty: false },
    { sha: sha(2), branch: 'main', time: 200, dirty: false },
    { sha: sha(3), branch: 'main', time: 300, dirty: true },
    { sha: sha(10), branch: 'topic', time: 400, dirty: false },
  ];
  assert.deepEqual(commitSpan(query, { from: 150, to: 1000 }, axis, runs), { from: 1, to: 2 });
  assert.deepEqual(commitSpan({ ...query, branches: ['main'] }, { from: 0, to: 1000 }, axis, runs), { from: 0, to: 1 });
  assert.equal(commitSpan(query, { from: 5000, to: 6000 }, axis, runs), undefined);
});
