/**
 * A small real npm project for the Create Config tests: sources with comments and TODOs, a
 * build script writing dist/, mocha tests run under c8 writing lcov, a coverage summary and a
 * JUnit (xunit) report. node_modules links to Tidemark's own, which has mocha and c8.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { git, initGitRepo, repoRoot, writeFiles } from './helpers';

export const SAMPLE_SOURCES: Record<string, string> = {
  'src/math.js': [
    '// Arithmetic helpers.',
    'function add(a, b) {',
    '  return a + b;',
    '}',
    '',
    '/* Not covered by the tests. */',
    'function divide(a, b) {',
    "  if (b === 0) throw new Error('division by zero'); // TODO: return NaN?",
    '  return a / b;',
    '}',
    '',
    'module.exports = { add, divide };',
  ].join('\n'),
  'src/text.js': [
    "const SEP = '//'; // a comment marker inside a string is code",
    'function join(parts) {',
    '  return parts.join(SEP); // FIXME: escape SEP',
    '}',
    'module.exports = { join };',
  ].join('\n'),
  'test/math.test.js': [
    "const assert = require('node:assert');",
    "const { add } = require('../src/math');",
    "const { join } = require('../src/text');",
    "describe('math', () => {",
    "  it('adds', () => assert.equal(add(1, 2), 3));",
    "  it('joins', () => assert.equal(join(['a', 'b']), 'a//b'));",
    "  it.skip('divides', () => {});",
    '});',
  ].join('\n'),
  'build.js': [
    "const fs = require('node:fs');",
    "fs.mkdirSync('dist/chunks', { recursive: true });",
    "const banner = '/* built */\\n';",
    "fs.writeFileSync('dist/app.js', banner + fs.readFileSync('src/math.js', 'utf8').repeat(20));",
    "fs.writeFileSync('dist/chunks/text.js', banner + fs.readFileSync('src/text.js', 'utf8'));",
    "fs.writeFileSync('dist/app.css', 'body { margin: 0 }');",
  ].join('\n'),
  '.gitignore': 'node_modules\ndist/\ncoverage/\ntest-results/\n.tidemark/\n',
  'README.md': '# sample\n',
};

export const SAMPLE_PACKAGE = {
  name: 'sample',
  version: '1.0.0',
  private: true,
  scripts: {
    build: 'node build.js',
    test: 'c8 --reporter=lcov --reporter=json-summary --include=src mocha --reporter xunit --reporter-option output=test-results/junit.xml test/',
  },
  dependencies: { picomatch: '^4.0.0', ignore: '^7.0.0' },
  devDependencies: { c8: '^12.0.0', mocha: '^12.0.0' },
};

/** Writes, commits, builds and tests the project in dir. */
export function createSampleProject(dir: string, options: { build?: boolean; test?: boolean; install?: boolean } = {}): void {
  writeFiles(dir, { ...SAMPLE_SOURCES, 'package.json': `${JSON.stringify(SAMPLE_PACKAGE, null, 2)}\n` });
  initGitRepo(dir);
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'sample project');
  if (options.install ?? true) fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  if (options.build ?? true) npm(dir, 'run', 'build');
  if (options.test ?? true) npm(dir, 'test');
}

export function npm(dir: string, ...args: string[]): void {
  const env = { ...process.env };
  // A child test runner must not report into the node:test run executing this file.
  delete env.NODE_TEST_CONTEXT;
  const run = spawnSync('npm', args, { cwd: dir, encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${dir}: ${run.stderr}\n${run.stdout}`);
}
