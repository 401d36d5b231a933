// One status language: the same metric reads the same in the tree's view model, an Overview
// tile, a Compare row and `tidemark check --json` — judged on a real git repository and a real
// store, with the tree's own analysis path (evaluate → folderAnalysis → buildMetricView).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { evaluate } from '../../../src/core/analysis/evaluate';
import { changePhrase, type Change, type Judgement } from '../../../src/core/analysis/vocabulary';
import { ReportBackend } from '../../../src/core/report/backend';
import { openStore } from '../../../src/core/store';
import { folderAnalysis, headLatest } from '../../../src/extension/analysis/folderAnalysis';
import type { FolderModel } from '../../../src/extension/folders/services';
import { buildMetricView } from '../../../src/extension/views/tree/viewModel';
import { recordStatusSample } from '../../fixtures/statusSample';
import { Repo } from '../analysis/history';
import { tidemarkInProcess } from '../cli/inProcess';

interface Reading {
  direction: Change['direction'];
  /** The change as the surface prints it (the vocabulary's phrase and rounding). */
  text: string;
  judgement: Judgement;
}

test('the same metric reads the same in the tree, an Overview tile, a Compare row and check --json', async () => {
  const repo = await Repo.create();
  try {
    const { config, head, definitions } = await recordStatusSample(repo);
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
    for (const d of definitions) {
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
