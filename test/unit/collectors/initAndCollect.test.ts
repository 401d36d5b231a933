/**
 * End to end through the real CLI: `tidemark init` on a real small npm project (build, mocha
 * tests under c8 with lcov and JUnit output), then `tidemark collect`. Every metric must end
 * `ok` with the value computed here independently of Tidemark.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import { git, removeDir, repoRoot, tempDir, binOf } from './helpers';
import { createSampleProject, SAMPLE_PACKAGE } from './sampleProject';

const cli = path.join(repoRoot, 'dist', 'cli.js');
let dir: string;

function tidemark(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return tidemarkIn(dir, ...args);
}

function tidemarkIn(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  delete env.CI;
  const run = spawnSync(process.execPath, [cli, ...args, '--cwd', cwd], { encoding: 'utf8', env });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

before(() => {
  assert.ok(fs.existsSync(cli), `${cli} is missing: run the build first (npm run build)`);
  dir = tempDir();
  createSampleProject(dir);
});
after(() => removeDir(dir));

/** Files the project has for Tidemark's default scope, listed by git itself. */
function gitFiles(): string[] {
  return git(dir, 'ls-files', '--cached', '--others', '--exclude-standard').split('\n').filter((f) => f !== '');
}

function jsFilesIn(folder: string): string[] {
  return (fs.readdirSync(path.join(dir, folder), { recursive: true }) as string[]).filter((f) => f.endsWith('.js')).map((f) => path.join(dir, folder, f));
}

test('init --dry-run prints the config and writes nothing', () => {
  const run = tidemark('init', '--dry-run');
  assert.equal(run.status, 0, run.stderr);
  assert.ok(!fs.existsSync(path.join(dir, 'tidemark.json')));
  const printed = JSON.parse(run.stdout) as { metrics: Record<string, { $ref: string }> };
  assert.equal(printed.metrics.coverage.$ref, 'coverage');
  assert.match(run.stderr, /dry run/);
});

test('init writes tidemark.json and the first collect records every metric ok with the expected values', () => {
  const init = tidemark('init');
  assert.equal(init.status, 0, init.stderr);
  const written = JSON.parse(fs.readFileSync(path.join(dir, 'tidemark.json'), 'utf8')) as { metrics: Record<string, unknown> };
  assert.deepEqual(Object.keys(written.metrics), ['build-time', 'bundle-size', 'bundle-size-gzip', 'coverage', 'test-count', 'test-failures', 'test-duration', 'loc', 'files', 'todo-count', 'dependencies']);
  assert.equal(tidemark('init').status, 2, 'init refuses to overwrite without --force');

  const started = Date.now();
  const collect = tidemark('collect', '--json');
  const wall = (Date.now() - started) / 1000;
  assert.equal(collect.status, 0, collect.stderr);
  const { results } = JSON.parse(collect.stdout) as { results: { metric: string; status: string; value: number; message: string | null }[] };
  const value = Object.fromEntries(results.map((r) => [r.metric, r.value]));
  for (const r of results) assert.equal(r.status, 'ok', `${r.metric}: ${r.status} ${r.message ?? ''}`);

  const dist = jsFilesIn('dist');
  assert.equal(value['bundle-size'], dist.reduce((t, f) => t + fs.statSync(f).size, 0));
  assert.equal(value['bundle-size-gzip'], dist.reduce((t, f) => t + zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length, 0));

  const summary = JSON.parse(fs.readFileSync(path.join(dir, 'coverage/coverage-summary.json'), 'utf8')) as { total: { lines: { covered: number; total: number } } };
  const lines = summary.total.lines;
  assert.ok(lines.covered < lines.total, 'the sample is partly covered');
  assert.equal(value.coverage, Math.round((lines.covered / lines.total) * 100 * 1e4) / 1e4);

  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const mocha = JSON.parse(spawnSync(binOf('mocha'), ['--reporter', 'json', 'test/'], { cwd: dir, encoding: 'utf8', env }).stdout) as { stats: { tests: number; failures: number } };
  assert.equal(value['test-count'], mocha.stats.tests);
  assert.equal(value['test-failures'], mocha.stats.failures);
  const junit = fs.readFileSync(path.join(dir, 'test-results/junit.xml'), 'utf8');
  assert.equal(value['test-duration'], Number(/<testsuite [^>]*\btime="([\d.]+)"/.exec(junit)?.[1]));

  assert.ok(value['build-time'] > 0 && value['build-time'] < wall, `build-time ${value['build-time']} s within the ${wall} s collect`);

  // The source scope leaves out tidemark.json and the reports the metrics read (docs/collectors.md).
  const files = gitFiles().filter((f) => f !== 'tidemark.json' && !f.startsWith('test-results/') && !f.startsWith('coverage/'));
  assert.ok(gitFiles().includes('tidemark.json'));
  assert.equal(value.files, files.length);
  const code = files.filter((f) => f.endsWith('.js'));
  const codeLines = code.flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n')).filter((l) => {
    const t = l.trim();
    return t !== '' && !t.startsWith('//') && !(t.startsWith('/*') && t.endsWith('*/'));
  });
  assert.equal(value.loc, codeLines.length);
  const markers = files.reduce((n, f) => n + (fs.readFileSync(path.join(dir, f), 'utf8').match(/\b(TODO|FIXME)\b/g)?.length ?? 0), 0);
  assert.ok(markers > 0);
  assert.equal(value['todo-count'], markers);
  assert.equal(value.dependencies, Object.keys(SAMPLE_PACKAGE.dependencies).length);
});

test('in a fresh clone of a real project (Tidemark itself) every proposed metric succeeds on the first run', () => {
  const clone = tempDir();
  try {
    git(clone, 'clone', '-q', repoRoot, '.');
    const init = tidemarkIn(clone, 'init');
    assert.equal(init.status, 0, init.stderr);
    assert.match(init.stderr, /left out build-time: .*node_modules is missing/);
    const collect = tidemarkIn(clone, 'collect', '--strict', '--json');
    assert.equal(collect.status, 0, `${collect.stderr}\n${collect.stdout}`);
    const { results } = JSON.parse(collect.stdout) as { results: { metric: string; status: string }[] };
    assert.deepEqual(results.map((r) => r.metric), ['loc', 'files', 'todo-count', 'dependencies']);
    assert.deepEqual(new Set(results.map((r) => r.status)), new Set(['ok']));
  } finally {
    removeDir(clone);
  }
});
