import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDelta, formatDeltaLong, formatDeltaShort } from '../../../../src/extension/views/delta';
import { codeBlock, codeSpan, escapeMarkdown } from '../../../../src/extension/common/markdown';
import { metricsForSave } from '../../../../src/extension/run/saveMatch';
import type { TidemarkConfig } from '../../../../src/core/types';

test('verdicts follow the direction; no direction means merely changed', () => {
  assert.equal(computeDelta(110, 100, 'higher-is-better').verdict, 'better');
  assert.equal(computeDelta(110, 100, 'lower-is-better').verdict, 'worse');
  assert.equal(computeDelta(110, 100, null).verdict, 'changed');
  assert.equal(computeDelta(100, 100, 'lower-is-better').verdict, 'same');
  assert.equal(computeDelta(null, 100, 'lower-is-better').verdict, 'unknown');
  assert.equal(computeDelta('a', 'b', null).verdict, 'changed');
});

test('short and long delta text', () => {
  assert.equal(formatDeltaShort(computeDelta(102.3, 100, null), 'decimal'), '▲ 2.3%');
  assert.equal(formatDeltaShort(computeDelta(90, 100, null), 'percent'), '▼ 10.0%');
  // A zero base has no relative change: the absolute one is shown instead.
  assert.equal(formatDeltaShort(computeDelta(2048, 0, null), 'bytes'), '▲ 2.05 kB');
  assert.equal(formatDeltaShort(computeDelta(5, 5, null), 'integer'), '=');
  assert.equal(formatDeltaShort(computeDelta(5, undefined, null), 'integer'), '');
  assert.equal(formatDeltaLong(computeDelta(1_210_000, 1_182_796, 'lower-is-better'), 'bytes'), '+27.2 kB (+2.3%)');
  assert.equal(formatDeltaLong(computeDelta(1, null, null), 'bytes'), 'no baseline value');
});

test('markdown helpers keep user text literal', () => {
  assert.equal(escapeMarkdown('a_b *c* [d](e) $(x)'), 'a\\_b \\*c\\* \\[d\\]\\(e\\) \\$\\(x\\)');
  assert.equal(codeSpan('plain'), '`plain`');
  assert.equal(codeSpan('a `b` c'), '``a `b` c``');
  assert.equal(codeBlock('x\n```\ny'), '````text\nx\n```\ny\n````');
});

test('saves trigger the metrics whose globs match, never for .git, the store or the config', () => {
  const config: TidemarkConfig = {
    metrics: {
      size: { type: 'numeric', command: 'x', timeout: 1, onSave: ['src/**/*.ts'] },
      any: { type: 'numeric', command: 'x', timeout: 1, onSave: true },
      off: { type: 'numeric', command: 'x', timeout: 1, onSave: false },
      dots: { type: 'numeric', command: 'x', timeout: 1, onSave: ['**/*.json'] },
    },
    baseline: { maxAgeDays: 1 },
  };
  assert.deepEqual(metricsForSave(config, 'src/a/b.ts'), ['size', 'any']);
  assert.deepEqual(metricsForSave(config, 'README.md'), ['any']);
  assert.deepEqual(metricsForSave(config, '.vscode/settings.json'), ['any', 'dots']);
  assert.deepEqual(metricsForSave(config, 'tidemark.json'), []);
  assert.deepEqual(metricsForSave(config, '.git/COMMIT_EDITMSG'), []);
  assert.deepEqual(metricsForSave(config, '.tidemark/tidemark.db'), []);
  assert.deepEqual(metricsForSave(config, '../other/src/x.ts'), []);
});
