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
  assert.equal(view.backgroundColor, undefined, 'no threshold: a worse change is not painted');
  assert.match(view.accessibilityLabel, /^Tidemark bundle-size, 1\.21 MB, \+27\.2 kB \(\+2\.3%\) against the baseline, worse$/);
  assert.ok(view.tooltip.includes('Baseline: 1\\.18 MB from run #3 on `main`'), view.tooltip);
});

test('spinner while running; a failed collection is said in words, not with a threshold\'s colour', () => {
  const better = buildStatusBarView({ id: 'bundle-size', config: bundle, latest: latest(1_000_000), baseline: base, headSha: HEAD, configChangedAt: null, now }, true);
  assert.equal(better.text, '$(sync~spin) bundle-size 1 MB ▼ 15.5%');
  assert.equal(better.backgroundColor, undefined);
  const failed = buildStatusBarView({ id: 'bundle-size', config: bundle, latest: latest(null, 'failed'), baseline: undefined, headSha: HEAD, configChangedAt: null, now }, false);
  assert.equal(failed.text, '$(graph) bundle-size failed');
  assert.equal(failed.backgroundColor, undefined);
  const failedWithValue = buildStatusBarView({ id: 'bundle-size', config: bundle, latest: { ...latest(null, 'failed'), value: 1_000_000, valueBuild: b }, baseline: base, headSha: HEAD, configChangedAt: null, now }, false);
  assert.equal(failedWithValue.text, '$(graph) bundle-size 1 MB ▼ 15.5% $(error) failed');
  assert.match(failedWithValue.tooltip, /: failed in 10 ms/);
});

test('an icon-like metric id is not expanded in the status bar', () => {
  const view = buildStatusBarView({ id: '$(bug)size', config: bundle, latest: undefined, baseline: undefined, headSha: null, configChangedAt: null, now }, false);
  assert.equal(view.text, '$(graph) \\$(bug)size never ran');
});

test('the pinned metric defaults to one a user cares about (thresholds, a direction, not a timing) and falls back when the setting names a removed metric', () => {
  const plain: MetricConfig = { type: 'numeric', command: 'x', unit: 'integer', timeout: 1, onSave: false };
  const config: TidemarkConfig = {
    metrics: {
      node: { type: 'label', command: 'node -v', timeout: 1, onSave: false },
      'build-time': { ...plain, unit: 'duration', direction: 'lower-is-better', thresholds: { maxIncreasePercent: 50 } },
      loc: { ...plain },
      size: { ...bundle },
      coverage: { ...plain, unit: 'percent', direction: 'higher-is-better', thresholds: { min: 80 } },
    },
    baseline: { maxAgeDays: 90 },
  };
  assert.equal(defaultPinnedMetric(config), 'coverage', 'thresholds and a direction, not a timing');
  const { coverage: _c, ...noCoverage } = config.metrics;
  assert.equal(defaultPinnedMetric({ ...config, metrics: noCoverage }), 'build-time', 'thresholds beat a direction alone');
  const { 'build-time': _b, ...directionOnly } = noCoverage;
  assert.equal(defaultPinnedMetric({ ...config, metrics: directionOnly }), 'size', 'a direction beats a plain count');
  assert.equal(defaultPinnedMetric({ ...config, metrics: { loc: plain, t: { ...plain, unit: 'duration' } } }), 'loc', 'a plain count beats a plain timing');
  assert.equal(resolvePinnedMetric(config, 'size'), 'size');
  assert.equal(resolvePinnedMetric(config, 'gone'), 'coverage');
  assert.equal(defaultPinnedMetric({ metrics: {}, baseline: { maxAgeDays: 1 } }), undefined);
});

test('the tooltip says when the last run was as a sentence: "Last run just now", "Last run 5 minutes ago", never "Last run now"', () => {
  const at = (secondsAgo: number) => {
    const run = { ...b, timestamp: new Date(now.getTime() - secondsAgo * 1000).toISOString() };
    const fresh: LatestMetric = { ...latest(1_210_000), valueBuild: run, lastOutcomeBuild: run };
    return buildStatusBarView({ id: 'bundle-size', config: bundle, latest: fresh, baseline: base, headSha: HEAD, configChangedAt: null, now }, false).tooltip;
  };
  const justNow = at(10);
  assert.match(justNow, /Last run just now \(2026-11-24 11:59 UTC\): ran ok/);
  assert.doesNotMatch(justNow, /Last run now\b/);
  assert.match(at(0), /Last run just now \(/);
  assert.match(at(5 * 60), /Last run 5 minutes ago \(2026-11-24 11:55 UTC\)/);
  assert.match(at(50), /Last run 1 minute ago \(/);
});
