#!/usr/bin/env node
// Runs Tidemark's checks and test suites in order and ends with one total line.
//   node scripts/test-all.mjs                 every stage
//   node scripts/test-all.mjs unit webview    only these suites (after build + compile)
// Stages: typecheck, typecheck-webview, lint, build, compile, unit, reliability, webview, integration, e2e.
// The reliability suite (issue 17: kill -9, full disks, PID namespaces, signals, hostile input)
// mounts tmpfs and unshares PID namespaces: it needs root, which CI has; without root those
// tests fail saying so (TIDEMARK_RELIABILITY_WITHOUT_ROOT=1 skips them explicitly).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureDependencies } from './ensure-deps.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
ensureDependencies(root);
const results = path.join(root, 'test-results');
mkdirSync(results, { recursive: true });

const checks = {
  typecheck: ['npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  // The report app runs in a browser: its own project adds the DOM library.
  'typecheck-webview': ['npx', ['tsc', '-p', 'webview/tsconfig.json']],
  lint: ['npx', ['eslint', '--max-warnings=0', '.']],
  build: ['node', ['esbuild.mjs']],
  compile: ['npx', ['tsc', '-p', 'tsconfig.test.json']],
};

/** Suites run by node's test runner over compiled tests in out/test/<suite>. */
const nodeSuites = ['unit', 'reliability', 'webview', 'e2e'];
/** Per-test deadline, so a hung browser or editor fails its test instead of stalling the run. */
const testTimeoutMs = { unit: 120_000, reliability: 120_000, webview: 300_000, e2e: 300_000 };
/** The integration suite runs inside a real VS Code extension host; its driver writes mocha's JSON. */
const integration = {
  command: ['node', ['out/test/e2e/harness/runIntegration.js']],
  resultFile: path.join(results, 'integration', 'mocha.json'),
};
const allSuites = ['unit', 'reliability', 'webview', 'integration', 'e2e'];

const requested = process.argv.slice(2);
const suites = requested.length ? requested : allSuites;
for (const s of suites) {
  if (!allSuites.includes(s)) {
    console.error(`unknown suite "${s}" (known: ${allSuites.join(', ')})`);
    process.exit(2);
  }
}
const stages = requested.length ? ['build', 'compile'] : ['typecheck', 'typecheck-webview', 'lint', 'build', 'compile'];

let passed = 0;
let failed = 0;
const failures = [];
const started = Date.now();

function run(label, cmd, args) {
  const t0 = Date.now();
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  const ok = r.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return ok;
}

function hasTests(dir) {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.test.js'));
}

for (const stage of stages) {
  const [cmd, args] = checks[stage];
  // Compiled tests of deleted or moved sources would otherwise linger in out/ and still run.
  if (stage === 'compile') rmSync(path.join(root, 'out'), { recursive: true, force: true });
  // Checks are not tests: they add to the failures when they fail, never to the passes.
  if (!run(stage, cmd, args)) {
    failed++;
    failures.push(stage);
    if (stage === 'build' || stage === 'compile') break;
  }
}

if (!failures.includes('build') && !failures.includes('compile')) {
  for (const suite of suites) {
    if (suite === 'integration') {
      rmSync(integration.resultFile, { force: true });
      const ok = run(suite, ...integration.command);
      if (existsSync(integration.resultFile)) {
        const stats = JSON.parse(readFileSync(integration.resultFile, 'utf8')).stats;
        passed += stats.passes;
        failed += stats.failures;
        if (stats.failures || !ok) failures.push(suite);
        if (!ok && !stats.failures) failed++;
      } else {
        failed++;
        failures.push(`${suite} (no results written)`);
      }
      continue;
    }
    const dir = path.join('out', 'test', suite);
    if (suite === 'reliability') rmSync(path.join(results, 'reliability-figures.txt'), { force: true });
    if (!hasTests(path.join(root, dir))) {
      console.log(`\n(no ${suite} tests yet)`);
      continue;
    }
    const tap = path.join(results, `${suite}.tap`);
    const ok = run(suite, 'node', [
      '--test',
      '--test-concurrency=1',
      `--test-timeout=${testTimeoutMs[suite]}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      dir,
    ]);
    const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
    const count = (key) => Number((text.match(new RegExp(`^# ${key} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
    const p = count('pass');
    const f = count('fail') + count('cancelled');
    passed += p;
    failed += f;
    if (!ok || f) failures.push(suite);
    if (!ok && !f) failed++;
  }
}

const secs = ((Date.now() - started) / 1000).toFixed(0);
if (failures.length) console.log(`\nfailed: ${failures.join(', ')} (${secs} s)`);
else console.log(`\nall green (${secs} s)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed || failures.length ? 1 : 0);
