// The Trends filter by where a run was recorded: this machine's runs, or the team's (git notes).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ReportBackend } from '../../../src/core/report/backend';
import { buildSnapshot } from '../../../src/core/report/snapshot';
import { createFixture, DEFINITIONS, type Fixture } from '../../webview/fixtureStore';

let fixture: Fixture;
let backend: ReportBackend;
const teamValues = [2_000_001, 2_000_002, 2_000_003];

before(async () => {
  fixture = await createFixture({ runs: 8 });
  backend = new ReportBackend(fixture.source);
  const d = DEFINITIONS.find((x) => x.id === 'bundle-size')!;
  const definition = { id: d.id, type: d.type, unit: d.unit ?? null, description: d.description ?? null, direction: d.direction ?? null, name: d.name ?? null };
  const imported = await fixture.store.importShared({
    ref: 'refs/notes/tidemark',
    tip: null,
    runs: teamValues.map((value, i) => ({
      commitSha: String(i + 1).repeat(40),
      branch: 'main',
      runId: `ci-${i}`,
      runNumber: 100 + i,
      event: 'ci' as const,
      timestamp: new Date(Date.UTC(2026, 0, 20 + i)).toISOString(),
      definitions: [definition],
      outcomes: [{ metric: 'bundle-size', status: 'ok' as const, value, durationMs: null, message: null }],
    })),
  });
  assert.equal(imported.imported, 3);
});

after(async () => {
  await fixture.close();
});

async function plotted(origin?: 'all' | 'here' | 'team', axis: 'time' | 'commit' = 'time'): Promise<{ values: number[]; sources: (string | undefined)[] }> {
  const model = await backend.trends({ range: 'all', branches: ['main'], includeDirty: false, width: 4000, metrics: ['bundle-size'], axis, ...(origin && { origin }) });
  const series = model.series[0];
  assert.equal(series.kind, 'numeric');
  if (series.kind !== 'numeric') return { values: [], sources: [] };
  const runs = new Map(model.runs.map((r) => [r.id, r]));
  const ids = series.lines.flatMap((l) => l.run);
  return { values: series.lines.flatMap((l) => l.y as number[]), sources: ids.map((id) => runs.get(id)?.source) };
}

test("Trends 'team' draws only runs pulled from git notes, 'here' only this machine's, and run rows say which", async () => {
  const all = await plotted();
  const team = await plotted('team');
  const here = await plotted('here');
  assert.deepEqual(team.values, teamValues);
  assert.ok(team.sources.every((s) => s === 'notes'));
  assert.ok(here.values.length > 0 && here.values.every((v) => !teamValues.includes(v)));
  assert.ok(here.sources.every((s) => s === undefined), 'a local run carries no source');
  assert.equal(all.values.length, team.values.length + here.values.length);
});

test('the standalone export keeps the source of team runs for the same filter', async () => {
  const snapshot = await buildSnapshot(fixture.source);
  const notes = snapshot.runs.filter((r) => r.source === 'notes');
  assert.equal(notes.length, 3);
});
