import { test } from 'node:test';
import assert from 'node:assert/strict';
// ajv is already in node_modules (through @vscode/vsce); it is only used here to check the schema.
import Ajv from 'ajv';
import { parse } from 'jsonc-parser';
import { parseConfig } from '../../../src/core/config';
import { configJsonSchema } from '../../../src/core/config/jsonSchema';

type Schema = Record<string, unknown>;
const schema = configJsonSchema() as Schema;
const metrics = (schema.properties as Record<string, Schema>).metrics;
const metric = metrics.additionalProperties as Schema;

/** Every object schema under `node`, with its location for failure messages. */
function objectSchemas(node: unknown, where = '#'): [string, Schema][] {
  if (typeof node !== 'object' || node === null) return [];
  const found: [string, Schema][] = [];
  const record = node as Schema;
  if (record.type === 'object') found.push([where, record]);
  for (const [key, value] of Object.entries(record)) found.push(...objectSchemas(value, `${where}/${key}`));
  return found;
}

test('the schema is draft-07 with the top-level keys of tidemark.json', () => {
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.deepEqual(Object.keys(schema.properties as Schema), ['$schema', 'metrics', 'baseline', 'concurrency', 'sources', 'defaultExcludes', 'retention', 'timezone', 'share', 'setup', 'steps']);
  assert.deepEqual(schema.required, ['metrics']);
  assert.deepEqual([schema.allowComments, schema.allowTrailingCommas], [true, false]);
  assert.deepEqual(Object.keys(metric.properties as Schema), ['type', 'command', 'name', 'description', 'unit', 'direction', 'timeout', 'onSave', 'thresholds', 'dependsOn', 'allowStale', '$ref']);
  // "type" and "command" are required unless the metric names a preset.
  assert.deepEqual((metric.allOf as Schema[])[0], { if: { not: { required: ['$ref'] } }, then: { required: ['type', 'command'] } });
});

test('every object forbids unknown keys and every property has a description and a markdownDescription', () => {
  const objects = objectSchemas(schema).filter(([, s]) => s.properties);
  assert.ok(objects.length >= 3, 'root, metric and baseline objects');
  for (const [where, object] of objects) {
    assert.equal(object.additionalProperties, false, `${where} allows unknown keys`);
    for (const [key, property] of Object.entries(object.properties as Record<string, Schema>)) {
      assert.equal(typeof property.description, 'string', `${where}/${key} has no description`);
      assert.equal(typeof property.markdownDescription, 'string', `${where}/${key} has no markdownDescription`);
    }
  }
});

test('enums carry one description per value', () => {
  const properties = metric.properties as Record<string, Schema>;
  for (const key of ['type', 'unit', 'direction']) {
    const values = properties[key].enum as string[];
    assert.ok(values.length >= 2, key);
    assert.equal((properties[key].enumDescriptions as string[]).length, values.length, key);
    assert.equal((properties[key].markdownEnumDescriptions as string[]).length, values.length, key);
  }
});

test('metric ids, counts, defaults and snippets are described for editors', () => {
  assert.deepEqual(metrics.propertyNames, {
    type: 'string',
    minLength: 1,
    maxLength: 64,
    pattern: '^[a-z0-9-]+$',
    description: 'Metric id: lowercase letters, digits and "-", at most 64 characters.',
    markdownDescription: 'Metric id: lowercase letters, digits and `-`, at most 64 characters.',
    patternErrorMessage: 'A metric id uses only lowercase letters a-z, digits 0-9 and "-".',
  });
  assert.deepEqual([metrics.minProperties, metrics.maxProperties], [1, 50]);
  const properties = metric.properties as Record<string, Schema>;
  assert.deepEqual([properties.timeout.default, properties.timeout.maximum], [60000, 600000]);
  assert.equal(properties.onSave.default, false);
  const snippets = metrics.defaultSnippets as { body: Record<string, Schema> }[];
  assert.equal(Object.values(snippets[0].body)[0].type, 'numeric');
  assert.ok(Array.isArray(metric.defaultSnippets));
});

test('the schema accepts and rejects the same documents as parseConfig', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);
  const m = (body: string) => `{"metrics": {"m": ${body}}}`;
  const samples = [
    m('{"type": "numeric", "command": "x"}'),
    m('{"type": "label", "command": "git rev-parse HEAD", "onSave": true, "name": "Commit"}'),
    `{"$schema": "x", "metrics": {"a-1": {"type": "numeric", "command": "x", "unit": "bytes", "direction": "lower-is-better", "timeout": 600000, "onSave": ["src/**"]}}, "baseline": {"referenceBranch": "main", "maxAgeDays": 7}, "concurrency": 2}`,
    '{}',
    '[]',
    '{"metrics": {}}',
    `{"metrics": {${Array.from({ length: 51 }, (_, i) => `"m${i}": {"type": "label", "command": "x"}`).join(',')}}}`,
    '{"metrics": {"Bad Id": {"type": "numeric", "command": "x"}}}',
    '{"metrics": {"__proto__": {"type": "numeric", "command": "x"}}}',
    `{"metrics": {"${'a'.repeat(65)}": {"type": "numeric", "command": "x"}}}`,
    m('{"type": "numeric"}'),
    m('{"type": "numeric", "command": "x", "comand": "x"}'),
    m('{"type": "text", "command": "x"}'),
    m('{"type": "numeric", "command": ""}'),
    m('{"type": "numeric", "command": "  "}'),
    m(`{"type": "numeric", "command": "${'x'.repeat(1025)}"}`),
    m(`{"type": "numeric", "command": "x", "description": "${'d'.repeat(257)}"}`),
    m('{"type": "numeric", "command": "x", "unit": "kb"}'),
    m('{"type": "numeric", "command": "x", "direction": "up"}'),
    m('{"type": "label", "command": "x", "unit": "bytes"}'),
    m('{"type": "label", "command": "x", "direction": "higher-is-better"}'),
    m('{"type": "numeric", "command": "x", "timeout": 600001}'),
    m('{"type": "numeric", "command": "x", "timeout": 1.5}'),
    m('{"type": "numeric", "command": "x", "onSave": []}'),
    m('{"type": "numeric", "command": "x", "onSave": "src/**"}'),
    m('{"type": "numeric", "command": "x", "onSave": [""]}'),
    '{"metrics": {"m": {"type": "label", "command": "x"}}, "baseline": {"maxAgeDays": 0}}',
    '{"metrics": {"m": {"type": "label", "command": "x"}}, "baseline": {"branch": "main"}}',
    '{"metrics": {"m": {"type": "label", "command": "x"}}, "concurrency": 0}',
    '{"metrics": {"m": {"type": "label", "command": "x"}}, "unknown": 0}',
  ];
  let accepted = 0;
  for (const text of samples) {
    const byParser = parseConfig(text).ok;
    const bySchema = validate(parse(text)) as boolean;
    assert.equal(bySchema, byParser, `schema ${bySchema ? 'accepts' : 'rejects'} but parseConfig ${byParser ? 'accepts' : 'rejects'}: ${text.slice(0, 120)}`);
    if (byParser) accepted++;
  }
  assert.equal(accepted, 3);
});
