import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runChecks, worstStatus } from '../../../../src/core/analysis/checks';
import type { LatestMetric } from '../../../../src/core/store/api';
import type { BuildRecord, MetricConfig, ThresholdsConfig } from '../../../../src/core/types';
import { buildStatusBarView } from '../../../../src/extension/views/statusBar/statusBarModel';
import { buildMetricView, type BaselineValue, type MetricViewInput } from '../../../../src/extension/views/tree/viewModel';
import { metricKeyRange } from '../../../../src/extension/diagnostics/metricKeyRange';
import { problemEntry, type MetricJudgement } from '../../../../src/extension/views/judgement';

const HEAD = 'a'.repeat(40);
const now = new Date('2026-11-24T12:00:00Z');
const headBuild: BuildRecord = { id: 9, commitSha: HEAD, branch: 'feature', runId: 'r9', runNumber: 9, event: 'manual', timestamp: '2026-11-24T11:50:00Z', dirty: false };
const mainBuild: BuildRecord = { ...headBuild, id: 4, commitSha: 'b'.repeat(40), branch: 'main', runNumber: 4, timestamp: '2026-11-23T09:00:00Z' };
const bundle: MetricConfig = { type: 'numeric', command: 'du -sb dist', unit: 'bytes', direction: 'lower-is-better', timeout: 60000, onSave: false };
const baseline: BaselineValue = {
  value: 100_000,
  build: mainBuild,
  referenceBranch: 'main',
  reason: 'merge-base of HEAD and main',
};

function latest(value: number): LatestMetric {
  return {
    metric: 'bundle-size',
    value,
    valueBuild: headBuild,
    lastOutcome: { metric: 'bundle-size', status: 'ok', value, durationMs: 40, message: null },
    lastOutcomeBuild: headBuild,
  };
}

/** The judgement the analysis engine's own rules give for `value` against the baseline. */
function judgementOf(value: number, thresholds: ThresholdsConfig, metric = 'bundle-size'): MetricJudgement {
  const checks = runChecks({
    metric,
    unit: 'bytes',
    direction: 'lower-is-better',
    thresholds,
    value,
    baseline: { value: baseline.value as number, label: 'baseline bbbbbbb = merge-base' },
    samples: [],
    referenceBranch: 'main',
  });
  return { status: worstStatus(checks.map((c) => c.status)), checks };
}

function input(value: number, v: MetricJudgement | undefined): MetricViewInput {
  return { id: 'bundle-size', config: bundle, latest: latest(value), baseline, judgement: v, headSha: HEAD, configChangedAt: null, now };
}

const failRule: ThresholdsConfig = { maxIncreasePercent: { value: 5, severity: 'fail' } };
const warnRule: ThresholdsConfig = { maxIncreasePercent: { value: 5, severity: 'warn' } };

test('a failing rule turns the tree item red with the error icon, says "fails a threshold" to screen readers and explains the rule in the tooltip', () => {
  const view = buildMetricView(input(112_000, judgementOf(112_000, failRule)));
  assert.deepEqual(view.icon, { id: 'error', color: 'list.errorForeground' });
  // The description stays short for a default-width sidebar: the icon carries the alarm.
  assert.equal(view.description, '112 kB ▲ 12.0%');
  assert.match(view.accessibilityLabel, /, fails a threshold$/);
  assert.match(view.tooltip, /\*\*Fails a threshold:\*\*/);
  assert.equal(view.tooltip.split('\n')[0], '**`bundle-size`**');
  // The explanation is the engine's own sentence, escaped for markdown.
  const explanation = judgementOf(112_000, failRule).checks[0].explanation;
  assert.match(explanation, /5%/);
  assert.ok(view.tooltip.includes(explanation.replace(/[\\`*_{}[\]()#+\-.!|<>~$&]/g, (c) => `\\${c}`)), view.tooltip);
  // One sentence names the baseline run once, then why it is the one.
  assert.ok(view.tooltip.includes('Baseline: 100 kB from run #4 on `main` @ bbbbbbb (2026-11-23 09:00 UTC), the merge\\-base of HEAD and main.'), view.tooltip);
});

test('a warning rule shows the warning icon in yellow; a passing rule keeps the look of a metric without rules', () => {
  const warned = buildMetricView(input(112_000, judgementOf(112_000, warnRule)));
  assert.deepEqual(warned.icon, { id: 'warning', color: 'list.warningForeground' });
  assert.equal(warned.description, '112 kB ▲ 12.0%');
  assert.match(warned.accessibilityLabel, /, warns on a threshold$/);

  const passing = buildMetricView(input(103_000, judgementOf(103_000, failRule)));
  const noRules = buildMetricView(input(103_000, undefined));
  assert.deepEqual(passing.icon, noRules.icon, 'a change is shown by its arrow either way');
  assert.equal(passing.description, noRules.description);
  assert.match(passing.tooltip, /Within its threshold\./);
});

test('a judgement does not colour a value that is stale (measured at another commit)', () => {
  const stale = { ...input(112_000, judgementOf(112_000, failRule)), headSha: 'c'.repeat(40) };
  const view = buildMetricView(stale);
  assert.equal(view.status, 'stale');
  assert.notEqual(view.icon.id, 'error');
  assert.doesNotMatch(view.tooltip, /threshold/i);
});

test('status bar: error background on fail, warning background on warn, none when the rules pass or there are none, even if it grew', () => {
  const failed = buildStatusBarView(input(112_000, judgementOf(112_000, failRule)), false);
  assert.equal(failed.backgroundColor, 'statusBarItem.errorBackground');
  // High-contrast themes have no error background: the icon says it there.
  assert.match(failed.text, /^\$\(error\) bundle-size /);
  assert.match(failed.tooltip, /\*\*Fails a threshold:\*\*/);
  assert.match(failed.tooltip, /bbbbbbb \(2026-11-23 09:00 UTC\), the merge\\-base of HEAD and main\./);
  assert.match(failed.tooltip, /The error icon and background mean a threshold fails\./);
  assert.match(failed.accessibilityLabel, /fails a threshold/);
  const warned = buildStatusBarView(input(112_000, judgementOf(112_000, warnRule)), false);
  assert.equal(warned.backgroundColor, 'statusBarItem.warningBackground');
  assert.match(warned.text, /^\$\(warning\) bundle-size /);
  assert.match(warned.tooltip, /The warning icon and background mean a threshold warns\./);
  const passing = buildStatusBarView(input(103_000, judgementOf(103_000, failRule)), false);
  assert.equal(passing.backgroundColor, undefined);
  assert.match(passing.text, /^\$\(graph\) bundle-size /);
  assert.match(passing.tooltip, /The item is marked only when a threshold warns or fails\./);
  // A worse change with no threshold is news, not an error.
  assert.equal(buildStatusBarView(input(103_000, undefined), false).backgroundColor, undefined);
});

test('explanations from user data cannot format the tooltip or expand icons', () => {
  const v: MetricJudgement = { status: 'fail', checks: [{ rule: 'max', status: 'fail', explanation: '**big** $(bug) [x](command:evil) <img>' }] };
  const view = buildMetricView(input(112_000, v));
  assert.ok(view.tooltip.includes('\\*\\*big\\*\\* \\$\\(bug\\) \\[x\\]\\(command:evil\\) \\<img\\>'), view.tooltip);
  assert.doesNotMatch(view.tooltip, /\[x\]\(command/);
});

test('the Problems message lists failing rules before warnings, one per line, and skips passing ones', () => {
  const v: MetricJudgement = {
    status: 'fail',
    checks: [
      { rule: 'max', status: 'warn', explanation: 'w' },
      { rule: 'min', status: 'pass', explanation: 'p' },
      { rule: 'maxIncreasePercent', status: 'fail', explanation: 'f' },
    ],
  };
  assert.equal(problemEntry(v).message, 'f.\nw.');
});

test('metricKeyRange finds the key of metrics.<id> (comments, CRLF, same name elsewhere, escaped key)', () => {
  const text = [
    '{',
    '  // bundle-size is watched',
    '  "baseline": { "bundle-size": 1 },',
    '  "metrics": {',
    '    "loc": { "type": "numeric", "command": "x" },',
    '    "bundle-size": {',
    '      "type": "numeric", "command": "du", "thresholds": { "maxIncreasePercent": 5 },',
    '    },',
    '    "a\\"b": { "type": "label", "command": "y" }',
    '  }',
    '}',
  ];
  const lf = metricKeyRange(text.join('\n'), 'bundle-size');
  assert.deepEqual(lf && { start: lf.start, end: lf.end }, { start: { line: 5, character: 4 }, end: { line: 5, character: 17 } });
  assert.equal(text.join('\n').slice(lf!.offset, lf!.offset + lf!.length), '"bundle-size"');
  const crlf = metricKeyRange(text.join('\r\n'), 'bundle-size');
  assert.deepEqual(crlf && { start: crlf.start, end: crlf.end }, { start: { line: 5, character: 4 }, end: { line: 5, character: 17 } });
  const escaped = metricKeyRange(text.join('\n'), 'a"b');
  assert.deepEqual(escaped?.start, { line: 8, character: 4 });
  assert.equal(metricKeyRange(text.join('\n'), 'gone'), undefined);
  assert.equal(metricKeyRange('{ "metrics": ', 'loc'), undefined);
});

test('a Problems entry is the rules\' sentences without the baseline, which comes apart (one row at the default width)', () => {
  const v = judgementOf(112_000, failRule);
  const entry = problemEntry(v);
  assert.match(v.checks[0].explanation, /\(baseline bbbbbbb = merge-base\)$/);
  assert.equal(entry.message, `${v.checks[0].explanation.replace(/ \(baseline bbbbbbb = merge-base\)$/, '')}.`);
  assert.deepEqual(entry.baselines, ['baseline bbbbbbb = merge-base']);
  assert.ok(entry.message.length <= 70, `${entry.message} is ${entry.message.length} characters`);
  // An explanation without a baseline note is kept whole.
  assert.deepEqual(problemEntry({ status: 'warn', checks: [{ rule: 'max', status: 'warn', explanation: 'x is above 5' }] }), { message: 'x is above 5.', baselines: [] });
});
