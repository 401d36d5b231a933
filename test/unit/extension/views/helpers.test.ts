import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeBlock, codeSpan, escapeMarkdown } from '../../../../src/extension/common/markdown';
import { metricsForSave } from '../../../../src/extension/run/saveMatch';
import type { TidemarkConfig } from '../../../../src/core/types';

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
