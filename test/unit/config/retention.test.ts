import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config';
import { configJsonSchema } from '../../../src/core/config/jsonSchema';

const METRICS = '"metrics": {"size": {"type": "numeric", "command": "du -sb dist"}}';

test('retention and timezone: absent stay absent, given ones get their defaults', () => {
  const plain = parseConfig(`{${METRICS}}`);
  assert.ok(plain.ok);
  assert.equal('retention' in plain.config, false);
  assert.equal('timezone' in plain.config, false);
  const set = parseConfig(`{${METRICS}, "retention": {"commitRuns": 365}, "timezone": "Europe/Paris"}`);
  assert.ok(set.ok);
  assert.deepEqual(set.config.retention, { rawDays: 30, commitRuns: 365 });
  assert.equal(set.config.timezone, 'Europe/Paris');
  const all = parseConfig(`{${METRICS}, "retention": {"rawDays": 7, "commitRuns": "all"}}`);
  assert.ok(all.ok);
  assert.deepEqual(all.config.retention, { rawDays: 7, commitRuns: 'all' });
});

test('bad retention and timezone values are reported at their position', () => {
  const text = `{${METRICS},\n "retention": {"rawDays": 0, "commitRuns": "some", "keep": 1},\n "timezone": "Mars/Olympus"}`;
  const result = parseConfig(text);
  assert.equal(result.ok, false);
  if (result.ok) return;
  const shown = result.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
  assert.deepEqual(shown, [
    '2:27 retention.rawDays: "rawDays" must be at least 1 (got 0)',
    '2:44 retention.commitRuns: "commitRuns" must be "all" (got the string "some")',
    '2:52 retention.keep: unknown key "keep" (allowed keys: "rawDays", "commitRuns")',
    '3:14 timezone: "timezone" must be an IANA time zone such as "Europe/Paris" or "UTC" (got "Mars/Olympus")',
  ]);
});

test('the JSON Schema documents retention and timezone', () => {
  const schema = configJsonSchema() as { properties: Record<string, { description?: string; properties?: Record<string, { description?: string }> }> };
  assert.match(schema.properties.retention.description ?? '', /Rollups are kept forever/);
  assert.match(schema.properties.retention.properties?.rawDays.description ?? '', /default 30/);
  assert.match(schema.properties.retention.properties?.commitRuns.description ?? '', /"all" keeps it forever/);
  assert.match(schema.properties.timezone.description ?? '', /default UTC/);
});
