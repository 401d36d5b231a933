import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onlyProblem, problemsOf, validConfig, withMetric } from './helpers';

// In withMetric(`{"type": "numeric", "command": "x"<extra>}`) the metric's "{" is at column 19
// and the first key of <extra> (after ", ") at column 55.
const METRIC_COLUMN = 19;
const EXTRA_KEY_COLUMN = 55;
function metricWith(extra: string): string {
  return withMetric(`{"type": "numeric", "command": "x"${extra}}`);
}
/** Column of the value in metricWith(`, "<key>": <value>`). */
function extraValueColumn(key: string): number {
  return EXTRA_KEY_COLUMN + key.length + 2 + 2;
}

test('a valid config gets its defaults; concurrency and referenceBranch stay absent', () => {
  const config = validConfig(`{
  "metrics": {
    "bundle-size": { "type": "numeric", "command": "du -sb dist", "unit": "bytes", "direction": "lower-is-better" },
    "version": { "type": "label", "command": "node -p 1", "onSave": ["package.json"] }
  }
}`);
  assert.deepEqual(config, {
    metrics: {
      'bundle-size': { type: 'numeric', command: 'du -sb dist', unit: 'bytes', direction: 'lower-is-better', timeout: 60000, onSave: false },
      version: { type: 'label', command: 'node -p 1', onSave: ['package.json'], timeout: 60000 },
    },
    baseline: { maxAgeDays: 90 },
  });
  assert.equal('concurrency' in config, false);
  assert.equal('referenceBranch' in config.baseline, false);
});

test('explicit values are kept, limits are inclusive and "$schema" is accepted but not part of the config', () => {
  const id = 'a'.repeat(64);
  const config = validConfig(`{
  "$schema": "./node_modules/tidemark/dist/tidemark.schema.json",
  "metrics": {
    "${id}": {
      "type": "numeric", "command": "${'c'.repeat(1024)}", "name": "${'n'.repeat(256)}", "description": "",
      "unit": "percent", "direction": "higher-is-better", "timeout": 600000, "onSave": true
    }
  },
  "baseline": { "referenceBranch": "develop", "maxAgeDays": 30 },
  "concurrency": 4
}`);
  assert.equal(config.metrics[id].timeout, 600000);
  assert.equal(config.metrics[id].onSave, true);
  assert.equal(config.metrics[id].command.length, 1024);
  assert.deepEqual(config.baseline, { referenceBranch: 'develop', maxAgeDays: 30 });
  assert.equal(config.concurrency, 4);
  assert.equal('$schema' in config, false);
});

test('availableCores fills an absent concurrency and never overrides a configured one', () => {
  assert.equal(validConfig(metricWith(''), { availableCores: 6 }).concurrency, 6);
  assert.equal(validConfig(`{"metrics": {"m": {"type": "label", "command": "x"}}, "concurrency": 2}`, { availableCores: 6 }).concurrency, 2);
});

test('50 metrics are allowed, 51 are not', () => {
  const metrics = (n: number) => Array.from({ length: n }, (_, i) => `"m${i}": {"type": "numeric", "command": "x"}`).join(', ');
  assert.equal(Object.keys(validConfig(`{"metrics": {${metrics(50)}}}`).metrics).length, 50);
  const p = onlyProblem(`{"metrics": {${metrics(51)}}}`);
  assert.equal(p.path, 'metrics');
  assert.equal(p.message, '"metrics" may list at most 50 metrics (it lists 51)');
  assert.deepEqual([p.line, p.column], [1, 13]);
});

test('an empty metrics object is rejected at its brace', () => {
  const p = onlyProblem('{"metrics": {}}');
  assert.deepEqual(
    { path: p.path, message: p.message, line: p.line, column: p.column, offset: p.offset, length: p.length },
    { path: 'metrics', message: '"metrics" must list at least one metric', line: 1, column: 13, offset: 12, length: 2 },
  );
});

test('a timeout above the maximum points at the value with its exact range', () => {
  const p = onlyProblem(metricWith(', "timeout": 900000'));
  assert.deepEqual(p, {
    path: 'metrics.m.timeout',
    message: '"timeout" must be at most 600000 ms (got 900000)',
    line: 1,
    column: 66,
    endLine: 1,
    endColumn: 72,
    offset: 65,
    length: 6,
  });
});

for (const [value, message] of [
  ['0', '"timeout" must be at least 1 ms (got 0)'],
  ['1.5', '"timeout" must be a whole number (got 1.5)'],
  ['"60s"', '"timeout" must be a number (got the string "60s")'],
  ['null', '"timeout" must be a number (got null)'],
] as const) {
  test(`timeout ${value} is rejected`, () => {
    const p = onlyProblem(metricWith(`, "timeout": ${value}`));
    assert.equal(p.path, 'metrics.m.timeout');
    assert.equal(p.message, message);
    assert.equal(p.column, extraValueColumn('timeout'));
    assert.equal(p.length, value.length);
  });
}

test('an unknown key points at the key and suggests the closest allowed key', () => {
  const p = onlyProblem(metricWith(', "comand": "y"'));
  assert.equal(p.path, 'metrics.m.comand');
  assert.equal(p.message, 'unknown key "comand" — did you mean "command"?');
  assert.deepEqual([p.line, p.column, p.endColumn, p.length], [1, EXTRA_KEY_COLUMN, EXTRA_KEY_COLUMN + 8, 8]);
});

test('an unknown key with no near match lists the allowed keys', () => {
  const p = onlyProblem(metricWith(', "colour": "blue"'));
  assert.equal(
    p.message,
    'unknown key "colour" (allowed keys: "type", "command", "name", "description", "unit", "direction", "timeout", "onSave", "thresholds", "dependsOn", "allowStale")',
  );
});

test('unknown keys at the root and in baseline get suggestions too', () => {
  const problems = problemsOf(`{"metrics": {"m": {"type": "label", "command": "x"}}, "concurrence": 2, "baseline": {"maxAge": 3}}`);
  assert.deepEqual(
    problems.map((p) => [p.path, p.message, p.column]),
    [
      ['concurrence', 'unknown key "concurrence" — did you mean "concurrency"?', 55],
      ['baseline.maxAge', 'unknown key "maxAge" — did you mean "maxAgeDays"?', 86],
    ],
  );
});

test('a missing required key points at the opening brace of the object that lacks it', () => {
  const p = onlyProblem('{"metrics": {"m": {"type": "numeric"}}}');
  assert.deepEqual(
    [p.path, p.message, p.line, p.column, p.offset, p.length],
    ['metrics.m.command', 'missing required key "command"', 1, METRIC_COLUMN, METRIC_COLUMN - 1, 1],
  );
  const root = onlyProblem('// nothing yet\n{\n}\n');
  assert.deepEqual([root.path, root.message, root.line, root.column], ['metrics', 'missing required key "metrics"', 2, 1]);
});

test('a metric id outside a-z, 0-9 and "-" points at the key and proposes a valid id', () => {
  const p = onlyProblem('{"metrics": {"Bundle Size": {"type": "numeric", "command": "x"}}}');
  assert.equal(p.path, 'metrics.Bundle Size');
  assert.equal(p.message, 'metric id "Bundle Size" must use only a-z, 0-9 and "-" — for example "bundle-size"');
  assert.deepEqual([p.column, p.length], [14, 13]);
});

test('"__proto__" is rejected like any other bad key, never dropped silently', () => {
  const p = onlyProblem('{"metrics": {"__proto__": {"type": "numeric", "command": "x"}}}');
  assert.deepEqual([p.path, p.message, p.column, p.length], ['metrics.__proto__', 'metric id "__proto__" must use only a-z, 0-9 and "-"', 14, 11]);
  assert.equal(onlyProblem(metricWith(', "__proto__": {}')).message.startsWith('unknown key "__proto__"'), true);
});

test('a metric id longer than 64 characters or empty is rejected', () => {
  const long = 'a'.repeat(65);
  assert.equal(
    onlyProblem(`{"metrics": {"${long}": {"type": "numeric", "command": "x"}}}`).message,
    `metric id "${long}" must be at most 64 characters long (it has 65)`,
  );
  assert.equal(onlyProblem('{"metrics": {"": {"type": "numeric", "command": "x"}}}').message, 'a metric id must not be empty');
});

test('enum values are checked, with a suggestion for a typo or an abbreviation', () => {
  const type = onlyProblem(withMetric('{"type": "numerc", "command": "x"}'));
  assert.equal(type.path, 'metrics.m.type');
  assert.equal(type.message, '"type" must be "numeric" or "label" (got the string "numerc") — did you mean "numeric"?');
  assert.deepEqual([type.column, type.length], [28, 8]);

  const unit = onlyProblem(metricWith(', "unit": "perc"'));
  assert.equal(
    unit.message,
    '"unit" must be "percent", "integer", "bytes", "duration" or "decimal" (got the string "perc") — did you mean "percent"?',
  );
  const direction = onlyProblem(metricWith(', "direction": "up"'));
  assert.equal(direction.message, '"direction" must be "higher-is-better" or "lower-is-better" (got the string "up")');
  assert.equal(direction.column, extraValueColumn('direction'));
});

test('a label metric must not have a unit or a direction', () => {
  const problems = problemsOf(withMetric('{"type": "label", "command": "x", "unit": "bytes", "direction": "lower-is-better"}'));
  assert.deepEqual(
    problems.map((p) => [p.path, p.message, p.column]),
    [
      ['metrics.m.unit', 'a label metric must not have a "unit" (units are only for numeric metrics)', 61],
      ['metrics.m.direction', 'a label metric must not have a "direction" (a label is not better or worse, only different)', 83],
    ],
  );
});

test('command must be a non-blank string of at most 1024 characters', () => {
  assert.equal(onlyProblem(withMetric('{"type": "numeric", "command": ""}')).message, '"command" must not be empty');
  assert.equal(onlyProblem(withMetric('{"type": "numeric", "command": "   "}')).message, '"command" must not be blank');
  assert.equal(
    onlyProblem(withMetric(`{"type": "numeric", "command": "${'x'.repeat(1025)}"}`)).message,
    '"command" must be at most 1024 characters long (it has 1025)',
  );
  assert.equal(onlyProblem(withMetric('{"type": "numeric", "command": ["npm", "test"]}')).message, '"command" must be a string (got a list)');
});

test('name and description are at most 256 characters; name is not empty', () => {
  assert.equal(onlyProblem(metricWith(`, "name": "${'n'.repeat(257)}"`)).message, '"name" must be at most 256 characters long (it has 257)');
  assert.equal(onlyProblem(metricWith(`, "description": "${'d'.repeat(257)}"`)).message, '"description" must be at most 256 characters long (it has 257)');
  assert.equal(onlyProblem(metricWith(', "name": ""')).message, '"name" must not be empty');
});

test('onSave is true, false or a non-empty list of non-empty globs', () => {
  const text = onlyProblem(metricWith(', "onSave": "src/**"'));
  assert.equal(text.path, 'metrics.m.onSave');
  assert.equal(text.message, '"onSave" must be true, false or a list (got the string "src/**")');
  assert.equal(text.column, extraValueColumn('onSave'));

  assert.equal(onlyProblem(metricWith(', "onSave": []')).message, '"onSave" must not be an empty list (use false to never run on save)');

  const item = onlyProblem(metricWith(', "onSave": ["src/**", 3]'));
  assert.equal(item.path, 'metrics.m.onSave.1');
  assert.equal(item.message, 'item 2 of "onSave" must be a string (got 3)');
  assert.equal(item.column, extraValueColumn('onSave') + 11);
});

test('a metric that is not an object is named in the message', () => {
  const p = onlyProblem('{"metrics": {"m": "npm test"}}');
  assert.deepEqual([p.path, p.message, p.column], ['metrics.m', 'metric "m" must be an object (got the string "npm test")', 19]);
});

test('baseline and concurrency values are checked', () => {
  const problems = problemsOf(`{
  "metrics": {"m": {"type": "label", "command": "x"}},
  "baseline": {"referenceBranch": "", "maxAgeDays": 0},
  "concurrency": 2.5
}`);
  assert.deepEqual(
    problems.map((p) => [p.line, p.column, p.path, p.message]),
    [
      [3, 35, 'baseline.referenceBranch', '"referenceBranch" must not be empty'],
      [3, 53, 'baseline.maxAgeDays', '"maxAgeDays" must be at least 1 day (got 0)'],
      [4, 18, 'concurrency', '"concurrency" must be a whole number (got 2.5)'],
    ],
  );
  assert.equal(onlyProblem('{"metrics": {"m": {"type": "label", "command": "x"}}, "concurrency": 0}').message, '"concurrency" must be at least 1 (got 0)');
  assert.equal(onlyProblem('{"metrics": {"m": {"type": "label", "command": "x"}}, "baseline": "main"}').message, '"baseline" must be an object (got the string "main")');
});

test('"$schema" must be a string and the root must be an object', () => {
  assert.equal(onlyProblem('{"$schema": 1, "metrics": {"m": {"type": "label", "command": "x"}}}').message, '"$schema" must be a string (got 1)');
  const root = onlyProblem('[]');
  assert.deepEqual([root.path, root.message, root.line, root.column, root.length], ['', 'the configuration must be an object (got a list)', 1, 1, 2]);
});

test('every problem of a file is reported at once, ordered by position', () => {
  const problems = problemsOf(`{
  "metrics": {
    "Bundle Size": {"type": "numeric", "command": "du -sb dist", "timeout": 900000},
    "coverage": {"type": "numeric", "comand": "npm run cov", "unit": "percnt"}
  },
  "concurrency": 0,
  "baselin": {}
}`);
  assert.deepEqual(
    problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`),
    [
      '3:5 metrics.Bundle Size: metric id "Bundle Size" must use only a-z, 0-9 and "-" — for example "bundle-size"',
      '3:77 metrics.Bundle Size.timeout: "timeout" must be at most 600000 ms (got 900000)',
      '4:17 metrics.coverage.command: missing required key "command"',
      '4:37 metrics.coverage.comand: unknown key "comand" — did you mean "command"?',
      '4:70 metrics.coverage.unit: "unit" must be "percent", "integer", "bytes", "duration" or "decimal" (got the string "percnt") — did you mean "percent"?',
      '6:18 concurrency: "concurrency" must be at least 1 (got 0)',
      '7:3 baselin: unknown key "baselin" — did you mean "baseline"?',
    ],
  );
});

test('a duplicate key is reported at its second occurrence', () => {
  const p = onlyProblem(`{
  "metrics": {"m": {"type": "numeric", "command": "x", "timeout": 1000, "timeout": 2000}}
}`);
  assert.deepEqual(
    [p.path, p.message, p.line, p.column, p.length],
    ['metrics.m.timeout', 'duplicate key "timeout": each key may appear only once in an object', 2, 73, 9],
  );
});

test('problem ranges can span lines', () => {
  const p = onlyProblem('{"metrics": {"m": {"type": "label", "command": "x"}}, "baseline": [\n1\n]}');
  assert.deepEqual([p.line, p.column, p.endLine, p.endColumn], [1, 67, 3, 2]);
});
