import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ReportBackend } from '../../../src/core/report/backend';
import { createFixture, HOSTILE, type Fixture } from '../../webview/fixtureStore';

let fixture: Fixture;
let backend: ReportBackend;

before(async () => {
  fixture = await createFixture({ runs: 20 });
  backend = new ReportBackend(fixture.source);
});

after(async () => {
  await fixture.close();
});

test('overview: statuses per metric, the last error of failures, baseline = newest clean run of the reference branch', async () => {
  const overview = await backend.overview();
  const byId = new Map(overview.tiles.map((t) => [t.metric.id, t]));
  assert.equal(byId.get('coverage')!.status, 'ok');
  assert.equal(byId.get('loc')!.status, 'partial', 'a value, but the last attempt failed');
  assert.equal(byId.get('loc')!.lastError, 'cloc: command not found (exit 127)');
  assert.equal(byId.get('lint-warnings')!.status, 'never');
  assert.equal(byId.get('lint-warnings')!.lastError, HOSTILE.error);
  const { recent, ...totals } = overview.summary;
  assert.deepEqual(totals, { runs: 20, branches: 3, lastRun: overview.summary.lastRun, ok: 5, partial: 1, never: 1 });
  assert.equal(recent?.days, 30, 'the completeness of the last 30 days comes along (its numbers: test/webview/standalone.test.ts)');
  const [baseline] = await fixture.store.builds({ branch: 'main', dirty: false, limit: 1 });
  assert.equal(overview.baseline.build?.id, baseline.build.id);
  const base = baseline.outcomes.find((o) => o.metric === 'coverage')!.value as number;
  const head = (await fixture.store.latest({ ref: 'feature/faster' })).find((l) => l.metric === 'coverage')!.value as number;
  assert.equal(byId.get('coverage')!.baseline, base);
  assert.equal(byId.get('coverage')!.change.delta, head - base);
  assert.equal(byId.get('coverage')!.change.direction, head > base ? 'better' : head < base ? 'worse' : 'unchanged');
  // The protocol speaks the glossary's words: the change, not a verdict or deltaPercent.
  assert.deepEqual(Object.keys(byId.get('coverage')!).filter((k) => /verdict|delta/i.test(k)), []);
  assert.ok(byId.get('coverage')!.sparkline.length > 1);
});

test('compare rows speak the glossary: the change (difference, percent, direction) and the judgement, no verdict or deltaPercent', async () => {
  const compare = await backend.compare('main', 'feature/faster');
  assert.ok(compare.rows.length > 0);
  for (const row of compare.rows) {
    assert.deepEqual(Object.keys(row).filter((k) => /verdict|delta/i.test(k)), [], row.metric.id);
    assert.ok(['better', 'worse', 'unchanged', 'changed', 'unknown'].includes(row.change.direction), row.change.direction);
  }
});

test('trends: only the requested metrics, branches and clean runs; runs table covers every plotted run', async () => {
  const model = await backend.trends({ range: 'all', branches: ['main'], includeDirty: false, width: 400, metrics: ['bundle-size'] });
  assert.deepEqual(model.series.map((s) => s.metric.id), ['bundle-size']);
  const series = model.series[0];
  assert.equal(series.kind, 'numeric');
  if (series.kind !== 'numeric') return;
  const expected = await fixture.store.series({ metric: 'bundle-size', branch: 'main', dirty: false });
  assert.deepEqual(series.lines.map((l) => l.branch), ['main']);
  assert.deepEqual(series.lines[0].y, expected.map((p) => p.value));
  const runIds = new Set(model.runs.map((r) => r.id));
  assert.ok(series.lines[0].run.every((id) => runIds.has(id)));
  assert.equal(model.from, Date.parse((await fixture.store.builds({ limit: 1, offset: 19 }))[0].build.timestamp), '"all" starts at the first run');
});

test('run: every metric of one run, failures with their message; an unknown run is a clear error', async () => {
  const [newest] = await fixture.store.builds({ branch: 'feature/faster', limit: 1 });
  const detail = await backend.run(newest.build.id, newest.build.commitSha);
  assert.equal(detail.build.id, newest.build.id);
  assert.equal(detail.outcomes.length, 7);
  const loc = detail.outcomes.find((o) => o.metric.id === 'loc')!;
  assert.equal(loc.status, 'failed');
  await assert.rejects(backend.run(99_999, newest.build.commitSha), /run 99999 of commit [0-9a-f]{10} is not in the store/);
});

test('overview: a dirty run of the baseline commit is measured against the clean baseline run, not against itself', async () => {
  const [baseline] = await fixture.store.builds({ branch: 'main', dirty: false, limit: 1 });
  const { build } = await fixture.store.recordBuild({
    build: { ...baseline.build, runId: 'dirty-on-baseline', runNumber: undefined, event: 'save', dirty: true, timestamp: new Date(fixture.now + 60_000).toISOString() },
    definitions: [],
    results: [{ metric: 'coverage', status: 'ok', value: 99, durationMs: 1 }],
  });
  assert.equal(build.commitSha, baseline.build.commitSha);
  const onMain = new ReportBackend({ ...fixture.source, currentBranch: async () => 'main' });
  const tile = (await onMain.overview()).tiles.find((t) => t.metric.id === 'coverage')!;
  const base = baseline.outcomes.find((o) => o.metric === 'coverage')!.value as number;
  assert.equal(tile.value, 99);
  assert.equal(tile.baseline, base);
  assert.equal(tile.change.delta, 99 - base);
  assert.equal(tile.change.direction, 'better');
});

test('overview: with the folder and its config, the baseline is findBaseline\'s run, with its explanation', async () => {
  const { execFileSync } = await import('node:child_process');
  const { writeFileSync } = await import('node:fs');
  const path = await import('node:path');
  const { findBaseline } = await import('../../../src/core/analysis');
  const { openStore } = await import('../../../src/core/store');
  const repo = path.join(fixture.dir, 'repo');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf8' }).trim();
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(path.join(repo, 'a.txt'), '1');
  git('add', '.');
  git('commit', '-qm', 'one');
  const mainSha = git('rev-parse', 'HEAD');
  git('checkout', '-qb', 'feature');
  writeFileSync(path.join(repo, 'a.txt'), '2');
  git('commit', '-qam', 'two');
  const featureSha = git('rev-parse', 'HEAD');
  const store = await openStore(path.join(repo, '..', 'baseline.db'));
  try {
    const definitions = [{ id: 'size', type: 'numeric' as const, unit: 'bytes' as const, direction: 'lower-is-better' as const }];
    const record = (commitSha: string, branch: string, value: number, hour: number) =>
      store.recordBuild({ build: { commitSha, branch, runId: `${branch}-${hour}`, event: 'manual', timestamp: new Date(Date.UTC(2026, 0, 1, hour)).toISOString(), dirty: false }, definitions, results: [{ metric: 'size', status: 'ok', value, durationMs: 1 }] });
    await record(mainSha, 'main', 100, 1);
    await record(featureSha, 'feature', 90, 2);
    const config = { metrics: {}, baseline: { referenceBranch: 'main', maxAgeDays: 3650 } };
    const source = { store, folderName: 'repo', cwd: repo, config, currentBranch: async () => 'feature', referenceBranch: async () => 'main' };
    const overview = await new ReportBackend(source).overview();
    const expected = await findBaseline({ cwd: repo, store, config, headBranch: 'feature' });
    assert.ok(expected);
    assert.equal(overview.baseline.build?.id, expected.build.id);
    assert.equal(overview.baseline.explanation, expected.explanation);
    const tile = overview.tiles.find((t) => t.metric.id === 'size')!;
    assert.deepEqual([tile.baseline, tile.value, tile.change.delta, tile.change.direction], [100, 90, -10, 'better']);
  } finally {
    await store.close();
  }
});

test('metrics appear in the order tidemark.json lists them; ones it no longer lists follow by name', async () => {
  const ids = (await fixture.store.definitions()).map((d) => d.id);
  assert.ok(ids.length >= 4);
  const listed = [...ids].sort().reverse().slice(0, 3); // an order that is neither the store's nor by name
  const metrics = Object.fromEntries(listed.map((id) => [id, { type: 'numeric', command: 'true' }]));
  const ordered = new ReportBackend({ ...fixture.source, config: { metrics } as never });
  const meta = await ordered.meta();
  const shown = meta.metrics.map((m) => m.id);
  assert.deepEqual(shown.slice(0, 3), listed);
  const rest = shown.slice(3);
  assert.deepEqual(rest, [...rest].sort((a, b) => {
    const name = (id: string) => meta.metrics.find((m) => m.id === id)!.name ?? id;
    return name(a).localeCompare(name(b));
  }));
  const tiles = (await ordered.overview()).tiles.map((t) => t.metric.id);
  assert.deepEqual(tiles.slice(0, 3), listed);
});
