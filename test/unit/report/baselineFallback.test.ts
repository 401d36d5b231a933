// When the baseline rules find no run, the report compares with what the Metrics view and the
// status bar compare with (extension/analysis/folderAnalysis.ts): the latest clean run of the
// reference branch, and says so. A real git repository and store.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config';
import { ReportBackend, type ReportSource } from '../../../src/core/report/backend';
import { sizeRepo, type SizeRepo } from './sizeRepo';

let repo: SizeRepo;
let store: SizeRepo['store'];
let source: (branch: string) => ReportSource;
const git = (...args: string[]) => repo.git(...args);
const commit = (name: string) => repo.commit(name);
const record = (commitSha: string, branch: string, size: number, dirty: boolean, hoursAgo: number) => repo.record(commitSha, branch, size, { dirty, hoursAgo });

before(async () => {
  repo = await sizeRepo('tidemark-fallback-');
  store = repo.store;
  const parsed = parseConfig('{ "baseline": { "referenceBranch": "main" }, "metrics": { "size": { "type": "numeric", "command": "true", "unit": "bytes" } } }');
  assert.ok(parsed.ok);
  source = (branch) => ({ store, folderName: 'repo', cwd: repo.dir, config: parsed.config, currentBranch: async () => branch, referenceBranch: async () => 'main' });
});

after(() => repo?.remove());

test("on main's first measured commit the report compares the working copy's run with HEAD's clean run, as the Metrics view does, and says why", async () => {
  commit('root'); // never measured
  const head = commit('a');
  assert.equal((await new ReportBackend(source('main')).overview()).baseline.build, null, 'no clean run of main yet: no baseline');
  const clean = await record(head, 'main', 100, false, 2);
  await record(head, 'main', 130, true, 1); // a save run with uncommitted edits
  const overview = await new ReportBackend(source('main')).overview();
  assert.equal(overview.baseline.build?.id, clean);
  assert.equal(overview.baseline.explanation, 'the latest clean run of main, because no earlier commit of main has a clean run (Measure History… records some)');
  assert.equal(overview.baseline.fallback, true, 'flagged, so the header can say why');
  assert.equal((await new ReportBackend(source('main')).meta()).baseline?.fallback, true);
  // The run the Metrics view's fallback reads: main's latest clean value.
  const [treeBaseline] = await store.latest({ ref: 'main', cleanOnly: true });
  assert.equal(treeBaseline.valueBuild?.id, clean);
  const tile = overview.tiles.find((t) => t.metric.id === 'size')!;
  assert.deepEqual({ value: tile.value, baseline: tile.baseline, direction: tile.change.direction }, { value: 130, baseline: 100, direction: 'worse' });
  // Compare's default (the baseline's commit against the branch) says the same: the save run of that commit is not the base.
  const compared = await new ReportBackend(source('main')).compare(head, 'main');
  const row = compared.rows.find((r) => r.metric.id === 'size')!;
  assert.deepEqual({ base: row.base, head: row.head, direction: row.change.direction }, { base: 100, head: 130, direction: 'worse' });
  assert.equal(compared.base.build?.id, clean);
});

test("a branch whose fork point and its past have no run compares with main's latest clean run, named as such", async () => {
  git('checkout', '-q', '-b', 'feature', 'HEAD~1'); // from the root commit, which has no run
  const own = commit('b');
  await record(own, 'feature', 90, false, 0.5);
  const overview = await new ReportBackend(source('feature')).overview();
  assert.equal(overview.baseline.build?.branch, 'main');
  assert.equal(overview.baseline.build?.dirty, false);
  assert.match(overview.baseline.explanation, /^the latest clean run of main, because the baseline rules found none$/);
  assert.equal(overview.tiles.find((t) => t.metric.id === 'size')?.baseline, 100);
});
