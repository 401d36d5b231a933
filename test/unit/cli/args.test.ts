import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../../src/cli/args';
import { UsageError } from '../../../src/cli/errors';
import { formatTable } from '../../../src/cli/table';

const options = { base: 'string', json: 'boolean', out: 'string' } as const;

test('flags with separate or inline values, booleans, positionals and --', () => {
  assert.deepEqual(parseArgs(['--base', 'main', 'file.jsonl', '--json', '--out=x.jsonl', '--', '--not-a-flag'], options), {
    flags: { base: 'main', json: true, out: 'x.jsonl' },
    positionals: ['file.jsonl', '--not-a-flag'],
  });
  assert.deepEqual(parseArgs(['-h', '-'], options), { flags: { help: true }, positionals: ['-'] });
  assert.deepEqual(parseArgs(['--base=feat;rm -rf "x"'], options).flags, { base: 'feat;rm -rf "x"' });
});

test('mistakes are usage errors that name the flag', () => {
  const cases: [string[], RegExp][] = [
    [['--bogus'], /unknown option --bogus/],
    [['-x'], /unknown option -x/],
    [['--base'], /--base needs a value/],
    [['--base', '--json'], /--base needs a value/],
    [['--base='], /--base needs a value/],
    [['--json=yes'], /--json takes no value/],
    [['--base', 'a', '--base', 'b'], /--base is given more than once/],
    [['--toString'], /unknown option --toString/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(() => parseArgs(argv, options), (e: unknown) => e instanceof UsageError && message.test(e.message), argv.join(' '));
  }
});

test('tables align columns, right-aligned where asked, by characters not bytes', () => {
  const text = formatTable(['Metric', 'Value'], [['size', '1.2 MB'], ['coverage–µ', '85%']], ['left', 'right']);
  assert.equal(text, ['Metric       Value', '----------  ------', 'size        1.2 MB', 'coverage–µ     85%'].join('\n'));
});
