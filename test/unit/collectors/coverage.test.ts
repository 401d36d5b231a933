/**
 * Coverage parsers against reports written by a real tool (c8, i.e. V8 coverage through
 * istanbul's reporters), checked against the tool's own summary figures.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CollectorError, runCollector } from '../../../src/core/collect/collectors';
import { binOf, context, removeDir, tempDir, writeFiles } from './helpers';
import { COVERAGE_LIB } from '../../fixtures/coverageLib';

let dir: string;

const lib = COVERAGE_LIB;

function c8(reportDir: string, script: string): void {
  execFileSync(binOf('c8'), ['--reports-dir', reportDir, '--include', 'lib.js', '--reporter=lcov', '--reporter=cobertura', '--reporter=clover', '--reporter=json-summary', 'node', script], { cwd: dir, stdio: 'ignore' });
}

type Summary = Record<string, Record<'lines' | 'branches' | 'functions' | 'statements', { total: number; covered: number; pct: number }>>;
const summaryOf = (reportDir: string): Summary => JSON.parse(fs.readFileSync(path.join(dir, reportDir, 'coverage-summary.json'), 'utf8')) as Summary;
const pct = (c: { covered: number; total: number }): number => Math.round((c.covered / c.total) * 100 * 1e4) / 1e4;

before(() => {
  dir = tempDir();
  writeFiles(dir, {
    'lib.js': lib,
    'both.js': "const l = require('./lib'); l.add(1, 2); l.sign(1); l.sign(-1);\n",
    'adds.js': "require('./lib').add(1, 2);\n",
    'signs.js': "const l = require('./lib'); l.sign(1); l.sign(-1);\n",
  });
  c8('cov-both', 'both.js');
  c8('cov-adds', 'adds.js');
  c8('cov-signs', 'signs.js');
});
after(() => removeDir(dir));

async function collect(...argv: string[]): Promise<number> {
  return Number(await runCollector(argv, context(dir)));
}

test('lcov, cobertura, clover and coverage-summary from one c8 run give the tool\'s own line percentage', async () => {
  const total = summaryOf('cov-both').total;
  assert.ok(total.lines.covered > 0 && total.lines.covered < total.lines.total, 'the fixture is partly covered');
  const expected = pct(total.lines);
  assert.equal(await collect('coverage-lcov', 'cov-both/lcov.info'), expected);
  assert.equal(await collect('coverage-cobertura', 'cov-both/cobertura-coverage.xml'), expected);
  assert.equal(await collect('coverage-clover', 'cov-both/clover.xml'), expected);
  assert.equal(await collect('coverage-istanbul', 'cov-both/coverage-summary.json'), expected);
});

test('branch and function coverage match the tool\'s summary in every format', async () => {
  const total = summaryOf('cov-both').total;
  for (const [type, key] of [['branch', 'branches'], ['function', 'functions']] as const) {
    const expected = pct(total[key]);
    assert.equal(await collect('coverage-lcov', 'cov-both/lcov.info', '--type', type), expected, `lcov ${type}`);
    assert.equal(await collect('coverage-cobertura', 'cov-both/cobertura-coverage.xml', '--type', type), expected, `cobertura ${type}`);
    assert.equal(await collect('coverage-clover', 'cov-both/clover.xml', '--type', type), expected, `clover ${type}`);
    assert.equal(await collect('coverage-istanbul', 'cov-both/coverage-summary.json', '--type', type), expected, `summary ${type}`);
  }
});

test('several reports merge as a union per file: two partial runs equal the combined run, not the average', async () => {
  const combined = pct(summaryOf('cov-both').total.lines);
  const average = (pct(summaryOf('cov-adds').total.lines) + pct(summaryOf('cov-signs').total.lines)) / 2;
  assert.notEqual(combined, average);
  assert.equal(await collect('coverage-lcov', 'cov-adds/lcov.info', 'cov-signs/lcov.info'), combined);
  assert.equal(await collect('coverage-cobertura', 'cov-adds/cobertura-coverage.xml', 'cov-signs/cobertura-coverage.xml'), combined);
  assert.equal(await collect('coverage-clover', 'cov-adds/clover.xml', 'cov-signs/clover.xml'), combined);
  const branches = pct(summaryOf('cov-both').total.branches);
  assert.equal(await collect('coverage-lcov', 'cov-adds/lcov.info', 'cov-signs/lcov.info', '--type', 'branch'), branches);
});

test('config sources limit which source files count', async () => {
  writeFiles(dir, {
    'two.info': ['SF:src/a.js', 'DA:1,1', 'DA:2,0', 'end_of_record', 'SF:vendor/b.js', 'DA:1,0', 'DA:2,0', 'end_of_record', ''].join('\n'),
  });
  assert.equal(await collect('coverage-lcov', 'two.info'), 25);
  // Dependencies and build output never count, whatever the report says; files elsewhere do.
  writeFiles(dir, {
    'deps.info': ['SF:src/a.js', 'DA:1,1', 'end_of_record', 'SF:node_modules/x/i.js', 'DA:1,0', 'end_of_record', 'SF:dist/a.js', 'DA:1,0', 'end_of_record', 'SF:/elsewhere/b.js', 'DA:1,0', 'end_of_record', ''].join('\n'),
    'total-only.json': JSON.stringify({ total: { lines: { total: 4, covered: 3, skipped: 0, pct: 75 } } }),
  });
  assert.equal(await collect('coverage-lcov', 'deps.info'), 50);
  assert.equal(await collect('coverage-istanbul', 'total-only.json'), 75);
  assert.equal(Number(await runCollector(['coverage-lcov', 'two.info'], context(dir, { sources: ['src/**'] }))), 50);
  // Nothing left in scope is not 0% or 100%: there is nothing to measure.
  await assert.rejects(runCollector(['coverage-istanbul', 'cov-both/coverage-summary.json'], context(dir, { sources: ['!lib.js'] })), /no lines to measure/);
});

async function invalid(argv: string[]): Promise<string> {
  try {
    await runCollector(argv, context(dir));
  } catch (e) {
    assert.ok(e instanceof CollectorError, String(e));
    return e.message;
  }
  return assert.fail('expected invalid output');
}

test('empty, truncated and foreign files are invalid output with the reason', async () => {
  const whole = fs.readFileSync(path.join(dir, 'cov-both/cobertura-coverage.xml'), 'utf8');
  const lcov = fs.readFileSync(path.join(dir, 'cov-both/lcov.info'), 'utf8');
  writeFiles(dir, {
    'empty.xml': '',
    'blank.info': '\n  \n',
    'truncated.xml': whole.slice(0, Math.floor(whole.length / 2)),
    'truncated.info': lcov.slice(0, lcov.lastIndexOf('end_of_record')),
    'html.info': '<html><body>Coverage</body></html>\n',
    'bad-da.info': 'SF:a.js\nDA:one,1\nend_of_record\n',
    'junit.xml': '<testsuites><testsuite name="x" tests="0"/></testsuites>',
    'summary.json': '{"lines": 3}',
    'zero.info': 'SF:a.js\nend_of_record\n',
  });
  assert.match(await invalid(['coverage-cobertura', 'empty.xml']), /empty\.xml is empty/);
  assert.match(await invalid(['coverage-lcov', 'blank.info']), /blank\.info is empty/);
  assert.match(await invalid(['coverage-cobertura', 'truncated.xml']), /truncated\.xml is not well-formed XML \(line \d+, column \d+\)/);
  assert.match(await invalid(['coverage-lcov', 'truncated.info']), /no end_of_record/);
  assert.match(await invalid(['coverage-lcov', 'html.info']), /html\.info:1: not an LCOV record/);
  assert.match(await invalid(['coverage-lcov', 'bad-da.info']), /bad-da\.info:2: expected a whole number$/);
  assert.match(await invalid(['coverage-cobertura', 'junit.xml']), /not a Cobertura report/);
  assert.match(await invalid(['coverage-clover', 'cov-both/cobertura-coverage.xml']), /not a Clover report/);
  assert.match(await invalid(['coverage-istanbul', 'summary.json']), /not an istanbul coverage summary/);
  assert.match(await invalid(['coverage-istanbul', 'cov-both/lcov.info']), /not valid JSON/);
  assert.match(await invalid(['coverage-lcov', 'zero.info']), /has no lines to measure/);
  assert.match(await invalid(['coverage-lcov', 'missing.info']), /missing\.info does not exist/);
  assert.match(await invalid(['coverage-lcov', 'cov-both/lcov.info', '--type', 'statement']), /--type must be one of line, branch, function/);
});
