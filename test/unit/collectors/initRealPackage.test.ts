/**
 * `tidemark init` on a real TypeScript package as published on npm (domhandler: built with tsc
 * into lib/, `main`, `module` and `exports` pointing there, not into dist/), fetched from the
 * npm cache without the network. Init must propose the bundle metrics from lib/ and every
 * proposed metric must succeed, with the sizes computed here independently.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import { git, removeDir, repoRoot, tempDir } from './helpers';

const cli = path.join(repoRoot, 'dist', 'cli.js');
let dir: string;
let project: string;

function tidemark(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  delete env.CI;
  const run = spawnSync(process.execPath, [cli, ...args, '--cwd', project], { encoding: 'utf8', env });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

before(() => {
  assert.ok(fs.existsSync(cli), `${cli} is missing: run the build first`);
  dir = tempDir();
  const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/domhandler/package.json'), 'utf8')) as { version: string }).version;
  const pack = spawnSync('npm', ['pack', `domhandler@${version}`, '--offline', '--pack-destination', dir], { cwd: dir, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const tarball = path.join(dir, pack.stdout.trim().split('\n').pop()!);
  const untar = spawnSync('tar', ['xzf', tarball, '-C', dir], { encoding: 'utf8' });
  assert.equal(untar.status, 0, untar.stderr);
  project = path.join(dir, 'package');
  git(project, 'init', '-q', '-b', 'main');
  git(project, 'add', '-A');
  git(project, 'commit', '-qm', 'as published');
});
after(() => removeDir(dir));

function jsUnder(folder: string): string[] {
  return (fs.readdirSync(path.join(project, folder), { recursive: true }) as string[]).filter((f) => /\.(c|m)?js$/.test(f)).map((f) => path.join(project, folder, f));
}

test('init proposes bundle-size from lib/ (package.json main, module, exports) and every proposed metric succeeds', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')) as { exports: unknown; main: string };
  assert.match(JSON.stringify(pkg.exports), /\.\/lib\//, 'the package exports from lib/');
  assert.ok(!fs.existsSync(path.join(project, 'dist')));

  const init = tidemark('init');
  assert.equal(init.status, 0, init.stderr);
  assert.match(init.stderr, /build output found: \d+ JavaScript file\(s\) in lib\/ \(named by package\.json main, package\.json module, package\.json exports/);
  const written = JSON.parse(fs.readFileSync(path.join(project, 'tidemark.json'), 'utf8')) as { metrics: Record<string, { command?: string }> };
  assert.equal(written.metrics['bundle-size'].command, "@collect size 'lib/**/*.js'");
  assert.ok(written.metrics['bundle-size-gzip']);

  const collect = tidemark('collect', '--strict', '--json');
  assert.equal(collect.status, 0, `${collect.stderr}\n${collect.stdout}`);
  const { results } = JSON.parse(collect.stdout) as { results: { metric: string; status: string; value: number; message: string | null }[] };
  assert.deepEqual(results.map((r) => r.metric), Object.keys(written.metrics));
  for (const r of results) assert.equal(r.status, 'ok', `${r.metric}: ${r.message ?? ''}`);
  const value = Object.fromEntries(results.map((r) => [r.metric, r.value]));
  const lib = jsUnder('lib');
  assert.ok(lib.length >= 2);
  assert.equal(value['bundle-size'], lib.reduce((t, f) => t + fs.statSync(f).size, 0));
  assert.equal(value['bundle-size-gzip'], lib.reduce((t, f) => t + zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length, 0));
});
