/**
 * Per-line coverage (the editor's coverage gutter) from reports written by a real tool: c8,
 * V8 coverage through istanbul's reporters. Checked against c8's own "Uncovered Line #s"
 * column and the lcov summary records the tool writes.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CollectorError } from '../../../src/core/collect/collectors';
import { lineReportSpec, parseLineCoverage, readLineCoverage } from '../../../src/core/collect/collectors/coverage/lineCoverage';
import { binOf, removeDir, repoRoot, tempDir, writeFiles } from './helpers';
import { COVERAGE_LIB } from '../../fixtures/coverageLib';

let dir: string;
let outside: string;

const lib = COVERAGE_LIB;

/** Runs c8 and returns its text table (stdout). */
function c8(reportDir: string, script: string): string {
  return execFileSync(
    binOf('c8'),
    ['--reports-dir', reportDir, '--include', 'lib.js', '--reporter=lcov', '--reporter=cobertura', '--reporter=clover', '--reporter=json-summary', '--reporter=text', 'node', script],
    { cwd: dir, encoding: 'utf8' },
  );
}

/** c8's "Uncovered Line #s" for lib.js, expanded ("4-9,12" -> [4..9, 12]). */
function uncoveredColumn(table: string): number[] {
  const row = table.split('\n').find((l) => /^\s*lib\.js\s*\|/.test(l));
  assert.ok(row, `c8 printed no row for lib.js:\n${table}`);
  const cell = row.split('|').at(-1)!.trim();
  return cell === '' ? [] : cell.split(',').flatMap((range) => {
    const [from, to = from] = range.split('-').map(Number);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

/** The LF/LH summary records c8 wrote for lib.js. */
function lcovSummary(reportDir: string): { found: number; hit: number } {
  const text = fs.readFileSync(path.join(dir, reportDir, 'lcov.info'), 'utf8');
  return { found: Number(/^LF:(\d+)$/m.exec(text)![1]), hit: Number(/^LH:(\d+)$/m.exec(text)![1]) };
}

const tables: Record<string, string> = {};

before(() => {
  dir = fs.realpathSync(tempDir());
  outside = fs.realpathSync(tempDir());
  writeFiles(dir, {
    'lib.js': lib,
    'both.js': "const l = require('./lib'); l.add(1, 2); l.sign(1); l.sign(-1);\n",
    'adds.js': "require('./lib').add(1, 2);\n",
    'signs.js': "const l = require('./lib'); l.sign(1); l.sign(-1);\n",
  });
  for (const [reportDir, script] of [['cov-both', 'both.js'], ['cov-adds', 'adds.js'], ['cov-signs', 'signs.js']]) tables[reportDir] = c8(reportDir, script);
});
after(() => {
  removeDir(dir);
  removeDir(outside);
});

const signal = new AbortController().signal;

test('the uncovered lines of a real c8 lcov are exactly c8\'s own "Uncovered Line #s", covered + uncovered = LF, covered = LH', () => {
  const text = fs.readFileSync(path.join(dir, 'cov-both/lcov.info'), 'utf8');
  const files = parseLineCoverage('coverage-lcov', text, 'cov-both/lcov.info', dir);
  assert.deepEqual([...files.keys()], [path.join(dir, 'lib.js')]);
  const lines = files.get(path.join(dir, 'lib.js'))!;
  const expected = uncoveredColumn(tables['cov-both']);
  assert.ok(expected.length > 0, 'c8 reports some uncovered lines');
  assert.deepEqual(lines.uncovered, expected);
  const { found, hit } = lcovSummary('cov-both');
  assert.equal(lines.covered.length, hit);
  assert.equal(lines.covered.length + lines.uncovered.length, found);
});

test('cobertura and clover from the same c8 run give the same lines as its lcov', () => {
  const read = (collector: string, file: string) =>
    parseLineCoverage(collector, fs.readFileSync(path.join(dir, file), 'utf8'), file, dir).get(path.join(dir, 'lib.js'));
  const fromLcov = read('coverage-lcov', 'cov-both/lcov.info');
  assert.deepEqual(read('coverage-cobertura', 'cov-both/cobertura-coverage.xml')?.uncovered, fromLcov?.uncovered);
  assert.deepEqual(read('coverage-clover', 'cov-both/clover.xml')?.uncovered, fromLcov?.uncovered);
});

test('a metric command with two reports gives their union, like the metric: a line is uncovered only if both missed it', async () => {
  const both = await readLineCoverage('@collect coverage-lcov cov-adds/lcov.info cov-signs/lcov.info --type line', dir, signal);
  const lines = both.get(path.join(dir, 'lib.js'))!;
  const adds = uncoveredColumn(tables['cov-adds']);
  const signs = uncoveredColumn(tables['cov-signs']);
  assert.deepEqual(lines.uncovered, adds.filter((n) => signs.includes(n)));
  assert.ok(lines.uncovered.length < Math.min(adds.length, signs.length));
});

test('what the gutter cannot use is said clearly: summaries, other commands, reports outside the workspace, garbage', async () => {
  assert.deepEqual(lineReportSpec('@collect coverage-lcov "a b/lcov.info" --type branch'), { kind: 'lines', collector: 'coverage-lcov', files: ['a b/lcov.info'] });
  const summary = lineReportSpec('@collect coverage-istanbul coverage/coverage-summary.json');
  assert.equal(summary.kind, 'no-lines');
  assert.match(summary.kind === 'no-lines' ? summary.reason : '', /no lines/);
  assert.deepEqual(lineReportSpec('npm test'), { kind: 'not-coverage' });
  assert.deepEqual(lineReportSpec('@collect loc'), { kind: 'not-coverage' });
  await assert.rejects(readLineCoverage('@collect coverage-istanbul cov-both/coverage-summary.json', dir, signal), /json-summary report has per-file totals only/);

  fs.copyFileSync(path.join(dir, 'cov-both/lcov.info'), path.join(outside, 'lcov.info'));
  await assert.rejects(readLineCoverage(`@collect coverage-lcov ${path.join(outside, 'lcov.info')}`, dir, signal), (e) => e instanceof CollectorError && /outside/.test(e.message));
  fs.symlinkSync(path.join(outside, 'lcov.info'), path.join(dir, 'link.info'));
  await assert.rejects(readLineCoverage('@collect coverage-lcov link.info', dir, signal), (e) => e instanceof CollectorError && /outside/.test(e.message));

  writeFiles(dir, { 'garbage.info': 'this is not lcov\n' });
  await assert.rejects(readLineCoverage('@collect coverage-lcov garbage.info', dir, signal), /garbage\.info:1: not an LCOV record/);
  await assert.rejects(readLineCoverage('@collect coverage-lcov missing.info', dir, signal), /missing\.info does not exist/);
});

const FIXTURES = path.join(repoRoot, 'test', 'fixtures');

test('Go coverprofiles: the lines of each block, covered when any test binary ran it; checked against go tool cover -func', async () => {
  const goDir = fs.realpathSync(tempDir());
  try {
    fs.copyFileSync(path.join(FIXTURES, 'go/cover.out'), path.join(goDir, 'cover.out'));
    writeFiles(goDir, { 'go.mod': 'module example.com/shapes\n\ngo 1.19\n' });
    const files = await readLineCoverage('@collect coverage-go cover.out', goDir, signal);
    assert.deepEqual([...files.keys()].sort(), [path.join(goDir, 'geom/geom.go'), path.join(goDir, 'text/text.go')]);
    // cover.out (-coverpkg): every block twice, once per test binary; 24.2 ran only in the second.
    assert.deepEqual(files.get(path.join(goDir, 'geom/geom.go')), { covered: [4, 5, 8, 15, 16, 17, 18, 19, 20, 21, 22, 24], uncovered: [6, 7, 11, 12, 13] });
    assert.deepEqual(files.get(path.join(goDir, 'text/text.go')), { covered: [9, 10, 11, 13, 14, 15], uncovered: [17, 18, 19, 20, 21] });
    // go tool cover -func: the functions at 0.0% have every line uncovered, those at 100.0% none.
    const func = fs.readFileSync(path.join(FIXTURES, 'go/cover-func.txt'), 'utf8');
    for (const m of func.matchAll(/^example\.com\/shapes\/(\S+):(\d+):\s+\S+\s+([\d.]+)%$/gm)) {
      const lines = files.get(path.join(goDir, m[1]))!;
      const start = Number(m[2]);
      if (m[3] === '0.0') assert.ok(lines.uncovered.includes(start) || lines.uncovered.includes(start + 1), `${m[1]}:${start} is uncovered`);
      if (m[3] === '100.0') assert.ok(lines.covered.includes(start) && !lines.uncovered.includes(start + 1), `${m[1]}:${start} is covered`);
    }
    writeFiles(goDir, { 'bad.out': 'mode: set\nnot a block\n' });
    await assert.rejects(readLineCoverage('@collect coverage-go bad.out', goDir, signal), /bad\.out:2: .* is not a coverprofile block/);
  } finally {
    removeDir(goDir);
  }
});

test('coverage.py JSON: executed lines covered, missing lines not; the counts are coverage report\'s Stmts and Miss', async () => {
  const pyDir = fs.realpathSync(tempDir());
  try {
    fs.copyFileSync(path.join(FIXTURES, 'python/coverage.json'), path.join(pyDir, 'coverage.json'));
    const files = await readLineCoverage('@collect coverage-python coverage.json --type statement', pyDir, signal);
    assert.deepEqual(files.get(path.join(pyDir, 'pkg/calc.py')), { covered: [1, 2, 5, 6, 7, 8, 9, 13], uncovered: [10, 14, 15, 16, 17, 18] });
    const report = fs.readFileSync(path.join(FIXTURES, 'python/coverage-report.txt'), 'utf8');
    const rows = [...report.matchAll(/^(pkg\/\S+)\s+(\d+)\s+(\d+)\s/gm)];
    assert.equal(rows.length, 3);
    for (const [, file, stmts, miss] of rows) {
      const lines = files.get(path.join(pyDir, file))!;
      assert.deepEqual([lines.covered.length + lines.uncovered.length, lines.uncovered.length], [Number(stmts), Number(miss)], file);
    }
    assert.equal(lineReportSpec('@collect coverage-python coverage.json').kind, 'lines');
    writeFiles(pyDir, { 'odd.json': JSON.stringify({ files: { 'a.py': { executed_lines: ['x'], summary: { covered_lines: 0, num_statements: 0 } } } }) });
    await assert.rejects(readLineCoverage('@collect coverage-python odd.json', pyDir, signal), /"a\.py"\.executed_lines is not a list of line numbers/);
  } finally {
    removeDir(pyDir);
  }
});
