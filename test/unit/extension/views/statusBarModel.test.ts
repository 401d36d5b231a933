import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LatestMetric } from '../../../../src/core/store/api';
import type { BuildRecord, MetricConfig, TidemarkConfig } from '../../../../src/core/types';
import { buildStatusBarView, defaultPinnedMetric, resolvePinnedMetric } from '../../../../src/extension/views/statusBar/statusBarModel';

const HEAD = 'a'.repeat(40);
const now = new Date('2026-11-24T12:00:00Z');
const b: BuildRecord = { id: 1, commitSha: HEAD, branch: 'feature', runId: 'r', runNumber: 3, event: 'save', timestamp: '2026-11-24T11:58:00Z', dirty: true };
const bundle: MetricConfig = { type: 'numeric', command: 'x', unit: 'bytes', direction: 'lower-is-better', timeout: 60000, onSave: true };

function latest(value: number | null, status: 'ok' | 'failed' = 'ok'): LatestMetric {
  return {
    metric: 'bundle-size',
    value,
    valueBuild: value === null ? null : b,
    lastOutcome: { metric: 'bundle-size', status, value: status === 'ok' ? value : null, durationMs: 10, message: status === 'ok' ? null : 'exit 2' },
    lastOutcomeBuild: b,
  };
}

const base = { value: 1_182_796, build: { ...b, branch: 'main', id: 2, dirty: false }, referenceBranch: 'main' };

test('status text: graph icon, metric, value and arrow with the change', () => {
  const view = buildStatusBarView({ id: 'bundle-size', config: bundle, latest: latest(1_210_000), baseline: base, headSha: HEAD, configChangedAt: null, now }, false);
  assert.equal(view.text, '$(graph) bundle-size 1.21 MB ▲ 2.3%');
  assert.equal(view.backgroundColor, 'statusBarItem.warningBackground');
  assert.match(view.accessibilityLabel, /^Tidemark bundle-size, 1\.21 MB, \+27\.2 kB \(\+2\.3%\) against the baseline, worse$/);
  assert.ok(view.tooltip.includes('Baseline on `main`: 1\\.18 MB'), view.tooltip);
});

test('spinner while running; no warning when it improved; error colour when the last run failed', () => {
  const better = buildStatusBarView({ id: 'bundle-size', config: bundle, latest: latest(1_000_000), baseline: base, headSha: HEAD, configChangedAt: null, now }, true);
  assert.equal(better.text, '$(sync~spin) bundle-size 1 MB ▼ 15.5%');
  assert.equal(better.backgroundColor, undefined);
  const failed = buildStatusBarView({ id: 'bundle-size', config: bundle, latest: latest(null, 'failed'), baseline: undefined, headSha: HEAD, configChangedAt: null, now }, false);
  assert.equal(failed.text, '$(graph) bundle-size failed');
  assert.equal(failed.backgroundColor, 'statusBarItem.errorBackground');
});

test('an icon-like metric id is not expanded in the status bar', () => {
  const view = buildStatusBarView({ id: '$(bug)size', config: bundle, latest: undefined, baseline: undefined, headSha: null, configChangedAt: null, now }, false);
  assert.equal(view.text, '$(graph) \\$(bug)size never run');
});

test('the pinned metric defaults to the first numeric one and falls back when the setting names a removed metric', () => {
  const config: TidemarkConfig = {
    metrics: { node: { type: 'label', command: 'node -v', timeout: 1, onSave: false }, loc: { ...bundle }, size: { ...bundle } },
    baseline: { maxAgeDays: 90 },
  };
  assert.equal(defaultPinnedMetric(config), 'loc');
  assert.equal(resolvePinnedMetric(config, 'size'), 'size');
  assert.equal(resolvePinnedMetric(config, 'gone'), 'loc');
  assert.equal(defaultPinnedMetric({ metrics: {}, baseline: { maxAgeDays: 1 } }), undefined);
});
