import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIG_FILE_NAME, formatProblems, loadConfig, parseConfig } from '../../../src/core/config';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the config file is called tidemark.json', () => {
  assert.equal(CONFIG_FILE_NAME, 'tidemark.json');
});

test('loadConfig reads and validates a real file', async () => {
  const file = path.join(dir, CONFIG_FILE_NAME);
  fs.writeFileSync(file, '{\n  // comment\n  "metrics": { "loc": { "type": "numeric", "command": "wc -l < src/x.ts", "unit": "integer" } }\n}\n');
  const result = await loadConfig(file);
  assert.ok(result.ok);
  assert.deepEqual(result.config.metrics.loc, { type: 'numeric', command: 'wc -l < src/x.ts', unit: 'integer', timeout: 60000, onSave: false });
});

test('loadConfig reports the problems of an invalid file with positions', async () => {
  const file = path.join(dir, 'invalid.json');
  fs.writeFileSync(file, '{\n  "metrics": { "loc": { "type": "numeric", "command": "x", "timeout": -5 } }\n}\n');
  const result = await loadConfig(file);
  assert.equal(result.ok, false);
  assert.deepEqual(
    !result.ok && result.problems.map((p) => [p.line, p.column, p.path]),
    [[2, 71, 'metrics.loc.timeout']],
  );
});

test('a missing file is one problem at 1:1 that names the file', async () => {
  const file = path.join(dir, 'nowhere', CONFIG_FILE_NAME);
  const result = await loadConfig(file);
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.problems.length, 1);
  const [p] = result.problems;
  assert.deepEqual([p.path, p.line, p.column, p.offset, p.length], ['', 1, 1, 0, 0]);
  assert.equal(p.message, `${file} does not exist: create a tidemark.json with the metrics to track`);
});

test('a directory in place of the file is one problem that says so', async () => {
  const result = await loadConfig(dir);
  assert.equal(result.ok, false);
  assert.deepEqual(!result.ok && result.problems.map((p) => p.message), [`${dir} is a directory, not a tidemark.json file`]);
});

test('formatProblems prints one "file:line:column  path: message" line per problem', () => {
  const result = parseConfig('{\n  "metrics": {"size": {"type": "numeric", "command": "x", "timeout": 900000}},\n  "extra": 1\n}');
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(
    formatProblems('tidemark.json', result.problems),
    [
      'tidemark.json:2:70  metrics.size.timeout: "timeout" must be at most 600000 ms (got 900000)',
      'tidemark.json:3:3  extra: unknown key "extra" (allowed keys: "$schema", "metrics", "baseline", "concurrency", "sources", "defaultExcludes", "retention", "timezone", "share", "setup", "steps")',
    ].join('\n'),
  );
  const root = parseConfig('[]');
  assert.equal(!root.ok && formatProblems('a/tidemark.json', root.problems), 'a/tidemark.json:1:1  the configuration must be an object (got a list)');
  assert.equal(formatProblems('tidemark.json', []), '');
});
