import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { runMetrics } from '../../../src/core/collect';
import { workspaceRelative } from '../../../src/core/collect/runner';
import type { Logger, MetricResult } from '../../../src/core/types';
import { isRunning, makeConfig, tempDir, waitFor, type MetricSpec } from './helpers';

let workspace: { dir: string; cleanup(): void };
before(() => (workspace = tempDir()));
after(() => workspace.cleanup());

async function runOne(spec: MetricSpec, signal?: AbortSignal): Promise<MetricResult> {
  const [result] = await runMetrics({ cwd: workspace.dir, config: makeConfig({ m: spec }), signal });
  return result;
}

describe('results of a metric command', () => {
  test('ok: the value is the last non-empty line, parsed by the unit', async () => {
    const results = await runMetrics({
      cwd: workspace.dir,
      config: makeConfig({
        size: { command: "printf 'building...\\n1.5 MiB\\n\\n'", unit: 'bytes' },
        time: { command: 'echo 2m 3s', unit: 'duration' },
        cover: { command: 'echo 85.3%', unit: 'percent' },
        version: { command: 'echo v1.2.3', type: 'label' },
      }),
    });
    assert.deepEqual(
      results.map((r) => [r.metric, r.status, r.value, r.exitCode]),
      [
        ['size', 'ok', 1.5 * 1024 * 1024, 0],
        ['time', 'ok', 123, 0],
        ['cover', 'ok', 85.3, 0],
        ['version', 'ok', 'v1.2.3', 0],
      ],
    );
    for (const r of results) {
      assert.equal(typeof r.pid, 'number');
      assert.ok(r.durationMs >= 0);
    }
  });

  test('failed: exit code and the tail of both streams, in the order written', async () => {
    const r = await runOne({ command: 'echo 12; echo "it broke" >&2; exit 3' });
    assert.equal(r.status, 'failed');
    assert.equal(r.exitCode, 3);
    assert.equal(r.value, null);
    assert.match(r.message ?? '', /exited with code 3: 12\nit broke$/);
  });

  test('failed: a compiler that reports on stdout (tsc) is quoted, interleaved with stderr as written', async () => {
    // The pauses separate the writes in time so the order of arrival is the order of writing.
    const tscLike = await runOne({ command: "echo 'src/a.ts(3,1): error TS2304: Cannot find name x.'; exit 2" });
    assert.equal(tscLike.status, 'failed');
    assert.match(tscLike.message ?? '', /exited with code 2: src\/a\.ts\(3,1\): error TS2304/);
    const mixed = await runOne({ command: 'echo out-1; sleep 0.1; echo err-1 >&2; sleep 0.1; echo out-2; sleep 0.1; echo err-2 >&2; exit 1' });
    assert.match(mixed.message ?? '', /exited with code 1: out-1\nerr-1\nout-2\nerr-2$/);
  });

  test('invalid-output: unparseable, ambiguous or missing output stores nothing', async () => {
    const text = await runOne({ command: 'echo hello' });
    assert.equal(text.status, 'invalid-output');
    assert.equal(text.value, null);
    assert.match(text.message ?? '', /"hello" is not a number/);

    const ambiguous = await runOne({ command: 'echo 12 KB', unit: 'bytes' });
    assert.equal(ambiguous.status, 'invalid-output');
    assert.match(ambiguous.message ?? '', /ambiguous/);

    const silent = await runOne({ command: 'true' });
    assert.equal(silent.status, 'invalid-output');
    assert.equal(silent.message, 'printed nothing');
  });

  test('a command that cannot start fails with the reason', async () => {
    const [r] = await runMetrics({ cwd: path.join(workspace.dir, 'missing'), config: makeConfig({ m: { command: 'echo 1' } }) });
    assert.equal(r.status, 'failed');
    assert.match(r.message ?? '', /could not start/);
    const nul = await runOne({ command: 'echo 1\u0000' });
    assert.equal(nul.status, 'failed');
    assert.match(nul.message ?? '', /could not start/);
  });

  test('commands run in the workspace with TIDEMARK_METRIC and TIDEMARK_WORKSPACE set', async () => {
    const results = await runMetrics({
      cwd: workspace.dir,
      env: { ...process.env, EXTRA: 'from-caller' },
      config: makeConfig({
        'env-check': { command: 'echo "$TIDEMARK_METRIC|$TIDEMARK_WORKSPACE|$EXTRA"', type: 'label' },
        where: { command: 'pwd -P', type: 'label' },
      }),
    });
    assert.equal(results[0].value, `env-check|${workspace.dir}|from-caller`);
    assert.equal(results[1].value, realpathSync(workspace.dir));
  });

  test('output is capped per stream and keeps the tail', async () => {
    const r = await runOne({
      command: "head -c 3145728 /dev/zero | tr '\\0' x; echo; head -c 3145728 /dev/zero | tr '\\0' y >&2; echo 42",
      unit: 'integer',
    });
    assert.equal(r.status, 'ok', r.message);
    assert.equal(r.value, 42);

    const failed = await runOne({ command: "head -c 3145728 /dev/zero | tr '\\0' y >&2; echo 'last words' >&2; exit 1" });
    assert.equal(failed.status, 'failed');
    assert.match(failed.message ?? '', /last words$/);
    assert.ok((failed.message ?? '').length < 3000, 'the message quotes only the tail of the output');
  });
});

describe('timeouts and cancellation', () => {
  test('a timeout kills the whole process tree and returns without waiting for it', async () => {
    const pidFile = path.join(workspace.dir, 'grandchild.pid');
    const started = Date.now();
    const r = await runOne({ command: `sh -c 'sleep 30 & echo $! > "${pidFile}"; sleep 30'`, timeout: 500 });
    const elapsed = Date.now() - started;
    assert.equal(r.status, 'timeout');
    assert.equal(r.value, null);
    assert.match(r.message ?? '', /timed out after 500 ms/);
    // The grandchild holds the stdout pipe for 30 s; returning long before proves the run
    // finished on the command's exit rather than on its pipes closing.
    assert.ok(elapsed < 10_000, `returned after ${elapsed} ms`);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(grandchild > 0);
    // SIGKILL has been sent when runMetrics returns; the kernel tears the process down a moment later.
    await waitFor(() => !isRunning(grandchild), 2000, `grandchild ${grandchild} to die`);
  });

  test('a grandchild that ignores SIGTERM is killed with SIGKILL', async () => {
    const pidFile = path.join(workspace.dir, 'stubborn.pid');
    const r = await runOne({ command: `sh -c 'trap "" TERM; sleep 30 & echo $! > "${pidFile}"; sleep 30'`, timeout: 500 });
    assert.equal(r.status, 'timeout');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !isRunning(grandchild), 2000, `grandchild ${grandchild} to die`);
  });

  test('a command that exits leaving a background process still holding stdout: value kept, leftover killed', async () => {
    const pidFile = path.join(workspace.dir, 'leftover.pid');
    const started = Date.now();
    const r = await runOne({ command: `sleep 30 & echo $! > "${pidFile}"; echo 7` });
    assert.equal(r.status, 'ok');
    assert.equal(r.value, 7);
    assert.ok(Date.now() - started < 10_000);
    const leftover = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !isRunning(leftover), 2000, `leftover ${leftover} to die`);
  });

  test('the other metrics carry on after one times out', async () => {
    const results = await runMetrics({
      cwd: workspace.dir,
      concurrency: 1,
      config: makeConfig({ slow: { command: 'sleep 30', timeout: 300 }, fine: { command: 'echo 1' } }),
    });
    assert.deepEqual(results.map((r) => r.status), ['timeout', 'ok']);
  });

  test('cancelling kills running commands and marks the ones not started', async () => {
    const marker = path.join(workspace.dir, 'running');
    const pidFile = path.join(workspace.dir, 'cancel-grandchild.pid');
    const controller = new AbortController();
    const run = runMetrics({
      cwd: workspace.dir,
      concurrency: 1,
      signal: controller.signal,
      config: makeConfig({
        long: { command: `sh -c 'sleep 30 & echo $! > "${pidFile}"; wait' & touch "${marker}"; wait` },
        waiting: { command: 'echo 1' },
      }),
    });
    await waitFor(() => existsSync(marker) && existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 10_000, 'the command to start');
    controller.abort();
    const results = await run;
    assert.deepEqual(results.map((r) => r.status), ['cancelled', 'cancelled']);
    assert.equal(results[1].message, 'cancelled before it started');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !isRunning(grandchild), 2000, `grandchild ${grandchild} to die`);
  });

  test('an already aborted signal runs nothing', async () => {
    const marker = path.join(workspace.dir, 'must-not-exist');
    const r = await runOne({ command: `touch "${marker}"; echo 1` }, AbortSignal.abort());
    assert.equal(r.status, 'cancelled');
    assert.equal(existsSync(marker), false);
  });
});

describe('scheduling', () => {
  /** Each command appends "start <ns>" and "end <ns>" lines; returns the most that overlapped. */
  async function maxOverlap(concurrency: number | undefined, configConcurrency: number | undefined): Promise<number> {
    const log = path.join(workspace.dir, `overlap-${concurrency}-${configConcurrency}.log`);
    const metrics: Record<string, MetricSpec> = {};
    for (let i = 0; i < 5; i++) {
      metrics[`m${i}`] = { command: `echo "start $(date +%s%N)" >> "${log}"; sleep 0.2; echo "end $(date +%s%N)" >> "${log}"; echo ${i}` };
    }
    const results = await runMetrics({ cwd: workspace.dir, concurrency, config: makeConfig(metrics, configConcurrency) });
    assert.deepEqual(results.map((r) => r.value), [0, 1, 2, 3, 4]);
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .map(([kind, ns]) => ({ delta: kind === 'start' ? 1 : -1, at: BigInt(ns) }))
      .sort((a, b) => (a.at === b.at ? a.delta - b.delta : a.at < b.at ? -1 : 1));
    assert.equal(events.length, 10);
    let running = 0;
    let most = 0;
    for (const e of events) {
      running += e.delta;
      most = Math.max(most, running);
    }
    return most;
  }

  test('at most `concurrency` commands run at once, and that many do', async () => {
    assert.equal(await maxOverlap(2, undefined), 2);
  });

  test('the config concurrency applies when the caller gives none', async () => {
    assert.equal(await maxOverlap(undefined, 1), 1);
  });

  test('`only` selects metrics in config order and rejects unknown ids', async () => {
    const config = makeConfig({ a: { command: 'echo 1' }, b: { command: 'echo 2' }, c: { command: 'echo 3' } });
    const results = await runMetrics({ cwd: workspace.dir, config, only: ['c', 'a'] });
    assert.deepEqual(results.map((r) => r.metric), ['a', 'c']);
    await assert.rejects(runMetrics({ cwd: workspace.dir, config, only: ['a', 'zz'] }), /unknown metric "zz"/);
    await assert.rejects(runMetrics({ cwd: workspace.dir, config, only: ['constructor'] }), /unknown metric "constructor"/);
  });

  test('onStart and onResult report each metric; the logger gets one line per command', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      trace() {},
      debug() {},
      info: (m) => lines.push(`info ${m}`),
      warn: (m) => lines.push(`warn ${m}`),
      error: (m) => lines.push(`error ${String(m)}`),
    };
    const started: [string, number | undefined][] = [];
    const finished: string[] = [];
    const results = await runMetrics({
      cwd: workspace.dir,
      logger,
      config: makeConfig({ good: { command: 'echo 5' }, bad: { command: 'exit 4' } }),
      onStart: (metric, pid) => started.push([metric, pid]),
      onResult: (r) => finished.push(`${r.metric}:${r.status}`),
    });
    assert.deepEqual(started.map(([m]) => m).sort(), ['bad', 'good']);
    assert.deepEqual(started.map(([, pid]) => pid).sort(), results.map((r) => r.pid).sort());
    assert.deepEqual(finished.sort(), ['bad:failed', 'good:ok']);
    assert.equal(lines.length, 2);
    const good = lines.find((l) => l.includes('metric good'));
    const bad = lines.find((l) => l.includes('metric bad'));
    assert.match(good ?? '', new RegExp(`^info metric good: pid ${results[0].pid}, \\d+ ms, exit 0, ok$`));
    assert.match(bad ?? '', new RegExp(`^warn metric bad: pid ${results[1].pid}, \\d+ ms, exit 4, failed: exited with code 4$`));
  });
});

describe('@collect commands', () => {
  test('are dispatched to the in-process collectors, not the shell', async () => {
    const marker = path.join(workspace.dir, 'shell-ran');
    const r = await runOne({ command: `@collect nope "arg with spaces"; touch "${marker}"` });
    assert.equal(r.status, 'invalid-output');
    assert.match(r.message ?? '', /^unknown collector "nope" \(known: loc, /);
    assert.equal(r.pid, undefined);
    assert.equal(existsSync(marker), false);
  });

  test('a malformed @collect line fails with the reason', async () => {
    const r = await runOne({ command: '@collect loc "unterminated' });
    assert.equal(r.status, 'failed');
    assert.match(r.message ?? '', /unterminated " quote/);
  });
});

describe('failure messages travel to other machines', () => {
  test('a built-in collector\'s failure names paths relative to the workspace folder, never this machine\'s absolute path', async () => {
    const results = await runMetrics({
      cwd: workspace.dir,
      config: makeConfig({
        none: { command: '@collect size "build/**/*.js"' },
        outside: { command: '@collect size "../elsewhere/*.js"' },
        deps: { command: '@collect deps' },
        missing: { command: '@collect coverage-lcov coverage/lcov.info' },
      }),
    });
    const spellings = [workspace.dir, realpathSync(workspace.dir)];
    for (const r of results) {
      assert.notEqual(r.status, 'ok', r.metric);
      for (const root of spellings) assert.ok(!(r.message ?? '').includes(root), `${r.metric}: ${r.message}`);
    }
    const byMetric = Object.fromEntries(results.map((r) => [r.metric, r.message]));
    assert.match(byMetric.none ?? '', /"build\/\*\*\/\*\.js" matches no file in the workspace folder$/);
    assert.match(byMetric.outside ?? '', /"\.\.\/elsewhere\/\*\.js" points outside the workspace folder;/);
    assert.match(byMetric.deps ?? '', /no manifest in the workspace folder/);
  });

  test('workspaceRelative: the folder and what is under it, under either spelling; a longer sibling name is left alone', () => {
    const root = workspace.dir;
    assert.equal(workspaceRelative(`cannot open ${path.join(root, 'a', 'b.txt')} in ${root}.`, root), `cannot open ${path.join('a', 'b.txt')} in ..`);
    assert.equal(workspaceRelative(`${root}-old/x`, root), `${root}-old/x`);
    assert.equal(workspaceRelative(`${realpathSync(root)}/x`, root), 'x');
  });
});
