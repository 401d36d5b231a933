// One status language: the same metric reads the same in the tree's view model, an Overview
// tile, a Compare row and `tidemark check --json` — judged on a real git repository and a real
// store, with the tree's own analysis path (evaluate → folderAnalysis → buildMetricView).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluate } from '../../../src/core/analysis/evaluate';
import { changePhrase, type Change, type Judgement } from '../../../src/core/analysis/vocabulary';
import { parseConfig } from '../../../src/core/config';
import { ReportBackend } from '../../../src/core/report/backend';
import { openStore } from '../../../src/core/store';
import type { MetricDefinition, TidemarkConfig } from '../../../src/core/types';
import { folderAnalysis, headLatest } from '../../../src/extension/analysis/folderAnalysis';
import type { FolderModel } from '../../../src/extension/folders/services';
import { buildMetricView } from '../../../src/extension/views/tree/viewModel';
import { Repo } from '../analysis/history';
import { tidemarkInProcess } from '../cli/inProcess';

const CONFIG = `{
  "baseline": { "referenceBranch": "main", "maxAgeDays": 3650 },
  "metrics": {
    "bundle-size": { "type": "numeric", "command": "true", "unit": "bytes", "direction": "lower-is-better",
      "thresholds": { "maxIncreasePercent": { "value": 10, "severity": "warn" } } },
    "build-time": { "type": "numeric", "command": "true", "unit": "duration", "direction": "lower-is-better",
      "thresholds": { "test": "z-score", "minSamples": 3 } },
    "coverage": { "type": "numeric", "command": "true", "unit": "percent", "direction": "higher-is-better" }
  }
}`;

const DEFINITIONS: MetricDefinition[] = [
  { id: 'bundle-size', type: 'numeric', unit: 'bytes', direction: 'lower-is-better', name: null, description: null },
  { id: 'build-time', type: 'numeric', unit: 'duration', direction: 'lower-is-better', name: null, description: null },
  { id: 'coverage', type: 'numeric', unit: 'percent', direction: 'higher-is-better', name: null, description: null },
];

interface Reading {
  direction: Change['direction'];
  /** The change as the surface prints it (the vocabulary's phrase and rounding). */
  text: string;
  judgement: Judgement;
}

test('the same metric reads the same in the tree, an Overview tile, a Compare row and check --json', async () => {
  const repo = await Repo.create();
  try {
    fs.writeFileSync(path.join(repo.dir, 'tidemark.json'), CONFIG);
    const parsed = parseConfig(CONFIG);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    const config: TidemarkConfig = parsed.config;
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const record = async (sha: string, branch: string, values: Record<string, number>, h: number) => {
      const outcome = await repo.store.recordBuild({
        build: { commitSha: sha, branch, runId: `run-${sha.slice(0, 7)}`, event: 'ci', timestamp: hoursAgo(h), dirty: false },
        definitions: DEFINITIONS,
        results: Object.entries(values).map(([metric, value]) => ({ metric, status: 'ok', value, durationMs: 1 })),
      });
      assert.deepEqual(outcome.rejected, []);
    };
    // main: a build time that wobbles by a few ms around a second.
    const times = [1000, 1010, 990, 1005, 995, 1000];
    for (const [i, t] of times.entries()) await record(repo.commit(`main-${i}`), 'main', { 'bundle-size': 200_000 + i * 2_000, 'build-time': t, coverage: 80 }, 20 - i);
    repo.git('checkout', '-q', '-b', 'feature');
    const head = repo.commit('feature');
    // +43 % bundle (warns), +0.1 % build time (noise), −1.3 coverage points (worse, no threshold).
    await record(head, 'feature', { 'bundle-size': 300_000, 'build-time': 1001, coverage: 78.7 }, 1);
    await repo.store.close();

    // check --json, as CI runs it.
    const cli = await tidemarkInProcess(repo.dir, ['check', '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    const report = JSON.parse(cli.stdout) as { compared: string; metrics: { metric: string; change: Change & { text: string }; judgement: { status: Judgement } }[] };
    assert.match(report.compared, /^[0-9a-f]{7} on feature against main$/);
    const check = new Map(report.metrics.map((m) => [m.metric, { direction: m.change.direction, text: m.change.text, judgement: m.judgement.status }]));

    repo.store = await openStore(path.join(repo.dir, '.tidemark', 'tidemark.db'));
    // The tree: the extension's analysis of HEAD and its view model.
    const evaluation = await evaluate({ cwd: repo.dir, store: repo.store, config });
    const analysis = await folderAnalysis({ evaluation }, { referenceBranch: async () => 'main' } as unknown as FolderModel, repo.store);
    const latest = await headLatest(repo.store, head);
    const tree = new Map<string, Reading>();
    for (const d of DEFINITIONS) {
      const judgement = analysis.judgements.get(d.id);
      const view = buildMetricView({ id: d.id, config: config.metrics[d.id], latest: latest.find((l) => l.metric === d.id), baseline: analysis.baselines.get(d.id), judgement, headSha: head, configChangedAt: null, now: new Date() });
      assert.equal(view.status, 'ok');
      tree.set(d.id, { direction: view.change.direction, text: changePhrase(view.change, d.unit), judgement: judgement?.status ?? 'unknown' });
    }

    // The report: the Overview of the current branch and Compare main → feature.
    const backend = new ReportBackend({ store: repo.store, folderName: 'repo', cwd: repo.dir, config, currentBranch: async () => 'feature', referenceBranch: async () => 'main' });
    const overview = await backend.overview();
    const compare = await backend.compare('main', 'feature');
    const tile = new Map(overview.tiles.map((t) => [t.metric.id, { direction: t.change?.direction, text: t.change && changePhrase(t.change, t.metric.unit), judgement: t.judgement?.status ?? 'unknown' }]));
    const row = new Map(compare.rows.map((r) => [r.metric.id, { direction: r.change?.direction, text: r.change && changePhrase(r.change, r.metric.unit), judgement: r.check?.status ?? 'unknown' }]));

    const expected: Record<string, Reading> = {
      'bundle-size': { direction: 'worse', text: '+90 kB (+42.9%), worse', judgement: 'warn' },
      'build-time': { direction: 'unchanged', text: 'unchanged', judgement: 'pass' },
      coverage: { direction: 'worse', text: '−1.3 pp, worse', judgement: 'unknown' },
    };
    for (const [id, want] of Object.entries(expected)) {
      assert.deepEqual(check.get(id), want, `check --json: ${id}`);
      assert.deepEqual(tree.get(id), want, `tree: ${id}`);
      assert.deepEqual(tile.get(id), want, `Overview tile: ${id}`);
      assert.deepEqual(row.get(id), want, `Compare row: ${id}`);
    }
  } finally {
    await repo.close();
  }
});
