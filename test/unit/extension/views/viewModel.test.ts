import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LatestMetric } from '../../../../src/core/store/api';
import type { BuildRecord, MetricConfig } from '../../../../src/core/types';
import { buildMetricView, buildRunView, metricStatus, type MetricViewInput } from '../../../../src/extension/views/tree/viewModel';

const HEAD = 'a'.repeat(40);
const now = new Date('2026-11-24T12:00:00Z');

function build(over: Partial<BuildRecord> = {}): BuildRecord {
  return { id: 1, commitSha: HEAD, branch: 'feature', runId: 'r1', runNumber: 7, event: 'manual', timestamp: '2026-11-24T11:50:00Z', dirty: false, ...over };
}

const bundle: MetricConfig = { type: 'numeric', command: 'du -sb dist', unit: 'bytes', direction: 'lower-is-better', timeout: 60000, onSave: false };

function latest(value: number | string | null, over: Partial<LatestMetric> = {}, status: 'ok' | 'failed' = 'ok'): LatestMetric {
  const b = build();
  return {
    metric: 'bundle-size',
    value,
    valueBuild: value === null ? null : b,
    lastOutcome: { metric: 'bundle-size', status, value: status === 'ok' ? value : null, durationMs: 1200, message: status === 'ok' ? null : 'exit 1\nnpm ERR! *boom* [link](http://x)' },
    lastOutcomeBuild: b,
    ...over,
  };
}

function input(over: Partial<MetricViewInput>): MetricViewInput {
  return { id: 'bundle-size', config: bundle, latest: undefined, baseline: undefined, headSha: HEAD, configChangedAt: null, now, ...over };
}

const mainBuild = build({ id: 2, branch: 'main', commitSha: 'b'.repeat(40), runNumber: 5 });

test('a metric that grew against the baseline shows its value, an up arrow and the relative change; with no threshold it is not painted as an error', () => {
  const view = buildMetricView(input({ latest: latest(1_210_000), baseline: { value: 1_182_796, build: mainBuild, referenceBranch: 'main' } }));
  assert.equal(view.label, 'bundle-size');
  assert.equal(view.description, '1.21 MB ▲ 2.3%');
  assert.equal(view.status, 'ok');
  assert.equal(view.change.direction, 'worse');
  assert.deepEqual(view.icon, { id: 'arrow-up' });
  assert.ok(view.tooltip.includes('Now **1\\.21 MB**, \\+27\\.2 kB \\(\\+2\\.3%\\) against the baseline, worse.'), view.tooltip);
  assert.equal(view.contextValue, 'metric.numeric');
});

test('a percentage changes in percentage points; a rise is green when higher is better', () => {
  const coverage: MetricConfig = { ...bundle, unit: 'percent', direction: 'higher-is-better' };
  const view = buildMetricView(input({ config: coverage, latest: latest(80), baseline: { value: 85, build: mainBuild, referenceBranch: 'main' } }));
  assert.equal(view.description, '80% ▼ 5.0 pp');
  assert.deepEqual(view.icon, { id: 'arrow-down' });
  const up = buildMetricView(input({ config: coverage, latest: latest(90), baseline: { value: 85, build: mainBuild, referenceBranch: 'main' } }));
  assert.deepEqual(up.icon, { id: 'arrow-up', color: 'charts.green' });
  assert.equal(up.change.direction, 'better');
});

test('no baseline: only the value, an icon that says it ran, and a tooltip that says what a baseline needs', () => {
  const view = buildMetricView(input({ latest: latest(2048) }));
  assert.equal(view.description, '2.05 kB');
  assert.deepEqual(view.icon, { id: 'circle-filled', color: 'testing.iconPassed' });
  assert.match(view.tooltip, /No baseline yet: once the reference branch has a run without uncommitted changes/);
  assert.doesNotMatch(view.tooltip, /no clean run|against no baseline|\(unknown\)/);
});

test('a failed last attempt keeps the previous value but says failed, with the error tail in a code block', () => {
  const failed = latest(1000, {}, 'failed');
  const view = buildMetricView(input({ latest: { ...failed, value: 1000, valueBuild: build({ runNumber: 6 }) } }));
  assert.equal(view.status, 'failed');
  assert.equal(view.description, '1 kB · failed');
  assert.deepEqual(view.icon, { id: 'error', color: 'testing.iconFailed' });
  assert.match(view.tooltip, /```text\nexit 1\nnpm ERR! \*boom\* \[link\]\(http:\/\/x\)\n```/);
});

test('the tooltip gives the run duration only when the store has it', () => {
  assert.match(buildMetricView(input({ latest: latest(5) })).tooltip, /ran ok in 1\.2 s, manual run #7/);
  const l = latest(5);
  const noDuration = buildMetricView(input({ latest: { ...l, lastOutcome: { ...l.lastOutcome!, durationMs: null } } }));
  assert.doesNotMatch(noDuration.tooltip, / in \d/);
  assert.match(noDuration.tooltip, /Last run 10 minutes ago \(.*\): ran ok, manual run #7/);
});

test('never run, and stale after a config change or a new HEAD', () => {
  assert.equal(buildMetricView(input({})).status, 'never-run');
  assert.equal(buildMetricView(input({})).description, 'never ran');
  assert.equal(metricStatus({ latest: latest(1), headSha: 'c'.repeat(40), configChangedAt: null }), 'stale');
  assert.equal(metricStatus({ latest: latest(1), headSha: HEAD, configChangedAt: '2026-11-24T11:55:00Z' }), 'stale');
  assert.equal(metricStatus({ latest: latest(1), headSha: HEAD, configChangedAt: '2026-11-24T11:00:00Z' }), 'ok');
  assert.equal(metricStatus({ latest: latest(1), headSha: '0'.repeat(40), configChangedAt: null }), 'ok');
  const stale = buildMetricView(input({ latest: latest(1), headSha: 'c'.repeat(40) }));
  assert.deepEqual(stale.icon, { id: 'history', color: 'disabledForeground' });
  assert.equal(stale.description, '1 B · outdated');
});

test('user data in the tooltip is escaped: names, descriptions, commands and branches cannot inject markdown', () => {
  const evil: MetricConfig = { ...bundle, name: '[click](command:x) **bold**', description: '<img src=x> $(alert)', command: 'echo `a` | wc' };
  const view = buildMetricView(input({ config: evil, latest: latest(5, { lastOutcomeBuild: build({ branch: 'feat/`x`' }) }) }));
  assert.ok(view.tooltip.includes('\\[click\\]\\(command:x\\) \\*\\*bold\\*\\*'), view.tooltip);
  assert.ok(view.tooltip.includes('\\<img src=x\\> \\$\\(alert\\)'), view.tooltip);
  assert.ok(view.tooltip.includes('``echo `a` | wc``'), view.tooltip);
  assert.ok(view.tooltip.includes('``feat/`x` ``') || view.tooltip.includes('`` feat/`x` ``'), view.tooltip);
  assert.ok(!view.tooltip.includes('](command:'), 'no live link');
});

test('label metrics show the text and whether it changed', () => {
  const version: MetricConfig = { type: 'label', command: 'node -v', timeout: 60000, onSave: false };
  const view = buildMetricView(input({ config: version, latest: latest('v20.1.0'), baseline: { value: 'v18.0.0', build: mainBuild, referenceBranch: 'main' } }));
  assert.equal(view.description, 'v20.1.0 (was v18.0.0)');
  const long = buildMetricView(input({ config: version, latest: latest('ok'), baseline: { value: `$(alert) ${'x'.repeat(40)}`, build: mainBuild, referenceBranch: 'main' } }));
  assert.equal(long.description, `ok (was $(alert) ${'x'.repeat(14)}…)`);
  assert.deepEqual(view.icon, { id: 'diff-modified' }, 'a changed label is neither green nor red');
  const same = buildMetricView(input({ config: version, latest: latest('v20.1.0'), baseline: { value: 'v20.1.0', build: mainBuild, referenceBranch: 'main' } }));
  assert.equal(same.description, 'v20.1.0');
  assert.equal(view.contextValue, 'metric.label');
});

test('a run item: number and value, a short description (age, branch), the rest in sentences in the tooltip', () => {
  const view = buildRunView({ build: build({ event: 'save', dirty: true }), status: 'ok', value: 1_500_000, durationMs: 900, message: null, config: bundle, now });
  assert.equal(view.label, '#7 1.5 MB');
  assert.equal(view.description, '10 minutes ago · feature*');
  assert.equal(view.tooltip, '**Run #7** ran ok in 900 ms: **1\\.5 MB**.\n\nRun on save, on `feature` @ aaaaaaa with uncommitted changes, 2026-11-24 11:50 UTC.');
  const failed = buildRunView({ build: build(), status: 'timeout', value: null, durationMs: 60000, message: 'timed out after 60 s', config: bundle, now });
  assert.equal(failed.label, '#7 timed out');
  assert.deepEqual(failed.icon, { id: 'watch', color: 'testing.iconFailed' });
});

test('the tooltip names the top three files that moved the value since the baseline, escaped', () => {
  const parts = [
    { name: 'dist/chunk-charts.js', base: null, head: 1100, delta: 1100 },
    { name: 'dist/app.js', base: 1000, head: 1100, delta: 100 },
    { name: 'dist/*evil*.js', base: 50, head: 40, delta: -10 },
    { name: 'dist/fourth.js', base: 5, head: 4, delta: -1 },
  ];
  const view = buildMetricView(input({ latest: latest(1_210_000), baseline: { value: 1_182_796, build: mainBuild, referenceBranch: 'main' }, parts }));
  const lines = view.tooltip.split('\n');
  const at = lines.indexOf('Files that moved it:');
  assert.ok(at > 0, view.tooltip);
  assert.deepEqual(lines.slice(at + 2, at + 5), ['- dist/chunk\\-charts\\.js \\+1\\.1 kB \\(new\\)', '- dist/app\\.js \\+100 B', '- dist/\\*evil\\*\\.js \\-10 B']);
  assert.doesNotMatch(view.tooltip, /fourth/);
});

test('a coverage metric whose report has lines gets the coverage gutter toggle; a json-summary one does not', () => {
  const lcov: MetricConfig = { ...bundle, command: '@collect coverage-lcov coverage/lcov.info', unit: 'percent', direction: 'higher-is-better' };
  assert.equal(buildMetricView(input({ config: lcov })).contextValue, 'metric.numeric.coverage');
  const summary: MetricConfig = { ...lcov, command: '@collect coverage-istanbul coverage/coverage-summary.json' };
  assert.equal(buildMetricView(input({ config: summary })).contextValue, 'metric.numeric');
});
