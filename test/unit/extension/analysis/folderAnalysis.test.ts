// What the views get from a real evaluation: a real git repository and a real store (sql.js on
// disk), the analysis engine's evaluate(), then folderAnalysis.ts and the view model as the tree uses them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../../../src/core/analysis/evaluate';
import { folderAnalysis, headLatest } from '../../../../src/extension/analysis/folderAnalysis';
import type { FolderModel } from '../../../../src/extension/folders/services';
import { buildMetricView } from '../../../../src/extension/views/tree/viewModel';
import { configWith, NOW, Repo } from '../../analysis/history';

async function withRepo(body: (repo: Repo) => Promise<void>): Promise<void> {
  const repo = await Repo.create();
  try {
    await body(repo);
  } finally {
    await repo.close();
  }
}

/** The two things folderAnalysis asks of the extension: the folder's evaluation and the reference branch. */
async function analyse(repo: Repo, config: ReturnType<typeof configWith>) {
  const evaluation = await evaluate({ cwd: repo.dir, store: repo.store, config, now: NOW });
  const model = { referenceBranch: async () => 'main' } as unknown as FolderModel;
  return folderAnalysis({ evaluation }, model, repo.store);
}

test('a feature branch: delta against the merge-base run, the rule fails, and a newer baseline run does not hide HEAD', () =>
  withRepo(async (repo) => {
    const config = configWith({ size: { thresholds: { maxIncreasePercent: 5 } } });
    const a = repo.commit('a');
    await repo.record(a, 'main', { size: 100 });
    const b = repo.commit('b');
    await repo.record(b, 'main', { size: 110 });
    repo.git('checkout', '-q', '-b', 'feature');
    const f = repo.commit('f');
    await repo.record(f, 'feature', { size: 121 });

    const analysis = await analyse(repo, config);
    const baseline = analysis.baselines.get('size');
    assert.equal(baseline?.value, 110);
    assert.equal(baseline?.build.commitSha, b);
    assert.equal(baseline?.reason, 'merge-base of HEAD and main');
    assert.equal(analysis.judgements.get('size')?.status, 'fail');

    // Measure Baseline Now records the merge-base again, newer than HEAD's run.
    await repo.record(b, 'main', { size: 111 }, { event: 'manual' });
    assert.equal((await repo.store.latest()).find((l) => l.metric === 'size')?.value, 111);
    const latest = (await headLatest(repo.store, f)).find((l) => l.metric === 'size');
    assert.equal(latest?.value, 121);

    const view = buildMetricView({ id: 'size', config: config.metrics.size, latest, baseline, judgement: analysis.judgements.get('size'), headSha: f, configChangedAt: null, now: NOW });
    assert.equal(view.status, 'ok');
    assert.deepEqual(view.icon, { id: 'error', color: 'list.errorForeground' });
    assert.match(view.description, /▲ 10\.0%$/);
    assert.match(view.accessibilityLabel, /fails a threshold$/);
  }));

test('the first run on the reference branch: no baseline by the rules, so the delta uses the latest clean run and says why', () =>
  withRepo(async (repo) => {
    const config = configWith({ size: {} });
    const a = repo.commit('a');
    await repo.record(a, 'main', { size: 100 });
    const analysis = await analyse(repo, config);
    const baseline = analysis.baselines.get('size');
    assert.equal(baseline?.value, 100);
    assert.match(baseline?.reason ?? '', /^latest clean run of main, because the baseline rules found none \(no baseline: .+\)$/);
    // No rules, no judgement: the tree keeps its look.
    assert.equal(analysis.judgements.size, 0);
  }));
