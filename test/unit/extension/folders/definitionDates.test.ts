import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricConfig } from '../../../../src/core/types';
import { noteDefinitions } from '../../../../src/extension/folders/definitionDates';
import { metricStatus } from '../../../../src/extension/views/tree/viewModel';
import type { LatestMetric } from '../../../../src/core/store/api';

const size = { type: 'numeric', command: 'du -sb dist', unit: 'bytes' } as unknown as MetricConfig;
const lint = { type: 'numeric', command: 'eslint . -f json', unit: 'integer' } as unknown as MetricConfig;

/** A value measured here at `at`, at HEAD. */
function latest(at: string): LatestMetric {
  const build = { id: 1, commitSha: 'a'.repeat(40), branch: 'main', runId: 'r', runNumber: 1, event: 'manual', timestamp: at, dirty: false, source: 'local' };
  return { metric: 'size', value: 1, valueBuild: build, lastOutcome: { status: 'ok', value: 1, durationMs: 1, message: null }, lastOutcomeBuild: build } as unknown as LatestMetric;
}

test('after a window reload no metric reads outdated because of the config file\'s date; one whose definition changed does', () => {
  const measured = '2026-12-01T10:00:00.000Z';
  // The first session: the definitions are remembered (nothing is known to have changed).
  const first = noteDefinitions({ size, lint }, undefined, '2026-12-01T09:00:00.000Z');
  assert.equal(first.size.changedAt, null);
  // The file is saved again later (a comment, another metric's edit): its date moves on.
  const touched = '2026-12-01T11:00:00.000Z';
  const reload = noteDefinitions({ size, lint: { ...lint, command: 'eslint src -f json' } as MetricConfig }, first, touched);
  const status = (id: 'size' | 'lint') => metricStatus({ latest: latest(measured), headSha: 'a'.repeat(40), configChangedAt: reload[id].changedAt });
  assert.equal(status('size'), 'ok', 'an unchanged definition keeps its value current');
  assert.equal(status('lint'), 'stale', 'the edited definition makes its own value outdated');
  assert.equal(reload.lint.changedAt, touched);
  // Key order does not change a definition.
  const reordered = Object.fromEntries(Object.entries(size).reverse()) as unknown as MetricConfig;
  assert.deepEqual(noteDefinitions({ size: reordered }, reload, '2026-12-02T00:00:00.000Z').size, reload.size);
});
