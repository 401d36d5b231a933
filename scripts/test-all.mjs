#!/usr/bin/env node
// Runs Tidemark's checks and test suites in order and ends with one total line.
//   node scripts/test-all.mjs                 every stage
//   node scripts/test-all.mjs unit webview    only these suites (after build + compile)
// Stages: typecheck, typecheck-webview, lint, build, compile, unit, process, reliability, webview, integration, e2e.
// The process suite (test/process) runs the built `tidemark` as processes against real git
// remotes and worktrees — sharing, backfill, the GitHub Action: scenario files of a minute or two.
// The reliability suite (issue 17: kill -9, full disks, PID namespaces, signals, hostile input)
// mounts tmpfs and unshares PID namespaces: it needs root, which CI has; without root those
// tests fail saying so (TIDEMARK_RELIABILITY_WITHOUT_ROOT=1 skips them explicitly).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureDependencies } from './ensure-deps.mjs';
import { runCaptured } from './run-captured.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// On a fresh clone esbuild's install script runs beside the checks. better-sqlite3 (native SQLite)
// is not built here: the tests read store files with Debian's sqlite3 shell; only the bench loads it.
const nativeModules = ensureDependencies(root, { scriptsInBackground: true });
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
const nodeSuites = ['unit', 'process', 'reliability', 'webview', 'e2e'];
/** Per-test deadline, so a hung browser or editor fails its test instead of stalling the run. */
const testTimeoutMs = { unit: 120_000, process: 300_000, reliability: 120_000, webview: 300_000, e2e: 300_000 };
/**
 * Test files run at once per suite. A unit or process file is one node process that mostly
 * waits on git and tidemark child processes, so two share the machine's two cores well (unit:
 * 248 s → 140 s on a fresh clone). Two e2e files at once (each with its own code-server and
 * Chromium) took 499 s against 524 s one at a time and pushed the load to 11, where VS Code's
 * reactions slow past the harness's deadlines: one at a time. The reliability suite measures
 * timings under its own faults and the webview suite shares one browser: one at a time too.
 * TIDEMARK_TEST_CONCURRENCY=1 runs every suite one file at a time (to tell a race from a bug).
 */
const concurrency = { unit: 2, process: 2, reliability: 1, webview: 1, e2e: 1 };
const serialOnly = process.env.TIDEMARK_TEST_CONCURRENCY === '1';
/** The integration suite runs inside a real VS Code extension host; its driver writes mocha's JSON. */
const integration = {
  command: ['node', ['out/test/e2e/harness/runIntegration.js']],
  resultFile: path.join(results, 'integration', 'mocha.json'),
};
const allSuites = ['unit', 'process', 'reliability', 'webview', 'integration', 'e2e'];

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

/**
 * CPU seconds used by this process's finished children and their descendants (Linux: cutime +
 * cstime of /proc/self/stat), so each stage prints what it cost beside how long it took.
 */
function childCpuSeconds() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN;
  }
}

function timing(t0, cpu0) {
  const cpu = childCpuSeconds() - cpu0;
  return `${((Date.now() - t0) / 1000).toFixed(1)} s${Number.isFinite(cpu) ? `, ${cpu.toFixed(0)} s CPU` : ''}`;
}

/** Failures named in the suite's TAP output, each with its diagnostics (error, location, the head of the stack); tests failed only through their subtests are left to those. */
const details = [];
function failureDetails(suite, tap) {
  const lines = tap.split('\n');
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^(\s*)not ok \d+ - (.*)$/.exec(lines[i]);
    if (!head) continue;
    const indent = head[1].length;
    const block = [];
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j];
      if (line.trim() === '...' && line.length - line.trimStart().length === indent + 2) break;
      if (line.trim() !== '---') block.push(line.slice(indent + 2));
    }
    if (block.some((l) => /failureType: 'subtestsFailed'/.test(l))) continue;
    const kept = [];
    let stackLines = -1;
    for (const line of block) {
      if (/^(duration_ms|type|failureType|code):/.test(line)) continue;
      if (/^stack: /.test(line)) stackLines = 0;
      else if (stackLines >= 0 && /^\S/.test(line)) stackLines = -1;
      if (stackLines >= 0 && stackLines++ > 3) continue;
      kept.push(`    ${line}`);
    }
    found.push(`  ${suite}: ${head[2]}`, ...kept.slice(0, 40));
  }
  return found;
}

function run(label, cmd, args) {
  const t0 = Date.now();
  const cpu0 = childCpuSeconds();
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  const ok = r.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${label} (${timing(t0, cpu0)})`);
  return ok;
}

/** Runs a check with its output held back and printed whole when it ends, so parallel checks do not interleave. */
async function runQuietly(label, cmd, args) {
  const t0 = Date.now();
  const { code, text } = await runCaptured(cmd, args, { cwd: root });
  const ok = code === 0;
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}${text ? `\n${text.trimEnd()}` : ''}`);
  console.log(`${ok ? '✔' : '✘'} ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return ok;
}

/**
 * code-server (for the integration and e2e suites) installs once into .vscode-test/; on a fresh
 * machine that is a minute of downloads and native builds, so it starts in the background when
 * the checks end, runs on during the unit suite, and the first suite that needs it waits for it
 * here.
 */
let codeServerInstall = null;
function startCodeServerInstall() {
  const entry = path.join(root, 'out', 'test', 'e2e', 'harness', 'codeServerInstall.js');
  codeServerInstall = runCaptured('node', [entry], { cwd: root }).then(({ code, text }) => ({ ok: code === 0, text }));
}
async function codeServerReady() {
  if (!codeServerInstall) return true;
  const t0 = Date.now();
  const { ok, text } = await codeServerInstall;
  codeServerInstall = null;
  console.log(`\n▶ code-server install (in the background since the checks; waited ${((Date.now() - t0) / 1000).toFixed(1)} s more)\n${text.trimEnd()}`);
  console.log(`${ok ? '✔' : '✘'} code-server install`);
  return ok;
}

function hasTests(dir) {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.test.js'));
}

/**
 * The checks in two lanes on the two cores: lint (the longest) beside the type checks, the build
 * and the test compile, which must finish in that order. Output is printed per check when it ends.
 */
async function runChecks() {
  const t0 = Date.now();
  const cpu0 = childCpuSeconds();
  const check = async (stage) => {
    const [cmd, args] = checks[stage];
    // Compiled tests of deleted or moved sources would otherwise linger in out/ and still run.
    if (stage === 'compile') rmSync(path.join(root, 'out'), { recursive: true, force: true });
    const ok = await runQuietly(stage, cmd, args);
    // Checks are not tests: they add to the failures when they fail, never to the passes.
    if (!ok) {
      failed++;
      failures.push(stage);
    }
    return ok;
  };
  const sequence = async (list) => {
    for (const stage of list) if (!(await check(stage)) && (stage === 'build' || stage === 'compile')) return;
  };
  const laneOf = (stage) => (stage === 'lint' ? 0 : 1);
  await Promise.all([0, 1].map((lane) => sequence(stages.filter((s) => laneOf(s) === lane))));
  console.log(`\n(checks: ${timing(t0, cpu0)})`);
}
await runChecks();
// Started as soon as the checks end: code-server's own native builds then run beside the unit suite.
const needsCodeServer = suites.includes('integration') || suites.includes('e2e');
if (needsCodeServer && !failures.includes('build') && !failures.includes('compile')) startCodeServerInstall();
if (!(await nativeModules)) {
  failed++;
  failures.push('npm rebuild (native modules)');
}

if (!failures.includes('build') && !failures.includes('compile')) {
  for (const suite of suites) {
    if ((suite === 'integration' || suite === 'e2e') && !(await codeServerReady())) {
      failed++;
      failures.push(`${suite} (code-server did not install)`);
      continue;
    }
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
    // Package the VSIX once here, before any e2e file asks for it: no file then runs `vsce
    // package` (and its production build of dist/) while another file is running.
    if (suite === 'e2e' && !run('package', 'node', ['-e', "require('./out/test/e2e/harness/extensionPackage').packageExtension()"])) {
      failed++;
      failures.push('package');
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
      `--test-concurrency=${serialOnly ? 1 : concurrency[suite]}`,
      `--test-timeout=${testTimeoutMs[suite]}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      dir,
    ]);
    const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
    details.push(...failureDetails(suite, text));
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
// Repeated at the end, where a CI log's tail shows it: which test failed and why.
if (details.length) console.log(`\nWhat failed:\n${details.join('\n')}`);
if (failures.length) console.log(`\nfailed: ${failures.join(', ')} (${secs} s)`);
else console.log(`\nall green (${secs} s)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed || failures.length ? 1 : 0);
