import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitArgv } from '../../../src/core/collect/argv';

test('splits on whitespace and honours quotes and backslashes like a shell', () => {
  assert.deepEqual(splitArgv('@collect  size   dist/*.js'), ['@collect', 'size', 'dist/*.js']);
  assert.deepEqual(splitArgv(`@collect loc 'src dir' "a \\"b\\" c" x\\ y ''`), ['@collect', 'loc', 'src dir', 'a "b" c', 'x y', '']);
  assert.deepEqual(splitArgv(`a"b"'c'd`), ['abcd']);
  assert.deepEqual(splitArgv(`"$HOME;rm -rf" \`x\``), ['$HOME;rm -rf', '`x`']);
  assert.deepEqual(splitArgv('   '), []);
});

test('rejects unterminated quotes and a trailing backslash', () => {
  assert.throws(() => splitArgv(`a 'b`), /unterminated ' quote at character 3/);
  assert.throws(() => splitArgv('a "b'), /unterminated " quote/);
  assert.throws(() => splitArgv('a \\'), /backslash ends/);
});
