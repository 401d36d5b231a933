import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config';
import type { ConfigProblem, TidemarkConfig } from '../../../src/core/types';

export function validConfig(text: string, options?: { availableCores?: number }): TidemarkConfig {
  const result = parseConfig(text, options);
  assert.ok(result.ok, `expected a valid config, got:\n${result.ok ? '' : result.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`).join('\n')}`);
  return result.config;
}

export function problemsOf(text: string): ConfigProblem[] {
  const result = parseConfig(text);
  assert.equal(result.ok, false, 'expected the config to be rejected');
  return result.ok ? [] : result.problems;
}

/** The one problem of a text, as `line:column path message`-friendly fields. */
export function onlyProblem(text: string): ConfigProblem {
  const problems = problemsOf(text);
  assert.equal(problems.length, 1, `expected exactly one problem, got:\n${problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`).join('\n')}`);
  return problems[0];
}

/** A metric text inside a minimal valid config; `metric` is the body of metrics.m. */
export function withMetric(metric: string): string {
  return `{"metrics": {"m": ${metric}}}`;
}
