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
  assert.deepEqual(overview.summary, { runs: 20, branches: 3, lastRun: overview.summary.lastRun, ok: 5, partial: 1, never: 1 });
  const [baseline] = await fixture.store.builds({ branch: 'main', dirty: false, limit: 1 });
  assert.equal(overview.baseline.build?.id, baseline.build.id);
  const base = baseline.outcomes.find((o) => o.metric === 'coverage')!.value as number;
  const head = (await fixture.store.latest({ ref: 'feature/faster' })).find((l) => l.metric === 'coverage')!.value as number;
  assert.equal(byId.get('coverage')!.baseline, base);
  assert.equal(byId.get('coverage')!.delta, head - base);
  assert.equal(byId.get('coverage')!.verdict, head > base ? 'better' : head < base ? 'worse' : 'same');
  assert.ok(byId.get('coverage')!.sparkline.length > 1);
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
  assert.equal(tile.delta, 99 - base);
  assert.equal(tile.verdict, 'better');
});
