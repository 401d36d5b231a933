// `tidemark compare --files` and `check --markdown` name the files that moved a metric: a real
// git repository where a branch adds one file and grows another, collected by the built CLI.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { formatDelta } from '../../../src/core/units';
import { tempDir } from '../collect/helpers';

const root = path.resolve(__dirname, '../../../..');
const cli = path.join(root, 'dist', 'cli.js');
let tmp: { dir: string; cleanup(): void };
let repo: string;

function tidemark(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', [cli, ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, CI: '', GITHUB_HEAD_REF: '', GITHUB_REF_NAME: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: repo, encoding: 'utf8' }).trim();
}

const write = (rel: string, text: string): void => {
  mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
  writeFileSync(path.join(repo, rel), text);
};

before(() => {
  assert.ok(existsSync(cli) && statSync(cli).isFile(), 'dist/cli.js is built');
  tmp = tempDir();
  repo = path.join(tmp.dir, 'repo');
  mkdirSync(repo);
  git('init', '-q', '-b', 'main');
  write('.gitignore', '.tidemark/\n');
  write(
    'tidemark.json',
    JSON.stringify({
      metrics: {
        'bundle-size': { type: 'numeric', command: '@collect size "dist/**/*.js"', unit: 'bytes', direction: 'lower-is-better', thresholds: { maxIncreasePercent: 50 } },
        'bundle-gzip': { type: 'numeric', command: '@collect size "dist/**/*.js" --gzip', unit: 'bytes', direction: 'lower-is-better' },
        loc: { type: 'numeric', command: '@collect loc', unit: 'integer' },
      },
    }),
  );
  write('dist/app.js', `${'console.log("app");\n'.repeat(50)}`);
  write('dist/vendor.js', `${'var v = 1;\n'.repeat(200)}`);
  write('src/app.js', 'export const a = 1;\n');
  git('add', '-A');
  git('commit', '-qm', 'main');
  const first = tidemark(['collect']);
  assert.equal(first.code, 0, first.stderr);
  git('checkout', '-qb', 'feature');
  write('dist/app.js', `${'console.log("app");\n'.repeat(60)}`);
  write('dist/chunk-charts.js', `${'drawChart();\n'.repeat(80)}`);
  write('src/charts.js', 'export const c = 1;\nexport const d = 2;\n');
  git('add', '-A');
  git('commit', '-qm', 'charts');
  const collect = tidemark(['collect']);
  assert.equal(collect.code, 0, collect.stderr);
});
after(() => tmp.cleanup());

const size = (rel: string): number => statSync(path.join(repo, rel)).size;

test('compare --files names the new file and the grown one with their sizes', () => {
  const run = tidemark(['compare', '--base', 'main', '--head', 'feature', '--files']);
  assert.equal(run.code, 0, run.stderr);
  const grown = 10 * 'console.log("app");\n'.length;
  const added = size('dist/chunk-charts.js');
  const line = run.stdout.split('\n').find((l) => l.startsWith('bundle-size +'));
  assert.ok(line, run.stdout);
  const kb = (n: number): string => formatDelta(n, 'bytes');
  assert.equal(line, `bundle-size ${kb(added + grown)}: dist/chunk-charts.js ${kb(added)} (new), dist/app.js ${kb(grown)}`);
  assert.match(run.stdout, /^loc \+2: src\/charts\.js \+2 \(new\)$/m);

  const json = JSON.parse(tidemark(['compare', '--base', 'main', '--head', 'feature', '--files', '--json']).stdout) as { metrics: { metric: string; parts?: { name: string; base: number | null; head: number | null; delta: number }[] }[] };
  const gzip = json.metrics.find((m) => m.metric === 'bundle-gzip')!;
  const gz = (rel: string): number => zlib.gzipSync(readFileSync(path.join(repo, rel)), { level: 9 }).length;
  assert.deepEqual(gzip.parts?.find((p) => p.name === 'dist/chunk-charts.js'), { name: 'dist/chunk-charts.js', base: null, head: gz('dist/chunk-charts.js'), delta: gz('dist/chunk-charts.js') });
  // Without --files the JSON is as before.
  const plain = JSON.parse(tidemark(['compare', '--base', 'main', '--head', 'feature', '--json']).stdout) as { metrics: object[] };
  assert.ok(plain.metrics.every((m) => !('parts' in m)));
});

test('check --markdown lists the top files that moved each metric', () => {
  const run = tidemark(['check', '--base', 'main', '--head', 'feature', '--markdown']);
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  assert.match(run.stdout, /<summary>What moved<\/summary>/);
  const line = run.stdout.split('\n').find((l) => l.startsWith('- bundle\\-size'));
  assert.ok(line, run.stdout);
  assert.match(line, /dist\/chunk\\-charts\\\.js \\\+1\\\.04 kB \\\(new\\\), dist\/app\\\.js \\\+200 B/);
});
