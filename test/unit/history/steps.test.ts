// Setup commands, named steps and stale reports, through runMetrics with real child processes
// and real git repositories.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runMetrics } from '../../../src/core/collect';
import { reportFiles } from '../../../src/core/collect/staleness';
import { parseConfig } from '../../../src/core/config';
import type { TidemarkConfig } from '../../../src/core/types';
import { isRunning, makeConfig, tempDir, waitFor } from '../collect/helpers';

let tmp: { dir: string; cleanup(): void };
before(() => (tmp = tempDir()));
after(() => tmp.cleanup());
let n = 0;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
}

function folder(): string {
  const dir = path.join(tmp.dir, `w${++n}`);
  mkdirSync(dir);
  return dir;
}

function withSteps(config: TidemarkConfig, extra: Pick<TidemarkConfig, 'setup' | 'steps'>): TidemarkConfig {
  return { ...config, ...extra };
}

const LCOV = (hit: number, total: number) => `SF:src/a.js\n${Array.from({ length: total }, (_, i) => `DA:${i + 1},${i < hit ? 1 : 0}`).join('\n')}\nLF:${total}\nLH:${hit}\nend_of_record\n`;

describe('setup and steps', () => {
  test('setup runs once before every metric; a named step runs once however many metrics need it', async () => {
    const cwd = folder();
    const config = withSteps(
      makeConfig({
        a: { command: 'cat count.txt', dependsOn: 'test' },
        b: { command: 'cat count.txt', dependsOn: ['test'] },
        c: { command: 'cat setup.txt' },
      }),
      { setup: ['echo s >> setup.log', 'wc -l < setup.log > setup.txt'], steps: { test: { command: 'echo t >> step.log; wc -l < step.log > count.txt', timeout: 20_000 } } },
    );
    const results = await runMetrics({ cwd, config, concurrency: 3 });
    assert.deepEqual(results.map((r) => [r.metric, r.status, r.value]), [['a', 'ok', 1], ['b', 'ok', 1], ['c', 'ok', 1]]);
    assert.equal(readFileSync(path.join(cwd, 'setup.log'), 'utf8'), 's\n');
    assert.equal(readFileSync(path.join(cwd, 'step.log'), 'utf8'), 't\n', 'the step ran once for two metrics');
  });

  test("a failed setup fails every metric with its output tail; a failed step fails only its dependants", async () => {
    const cwd = folder();
    const failingSetup = withSteps(makeConfig({ a: { command: 'echo 1' }, b: { command: 'echo 2' } }), { setup: ['true', 'echo "npm ERR! missing script: build" >&2; exit 3'] });
    const r1 = await runMetrics({ cwd, config: failingSetup });
    for (const r of r1) {
      assert.equal(r.status, 'failed');
      assert.equal(r.message, 'setup 2/2 (echo "npm ERR! missing script: build" >&2; exit 3) exited with code 3: npm ERR! missing script: build');
    }
    const failingStep = withSteps(makeConfig({ a: { command: 'echo 1', dependsOn: 'build' }, b: { command: 'echo 2' } }), {
      steps: { build: { command: `node -e "console.log('x'.repeat(5000)); process.exit(1)"`, timeout: 20_000 } },
    });
    const [a, b] = await runMetrics({ cwd, config: failingStep });
    assert.equal(a.status, 'failed');
    assert.match(a.message!, /^step "build" \(node -e .*\) exited with code 1: …x{2000}$/);
    assert.deepEqual([b.status, b.value], ['ok', 2]);
  });

  test('a step that hangs is killed with its tree at its timeout; cancelling a run kills a running step', async () => {
    const cwd = folder();
    const pidFile = path.join(cwd, 'pid');
    const config = withSteps(makeConfig({ a: { command: 'echo 1', dependsOn: 'slow' } }), {
      steps: { slow: { command: `sh -c 'sleep 30 & echo $! > ${pidFile}; wait'`, timeout: 1500 } },
    });
    const [timedOut] = await runMetrics({ cwd, config });
    assert.equal(timedOut.status, 'timeout');
    assert.match(timedOut.message!, /step "slow" .* timed out after 1\.5 s/);
    const first = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !isRunning(first), 5000, 'the timed-out step tree to die');

    writeFileSync(pidFile, '');
    const controller = new AbortController();
    const running = runMetrics({ cwd, config: { ...config, steps: { slow: { ...config.steps!.slow, timeout: 60_000 } } }, signal: controller.signal });
    await waitFor(() => readFileSync(pidFile, 'utf8').trim() !== '', 10_000, 'the step to start');
    const second = Number(readFileSync(pidFile, 'utf8'));
    controller.abort();
    const [cancelled] = await running;
    assert.equal(cancelled.status, 'cancelled');
    await waitFor(() => !isRunning(second), 5000, 'the cancelled step tree to die');
  });

  test('config: steps, setup and dependsOn are validated with every problem at once', () => {
    const bad = parseConfig(
      JSON.stringify({
        setup: [''],
        steps: { Test: { command: 'x' }, ok: { command: 'y', timeout: 0, outputs: 'coverage' } },
        metrics: { a: { type: 'numeric', command: 'echo 1', dependsOn: ['ok', 'missing'] }, b: { type: 'numeric', command: 'echo 1', dependsOn: 'nope', allowStale: 'yes' } },
      }),
    );
    assert.equal(bad.ok, false);
    const paths = !bad.ok ? bad.problems.map((p) => p.path).sort() : [];
    for (const expected of ['setup.0', 'steps.ok.timeout', 'steps.ok.outputs', 'metrics.a.dependsOn.1', 'metrics.b.dependsOn', 'metrics.b.allowStale']) {
      assert.ok(paths.includes(expected), `problem at ${expected} (got ${paths.join(', ')})`);
    }
    assert.ok(paths.some((p) => p.startsWith('steps')), 'bad step id');
    const missing = !bad.ok ? bad.problems.find((p) => p.path === 'metrics.a.dependsOn.1') : undefined;
    assert.equal(missing?.message, 'step "missing" is not defined in "steps" (defined: Test, ok)');
    const good = parseConfig(JSON.stringify({ setup: 'npm ci', steps: { test: { command: 'npm test', outputs: ['coverage/lcov.info'] } }, metrics: { c: { type: 'numeric', command: '@collect coverage-lcov coverage/lcov.info', dependsOn: 'test' } } }));
    assert.ok(good.ok);
    assert.equal(good.ok && good.config.steps?.test.timeout, 600_000);
  });
});

describe('stale reports', () => {
  function repoWithOldReport(): { dir: string; report: string } {
    const dir = folder();
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(path.join(dir, '.gitignore'), 'coverage/\n');
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'src', 'a.js'), 'one\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'one');
    writeFileSync(path.join(dir, 'src', 'a.js'), 'two\n');
    git(dir, 'commit', '-q', '-am', 'two');
    // The report of commit "two", written an hour ago; then the user checks out an older commit.
    mkdirSync(path.join(dir, 'coverage'));
    const report = path.join(dir, 'coverage', 'lcov.info');
    writeFileSync(report, LCOV(996, 1000));
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(report, hourAgo, hourAgo);
    git(dir, 'checkout', '-q', 'HEAD~1');
    return { dir, report };
  }

  const coverage = { command: '@collect coverage-lcov coverage/lcov.info', unit: 'percent' as const };

  test('an unclaimed report older than the last checkout is stale, naming the file, not 99.6 % from another commit', async () => {
    const { dir, report } = repoWithOldReport();
    const [r] = await runMetrics({ cwd: dir, config: makeConfig({ coverage }) });
    assert.equal(r.status, 'failed');
    assert.equal(r.value, null);
    assert.match(r.message!, /^stale: coverage\/lcov\.info was written .*, before HEAD moved to [0-9a-f]{7} \(checkout: moving from main to HEAD~1, .*\), so it describes other files\./);
    // Opting out reads it; regenerating it makes it fresh.
    const [allowed] = await runMetrics({ cwd: dir, config: makeConfig({ coverage: { ...coverage, allowStale: true } }) });
    assert.deepEqual([allowed.status, allowed.value], ['ok', 99.6]);
    writeFileSync(report, LCOV(900, 1000));
    const [fresh] = await runMetrics({ cwd: dir, config: makeConfig({ coverage }) });
    assert.deepEqual([fresh.status, fresh.value], ['ok', 90]);
  });

  test('a commit of the working tree does not make a report stale', async () => {
    const { dir, report } = repoWithOldReport();
    writeFileSync(report, LCOV(500, 1000));
    const past = new Date(Date.now() - 5000);
    utimesSync(report, past, past);
    git(dir, 'checkout', '-q', 'main');
    writeFileSync(path.join(dir, 'src', 'a.js'), 'three\n');
    git(dir, 'commit', '-q', '-am', 'three');
    const [r] = await runMetrics({ cwd: dir, config: makeConfig({ coverage }) });
    assert.equal(r.status, 'failed', 'the checkout of main came after the report was written');
    // Regenerated after that checkout, then a commit: the commit moves no file, the report stays fresh.
    writeFileSync(report, LCOV(500, 1000));
    writeFileSync(path.join(dir, 'src', 'a.js'), 'four\n');
    git(dir, 'commit', '-q', '-am', 'four');
    const [afterCommit] = await runMetrics({ cwd: dir, config: makeConfig({ coverage }) });
    assert.deepEqual([afterCommit.status, afterCommit.value], ['ok', 50]);
  });

  test('a step that claims a report but does not rewrite it makes the metric stale, naming the file and the step', async () => {
    const { dir, report } = repoWithOldReport();
    const config = (command: string) =>
      withSteps(makeConfig({ coverage: { ...coverage, dependsOn: 'test' } }), { steps: { test: { command, timeout: 20_000, outputs: ['coverage/lcov.info'] } } });
    const [old] = await runMetrics({ cwd: dir, config: config('true') });
    assert.equal(old.status, 'failed');
    assert.match(old.message!, /^stale: coverage\/lcov\.info was not rewritten by step "test" in this run \(last written /);
    execFileSync('rm', [report]);
    const [missing] = await runMetrics({ cwd: dir, config: config('true') });
    assert.equal(missing.message, 'stale: step "test" ran but did not write coverage/lcov.info; check the step\'s command writes that file');
    const lcov = LCOV(750, 1000).replace(/\n/g, '\\n');
    const [fresh] = await runMetrics({ cwd: dir, config: config(`mkdir -p coverage && printf '${lcov}' > coverage/lcov.info`) });
    assert.deepEqual([fresh.status, fresh.value], ['ok', 75]);
    assert.ok(existsSync(report));
  });

  test('reportFiles reads the files of the report collectors only', () => {
    assert.deepEqual(reportFiles('@collect coverage-lcov --type branch a.info b.info'), ['a.info', 'b.info']);
    assert.deepEqual(reportFiles('@collect junit --field=failures "test results/junit.xml"'), ['test results/junit.xml']);
    assert.deepEqual(reportFiles('@collect json bench.json results.0.mean'), ['bench.json']);
    assert.deepEqual(reportFiles('@collect size dist/app.js'), []);
    assert.deepEqual(reportFiles('cat coverage/lcov.info'), []);
  });
});
