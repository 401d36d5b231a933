// tidemark init proposes steps for the scripts that write the reports its metrics read.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { proposeSteps, type ReportReader } from '../../../src/core/init/steps';
import { removeDir, repoRoot, tempDir } from '../collectors/helpers';
import { createSampleProject } from '../collectors/sampleProject';

const cli = path.join(repoRoot, 'dist', 'cli.js');
let dir: string;

before(() => {
  dir = tempDir();
  createSampleProject(dir);
});
after(() => removeDir(dir));

function tidemark(...args: string[]) {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  delete env.CI;
  return spawnSync(process.execPath, [cli, ...args, '--cwd', dir], { encoding: 'utf8', env });
}

test('init on a project whose test script writes lcov and JUnit proposes a "test" step the report metrics depend on; collect runs it once', () => {
  const init = tidemark('init');
  assert.equal(init.status, 0, init.stderr);
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'tidemark.json'), 'utf8')) as {
    steps: Record<string, { command: string; outputs: string[] }>;
    metrics: Record<string, { dependsOn?: string }>;
  };
  assert.deepEqual(config.steps, { test: { command: 'npm run test', outputs: ['coverage/lcov.info', 'test-results/junit.xml'] } });
  const dependants = Object.entries(config.metrics).filter(([, m]) => m.dependsOn === 'test').map(([id]) => id);
  assert.deepEqual(dependants, ['coverage', 'test-count', 'test-failures', 'test-duration']);
  assert.match(init.stdout + init.stderr, /step "test" runs "npm run test", which writes coverage\/lcov\.info, test-results\/junit\.xml/);

  // An hour-old report must not matter: the step rewrites it during the run.
  const report = path.join(dir, 'coverage', 'lcov.info');
  const hourAgo = new Date(Date.now() - 3600_000);
  fs.utimesSync(report, hourAgo, hourAgo);
  const collect = tidemark('collect', '--json', '--only', 'coverage,test-count');
  assert.equal(collect.status, 0, collect.stderr);
  const results = (JSON.parse(collect.stdout) as { results: { metric: string; status: string; value: number }[] }).results;
  assert.deepEqual(results.map((r) => [r.metric, r.status]), [['coverage', 'ok'], ['test-count', 'ok']]);
  assert.ok(fs.statSync(report).mtimeMs > hourAgo.getTime() + 1000, 'the step rewrote the report');
});

test('proposeSteps: coverage tools and configs, JUnit reporters, and no step without a producing script', () => {
  const readers: ReportReader[] = [
    { metric: 'coverage', kind: 'coverage', files: ['coverage/lcov.info'] },
    { metric: 'test-count', kind: 'junit', files: ['junit.xml'] },
  ];
  const run = (s: string) => `npm run ${s}`;
  const nyc = proposeSteps(dir, { test: 'mocha', coverage: 'nyc --reporter=lcov mocha' }, readers, run);
  assert.deepEqual(nyc.steps, { coverage: { command: 'npm run coverage', outputs: ['coverage/lcov.info'] } });
  assert.deepEqual(nyc.dependsOn, { coverage: 'coverage' });
  assert.match(nyc.notes.join('\n'), /no package\.json script seems to write the JUnit report/);
  const jest = proposeSteps(dir, { 'test:ci': 'jest --ci --coverage --reporters=default --reporters=jest-junit' }, readers, run);
  assert.deepEqual(jest.steps, { test: { command: 'npm run test:ci', outputs: ['coverage/lcov.info', 'junit.xml'] } });
  assert.deepEqual(proposeSteps(dir, { test: 'node --test' }, readers, run).steps, {});
  assert.deepEqual(proposeSteps(dir, undefined, readers, run).steps, {});
});
