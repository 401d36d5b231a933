import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import { parse } from 'jsonc-parser';
import { parseConfig } from '../../../src/core/config';
import { configJsonSchema } from '../../../src/core/config/jsonSchema';
import type { ConfigProblem } from '../../../src/core/types';

function problems(text: string): string[] {
  const r = parseConfig(text);
  assert.equal(r.ok, false, 'expected problems');
  return r.ok ? [] : r.problems.map((p: ConfigProblem) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
}

test('thresholds are kept as written and accepted with units, rule objects and a statistical test', () => {
  const r = parseConfig(`{
  "metrics": {
    "bundle": { "type": "numeric", "unit": "bytes", "direction": "lower-is-better", "command": "du -b dist",
      "thresholds": { "max": "250 kB", "maxIncreasePercent": { "value": 5, "severity": "warn" }, "test": "t-test", "window": 32 } }
  }
}`);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
  assert.deepEqual(r.config.metrics.bundle.thresholds, { max: '250 kB', maxIncreasePercent: { value: 5, severity: 'warn' }, test: 't-test', window: 32 });
});

test('bad thresholds are reported at their exact position, shape and meaning alike', () => {
  const text = `{
  "metrics": {
    "bundle": { "type": "numeric", "unit": "bytes", "command": "x",
      "thresholds": {
        "max": "250 KB",
        "min": { "value": "1 kB", "severity": "error" },
        "maxDecreasePercent": "lots",
        "test": "anova",
        "window": 0,
        "boundary": 2,
        "colour": "red"
      } },
    "version": { "type": "label", "command": "x", "thresholds": { "max": 1 } }
  }
}`;
  assert.deepEqual(problems(text), [
    '5:16 metrics.bundle.thresholds.max: cannot be read as a bytes value: "250 KB": the unit "KB" is ambiguous, use kB (1000 bytes) or KiB (1024 bytes)',
    '6:47 metrics.bundle.thresholds.min.severity: "severity" must be "warn" or "fail" (got the string "error")',
    '7:31 metrics.bundle.thresholds.maxDecreasePercent: must be a percentage of at least 0, such as 5 or "5%" (got "lots")',
    '8:17 metrics.bundle.thresholds.test: "test" must be "t-test", "z-score", "percentage" or "iqr" (got the string "anova")',
    '9:19 metrics.bundle.thresholds.window: "window" must be at least 1 (got 0)',
    '10:21 metrics.bundle.thresholds.boundary: for the t-test must be a probability from 0.5 up to (not including) 1, such as 0.99 (got 2)',
    '11:9 metrics.bundle.thresholds.colour: unknown key "colour" (allowed keys: "severity", "min", "max", "maxIncreasePercent", "maxDecreasePercent", "maxChangePercent", "test", "window", "boundary", "minSamples")',
    '13:51 metrics.version.thresholds: a label metric cannot have "thresholds" (rules only apply to numbers)',
  ]);
});

test('the editor schema accepts and rejects thresholds of the same shape as parseConfig', () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(configJsonSchema());
  const m = (thresholds: string, extra = '"type": "numeric", "unit": "bytes"') => `{"metrics": {"m": {${extra}, "command": "x", "thresholds": ${thresholds}}}}`;
  const samples: [string, boolean][] = [
    [m('{"max": "250 kB", "min": 10, "maxChangePercent": "5%", "severity": "warn"}'), true],
    [m('{"max": {"value": 300000, "severity": "fail"}, "test": {"value": "iqr", "severity": "warn"}, "boundary": 3, "minSamples": 4}'), true],
    [m('{"max": true}'), false],
    [m('{"max": {"value": 1, "level": "warn"}}'), false],
    [m('{"maxIncreasePercent": -1}'), false],
    [m('{"test": "anova"}'), false],
    [m('{"window": 1.5}'), false],
    [m('{"boundary": 0}'), false],
    [m('{"severity": "error"}'), false],
    [m('{"max": 1}', '"type": "label"'), false],
  ];
  for (const [text, valid] of samples) {
    assert.equal(parseConfig(text).ok, valid, `parseConfig: ${text}`);
    assert.equal(validate(parse(text)), valid, `schema: ${text}`);
  }
});
