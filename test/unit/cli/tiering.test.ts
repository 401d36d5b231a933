import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { command as importCommand } from '../../../src/cli/commands/import';
import { IMPORT_OPTIONS, OPTIMIZED_IMPORT_BYTES, optimizeWasm } from '../../../src/cli/tiering';
import { tempDir } from '../collect/helpers';

test('only an import of a large file lets V8 optimize sql.js; small files, other commands and mistakes keep Liftoff only', () => {
  const { dir, cleanup } = tempDir();
  try {
    const large = path.join(dir, 'large.jsonl');
    const small = path.join(dir, 'small.jsonl');
    // Sparse: the size is what counts.
    fs.writeFileSync(large, '');
    fs.truncateSync(large, OPTIMIZED_IMPORT_BYTES);
    fs.writeFileSync(small, '{}\n');
    assert.equal(optimizeWasm(['import', large], '/'), true);
    assert.equal(optimizeWasm(['import', 'large.jsonl', '--skip-invalid', '--json'], dir), true, 'relative to the working directory');
    assert.equal(optimizeWasm(['import', '--cwd', dir, 'large.jsonl', '--db', 'x.db'], '/'), true, 'relative to --cwd');
    assert.equal(optimizeWasm(['import', small], '/'), false);
    assert.equal(optimizeWasm(['import', '--db', large, small], '/'), false, 'the file imported decides, not the store');
    assert.equal(optimizeWasm(['import', path.join(dir, 'missing.jsonl')], '/'), false);
    assert.equal(optimizeWasm(['import', large, '--bogus'], '/'), false);
    assert.equal(optimizeWasm(['import', large, small], '/'), false);
    assert.equal(optimizeWasm(['export', large], '/'), false);
    assert.equal(optimizeWasm([], '/'), false);
  } finally {
    cleanup();
  }
});

test('tiering knows the import command\'s options', () => {
  assert.deepEqual(IMPORT_OPTIONS, importCommand.options);
});
