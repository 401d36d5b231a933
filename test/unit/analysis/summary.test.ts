import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Evaluation, MetricEvaluation } from '../../../src/core/analysis/evaluate';
import { escapeMarkdown, exitCodeOf, renderMarkdown, renderText, toCheckReport } from '../../../src/core/analysis/summary';
import type { BuildRecord } from '../../../src/core/types';

const baseBuild: BuildRecord = { id: 1, commitSha: '3f2a1c0'.padEnd(40, '0'), branch: 'main', runId: 'r1', runNumber: 1, event: 'ci', timestamp: '2026-05-01T10:00:00.000Z', dirty: false };
const headBuild: BuildRecord = { ...baseBuild, id: 2, commitSha: 'abcdef1'.padEnd(40, '0'), branch: 'feat/<img src=x>|*bold*', runNumber: 2 };

function evaluation(metrics: MetricEvaluation[], counts: Evaluation['counts']): Evaluation {
  return { head: { commitSha: headBuild.commitSha, branch: headBuild.branch, build: headBuild }, referenceBranch: 'main', mergeBase: baseBuild.commitSha, baseline: null, metrics, status: 'fail', counts };
}

const size: MetricEvaluation = {
  metric: 'bundle-size',
  name: 'Bundle | size',
  type: 'numeric',
  unit: 'bytes',
  direction: 'lower-is-better',
  value: 1_310_000,
  build: headBuild,
  baseline: { build: baseBuild, value: 1_200_000, method: 'merge-base', explanation: 'baseline 3f2a1c0 (main, 2026-05-01 10:00 UTC) = merge-base of HEAD and main', reason: 'merge-base of HEAD and main' },
  baselineMissing: null,
  delta: 110_000,
  deltaPercent: 9.1666,
  checks: [
    { rule: 'max', status: 'fail', severity: 'fail', value: 1_310_000, limit: 1_250_000, lower: null, upper: 1_250_000, explanation: 'bundle-size 1.31 MB is above the maximum budget 1.25 MB' },
    { rule: 'maxIncreasePercent', status: 'warn', severity: 'warn', value: 1_310_000, limit: 1_260_000, lower: null, upper: 1_260_000, explanation: 'bundle-size 1.31 MB is +9.2% vs 1.2 MB, beyond the allowed +5% (baseline 3f2a1c0 = merge-base)' },
  ],
  status: 'fail',
  band: { lower: null, upper: 1_250_000 },
};

test('the exit code is 1 only when a fail-severity rule is broken', () => {
  assert.equal(exitCodeOf(evaluation([size], { pass: 0, warn: 1, fail: 1, unknown: 0 })), 1);
  assert.equal(exitCodeOf(evaluation([size], { pass: 3, warn: 2, fail: 0, unknown: 1 })), 0);
});

test('the JSON report lists every rule with value, limit, baseline and explanation', () => {
  const report = toCheckReport(evaluation([size], { pass: 0, warn: 1, fail: 1, unknown: 0 }));
  // The status language's words, as in the tree and the report.
  assert.equal(report.compared, 'abcdef1 on feat/<img src=x>|*bold* against main');
  assert.deepEqual(report.metrics[0].judgement, { status: 'fail', text: 'fails a threshold' });
  assert.equal(report.metrics[0].change.direction, 'worse');
  assert.equal(report.metrics[0].change.text, '+110 kB (+9.2%), worse');
  assert.equal(report.exitCode, 1);
  assert.equal(report.rules.length, 2);
  assert.deepEqual(report.rules[0], {
    metric: 'bundle-size',
    rule: 'max',
    status: 'fail',
    severity: 'fail',
    value: 1_310_000,
    limit: 1_250_000,
    lower: null,
    upper: 1_250_000,
    baseline: { commitSha: baseBuild.commitSha, branch: 'main', timestamp: baseBuild.timestamp, method: 'merge-base', value: 1_200_000 },
    explanation: 'bundle-size 1.31 MB is above the maximum budget 1.25 MB',
  });
});

test('Markdown escapes user data so it cannot break the table or inject HTML', () => {
  assert.equal(escapeMarkdown('a|b *c* <b>&'), 'a\\|b \\*c\\* &lt;b&gt;&amp;');
  const md = renderMarkdown(evaluation([size], { pass: 0, warn: 1, fail: 1, unknown: 0 }));
  assert.ok(md.startsWith('### ❌ Tidemark check failed\n'));
  assert.ok(!md.includes('<img'), md);
  assert.match(md, /abcdef1 on feat\/&lt;img src=x&gt;\\\|\\\*bold\\\* against main: 1 fail, 1 warn, 0 pass\./);
  assert.match(md, /\| Bundle \\\| size \| 1\\\.31 MB \| 1\\\.2 MB at `3f2a1c0` \(merge\\-base\) \| \\\+110 kB \\\(\\\+9\\\.2%\\\), worse \| ❌ fail \|/);
  assert.match(md, /- ⚠️ warn \*\*bundle\\-size\*\* `maxIncreasePercent`: bundle\\-size 1\\\.31 MB is \\\+9\\\.2% vs/);
  // Every table row has exactly the five cells of the header.
  for (const row of md.split('\n').filter((l) => l.startsWith('| '))) assert.equal(row.replace(/\\\|/g, '').split('|').length, 7, row);
});

const version: MetricEvaluation = {
  ...size,
  metric: 'version',
  name: null,
  type: 'label',
  unit: null,
  direction: null,
  value: 'v2',
  baseline: { ...size.baseline!, value: 'v1' },
  delta: null,
  deltaPercent: null,
  checks: [],
  status: 'unknown',
  band: { lower: null, upper: null },
};

test('a metric without rules is shown as such, and a label as changed or the same', () => {
  const e = evaluation([version], { pass: 0, warn: 0, fail: 0, unknown: 0 });
  assert.match(renderMarkdown(e), /\| version \| v2 \| v1 at `3f2a1c0` \(merge\\-base\) \| changed \| no thresholds \|/);
  assert.match(renderText(e), /^· version {2}v2 {2}baseline v1 at 3f2a1c0 \(merge-base\) {2}changed$/m);
});

test('terminal text shows each metric, its baseline and every rule', () => {
  const text = renderText(evaluation([size], { pass: 0, warn: 1, fail: 1, unknown: 0 }));
  assert.equal(
    text,
    [
      'tidemark check: abcdef1 on feat/<img src=x>|*bold* against main',
      '✗ bundle-size  1.31 MB  baseline 1.2 MB at 3f2a1c0 (merge-base)  +110 kB (+9.2%), worse  fails a threshold',
      '    fail    max: bundle-size 1.31 MB is above the maximum budget 1.25 MB',
      '    warn    maxIncreasePercent: bundle-size 1.31 MB is +9.2% vs 1.2 MB, beyond the allowed +5% (baseline 3f2a1c0 = merge-base)',
      '1 fail, 1 warn, 0 pass: FAILED',
    ].join('\n'),
  );
});
