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
  const compared = (await fixture.store.compare(baseline.build.commitSha, 'feature/faster')).metrics.find((m) => m.metric === 'coverage')!;
  assert.equal(byId.get('coverage')!.delta, compared.delta);
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
