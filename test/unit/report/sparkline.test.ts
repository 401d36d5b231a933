// The Overview tiles' sparklines on a real git repository: main's line up to the baseline commit,
// then the branch's own commits, in commit order whatever order the runs were recorded in.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config';
import { ReportBackend, type ReportSource } from '../../../src/core/report/backend';
import { sizeRepo, type SizeRepo } from './sizeRepo';

let repo: SizeRepo;
let source: ReportSource;
const git = (...args: string[]) => repo.git(...args);
const commit = (name: string) => repo.commit(name);
const record = (commitSha: string, branch: string, size: number, hoursAgo: number) => repo.record(commitSha, branch, size, { hoursAgo });

before(async () => {
  repo = await sizeRepo('tidemark-sparkline-');
  await record(commit('a'), 'main', 100, 10);
  const b = commit('b'); // main's commit the branch starts from: measured last (below)
  git('checkout', '-qb', 'feature');
  await record(commit('x'), 'feature', 500, 9); // a commit the branch no longer has (rebased away)
  git('reset', '-q', '--hard', b);
  await record(commit('c'), 'feature', 150, 8);
  await record(commit('d'), 'feature', 160, 7);
  git('checkout', '-q', 'main');
  await record(commit('e'), 'main', 999, 6); // main after the fork: not the branch's past
  // Measure Baseline Now (or Measure History) records the merge-base's run after everything else.
  await record(b, 'main', 110, 1);
  git('checkout', '-q', 'feature');
  const parsed = parseConfig('{ "baseline": { "referenceBranch": "main" }, "metrics": { "size": { "type": "numeric", "command": "true", "unit": "bytes" } } }');
  assert.ok(parsed.ok);
  source = { store: repo.store, folderName: 'repo', cwd: repo.dir, config: parsed.config, currentBranch: async () => 'feature', referenceBranch: async () => 'main' };
});

after(() => repo?.remove());

test("a tile's sparkline is main up to the baseline commit, then the branch's commits, in commit order: a baseline measured last, main after the fork and a rebased-away commit do not reorder it", async () => {
  const overview = await new ReportBackend(source).overview();
  assert.equal(overview.baseline.build?.commitSha, git('merge-base', 'main', 'feature'));
  const tile = overview.tiles.find((t) => t.metric.id === 'size');
  assert.deepEqual(tile?.sparkline, [100, 110, 150, 160]);
  assert.equal(tile?.sparklineBaseline, 1, 'the marker is on the baseline run (110)');
});

test("on the reference branch itself the sparkline is its own line's runs in commit order, without a marker", async () => {
  const onMain = { ...source, currentBranch: async () => 'main' };
  git('checkout', '-q', 'main');
  try {
    const tile = (await new ReportBackend(onMain).overview()).tiles.find((t) => t.metric.id === 'size');
    assert.deepEqual(tile?.sparkline, [100, 110, 999], 'b (110) before e (999), though measured after it');
    assert.equal(tile?.sparklineBaseline, undefined);
  } finally {
    git('checkout', '-q', 'feature');
  }
});
