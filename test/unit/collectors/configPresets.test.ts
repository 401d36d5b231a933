/** Presets and sources inside parseConfig and the editor's JSON Schema. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'jsonc-parser';
import { parseConfig } from '../../../src/core/config';
import { configJsonSchema } from '../../../src/core/config/jsonSchema';
import { PRESETS } from '../../../src/core/presets';

test('parseConfig expands $ref presets with field overrides and keeps sources', () => {
  const result = parseConfig(
    JSON.stringify({
      metrics: { cov: { $ref: 'coverage', onSave: true }, build: { $ref: 'build-time', command: 'make all', description: 'make' } },
      sources: ['src/**', '!**/*.test.ts'],
    }),
  );
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  assert.deepEqual(result.config.metrics.cov, {
    type: 'numeric',
    command: PRESETS.coverage.command,
    unit: 'percent',
    direction: 'higher-is-better',
    description: PRESETS.coverage.description,
    timeout: 60000,
    onSave: true,
  });
  assert.equal(result.config.metrics.build.command, "@collect time -- 'make all'");
  assert.equal(result.config.metrics.build.timeout, 600000);
  assert.deepEqual(result.config.sources, ['src/**', '!**/*.test.ts']);
});

test('an unknown preset is located on its value; a bad override is checked like any field', () => {
  const text = '{"metrics": {\n  "a": {"$ref": "bundle"},\n  "b": {"$ref": "loc", "unit": "lines"}\n}}';
  const result = parseConfig(text);
  assert.ok(!result.ok);
  const [unknown, unit] = result.problems;
  assert.deepEqual([unknown.path, unknown.line, unknown.column, unknown.length], ['metrics.a.$ref', 2, 17, 8]);
  assert.match(unknown.message, /unknown preset "bundle" \(known: loc/);
  assert.equal(unit.path, 'metrics.b.unit');
  assert.match(unit.message, /"unit" must be/);
  assert.equal(result.problems.length, 2, 'no knock-on problems about the left-out metric');
});

test('sources must be a non-empty list of globs', () => {
  for (const sources of ['[]', '"src/**"', '[""]']) {
    const result = parseConfig(`{"metrics": {"l": {"$ref": "loc"}}, "sources": ${sources}}`);
    assert.ok(!result.ok, sources);
    assert.match(result.problems[0].path, /^sources/);
  }
});

test('the JSON Schema accepts and rejects the same preset and sources documents as parseConfig', () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(configJsonSchema());
  const samples = [
    '{"metrics": {"m": {"$ref": "loc"}}}',
    '{"metrics": {"m": {"$ref": "build-time", "command": "make", "timeout": 1000}}, "sources": ["src/**"]}',
    '{"metrics": {"m": {"$ref": "coverage", "unit": "integer", "onSave": ["src/**"]}}}',
    '{"metrics": {"m": {"$ref": "nope"}}}',
    '{"metrics": {"m": {"$ref": 1}}}',
    '{"metrics": {"m": {"$ref": "loc", "extra": 1}}}',
    '{"metrics": {"m": {"$ref": "loc", "timeout": 0}}}',
    '{"metrics": {"m": {"unit": "integer"}}}',
    '{"metrics": {"m": {"$ref": "loc"}}, "sources": []}',
    '{"metrics": {"m": {"$ref": "loc"}}, "sources": "src"}',
  ];
  let accepted = 0;
  for (const text of samples) {
    const byParser = parseConfig(text).ok;
    const bySchema = validate(parse(text)) as boolean;
    assert.equal(bySchema, byParser, `schema ${bySchema ? 'accepts' : 'rejects'} but parseConfig ${byParser ? 'accepts' : 'rejects'}: ${text}`);
    if (byParser) accepted++;
  }
  assert.equal(accepted, 3);
});
