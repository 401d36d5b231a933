import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onlyProblem, problemsOf, validConfig } from './helpers';

test('line and block comments are accepted and positions after them stay exact', () => {
  const config = validConfig(`// Tidemark metrics
{
  /* sizes */ "metrics": { "size": { "type": "numeric", "command": "du -sb dist" } } // the only one
}`);
  assert.deepEqual(Object.keys(config.metrics), ['size']);

  const p = onlyProblem(`// Tidemark metrics
{
  /* the one metric */ "metrics": { "m": { "type": "numeric", "command": "x", "timeout": 0 } }
}`);
  assert.deepEqual([p.path, p.line, p.column], ['metrics.m.timeout', 3, 90]);
});

test('a trailing comma is a problem at the comma, and the rest of the file is still checked', () => {
  const problems = problemsOf(`{
  "metrics": {
    "m": { "type": "numeric", "command": "x", "timeout": 0, },
  },
}`);
  assert.deepEqual(
    problems.map((p) => [p.line, p.column, p.length, p.path, p.message]),
    [
      [3, 58, 1, 'metrics.m.timeout', '"timeout" must be at least 1 ms (got 0)'],
      [3, 59, 1, 'metrics.m', 'trailing comma before "}" is not allowed: remove it'],
      [3, 62, 1, 'metrics', 'trailing comma before "}" is not allowed: remove it'],
      [4, 4, 1, '', 'trailing comma before "}" is not allowed: remove it'],
    ],
  );
  const list = onlyProblem('{"metrics": {"m": {"type": "numeric", "command": "x", "onSave": ["a", ]}}}');
  assert.deepEqual([list.column, list.path, list.message], [69, 'metrics.m.onSave', 'trailing comma before "]" is not allowed: remove it']);
});

test('every syntax error is reported with its position, and no schema problem is guessed from a broken file', () => {
  const problems = problemsOf(`{
  "metrics": {
    "m": { "type": "numeric" "command": "x" },
    "n": { "type": 'label', "command": "y" }
  }
}`);
  assert.deepEqual(
    problems.map((p) => [p.line, p.column, p.path, p.message]),
    [
      [3, 30, 'metrics.m.command', 'expected "," between two entries'],
      [4, 20, 'metrics.n.type', `'label' must be in double quotes`],
    ],
  );
});

test('an unclosed object, an unclosed comment and an unclosed string are located', () => {
  assert.deepEqual(
    problemsOf('{"metrics": {"m": {"type": "numeric", "command": "x"}}').map((p) => [p.line, p.column, p.message]),
    [[1, 55, 'expected "}" to close the object']],
  );
  const comment = problemsOf('{"metrics": {} /* unfinished');
  assert.deepEqual(comment[0] && [comment[0].column, comment[0].message], [16, 'the comment is not closed (missing "*/")']);
  const text = problemsOf('{"metrics": {"m": {"type": "numeric", "command": "x\n}}}');
  assert.deepEqual(text[0] && [text[0].line, text[0].column, text[0].path], [1, 50, 'metrics.m.command']);
});

test('a bare word or single quotes are told to use double quotes, one problem per mistake', () => {
  const [first] = problemsOf('{metrics: {}}');
  assert.deepEqual([first.column, first.length, first.message], [2, 7, 'unexpected "metrics": strings and keys must be in double quotes']);
  const p = onlyProblem(`{"metrics": {"m": {"type": 'label', "command": "x"}}}`);
  assert.deepEqual([p.column, p.length, p.message], [28, 7, "'label' must be in double quotes"]);
});

test('an empty file and text after the object are explained', () => {
  assert.deepEqual(
    problemsOf('  \n').map((p) => [p.line, p.column, p.message]),
    [[2, 1, 'the file is empty: expected a JSON object such as { "metrics": { ... } }']],
  );
  const extra = onlyProblem('{"metrics": {"m": {"type": "label", "command": "x"}}} }');
  assert.equal(extra.column, 55);
});

test('Windows line endings give the same lines and columns', () => {
  const p = onlyProblem('{\r\n  "metrics": {}\r\n}\r\n');
  assert.deepEqual([p.line, p.column, p.endLine, p.endColumn], [2, 14, 2, 16]);
});

test('a byte order mark does not shift positions', () => {
  const p = onlyProblem('\uFEFF{"metrics": {}}');
  assert.deepEqual([p.line, p.column, p.offset], [1, 14, 13]);
});
