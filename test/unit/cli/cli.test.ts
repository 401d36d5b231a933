// End-to-end tests of the `tidemark` command line on real git repositories with a real history
// database: in this process through runCli (inProcess.ts), and as the built dist/cli.js child
// process where the process itself matters (Ctrl-C, an unexpected error's exit, --help).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isRunning, tempDir, waitFor } from '../collect/helpers';
import { testEnv, tidemarkInProcess, type Run } from './inProcess';
import { cli, ensureBuilt } from '../builtCli';

before(ensureBuilt);

/** dist/cli.js as a child process. */
function tidemarkProcess(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync('node', [cli, ...args], { cwd, encoding: 'utf8', env: testEnv(env) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tidemark = tidemarkInProcess;

function json(run: Run): unknown {
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
}

let tmp: { dir: string; cleanup(): void };
before(() => (tmp = tempDir()));
after(() => tmp.cleanup());

let repoCount = 0;
/** A repository on `main` with a committed tidemark.json and size.txt (read by the size metric). */
function newRepo(config: object = defaultConfig, size = '100'): string {
  const dir = path.join(tmp.dir, `repo-${++repoCount}`);
  execFileSync('mkdir', [dir]);
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(dir, '.gitignore'), '.tidemark/\n');
  writeFileSync(path.join(dir, 'tidemark.json'), JSON.stringify(config, null, 2));
  writeFileSync(path.join(dir, 'size.txt'), `${size}\n`);
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

const defaultConfig = {
  metrics: {
    size: { type: 'numeric', command: 'cat size.txt', unit: 'bytes', direction: 'lower-is-better' },
    coverage: { type: 'numeric', command: 'echo building >&2; echo 85.5%', unit: 'percent', direction: 'higher-is-better' },
    version: { type: 'label', command: 'echo v1.0.0' },
    broken: { type: 'numeric', command: 'echo "no such tool" >&2; exit 127' },
  },
};

describe('tidemark collect', () => {
  test('records a run even when a metric fails, and prints it as JSON', async () => {
    const repo = newRepo();
    const head = git(repo, 'rev-parse', 'HEAD');
    const first = json(await tidemark(repo, ['collect', '--json'])) as {
      build: Record<string, unknown>;
      results: { metric: string; status: string; value: unknown; durationMs: number; message: string | null }[];
    };
    assert.deepEqual(Object.keys(first.build).sort(), ['branch', 'commitSha', 'dirty', 'event', 'id', 'runId', 'runNumber', 'timestamp']);
    assert.equal(first.build.commitSha, head);
    assert.equal(first.build.branch, 'main');
    assert.equal(first.build.event, 'manual');
    assert.equal(first.build.dirty, false);
    assert.equal(first.build.runNumber, 1);
    assert.deepEqual(
      first.results.map((r) => [r.metric, r.status, r.value]),
      [
        ['size', 'ok', 100],
        ['coverage', 'ok', 85.5],
        ['version', 'ok', 'v1.0.0'],
        ['broken', 'failed', null],
      ],
    );
    assert.match(first.results[3].message ?? '', /exited with code 127: no such tool/);
    assert.equal(first.results[0].message, null);

    writeFileSync(path.join(repo, 'size.txt'), '150\n');
    const second = json(await tidemark(repo, ['collect', '--json', '--only', 'size,version'])) as typeof first;
    assert.equal(second.build.runNumber, 2);
    assert.equal(second.build.dirty, true);
    assert.notEqual(second.build.runId, first.build.runId);
    assert.deepEqual(second.results.map((r) => [r.metric, r.value]), [['size', 150], ['version', 'v1.0.0']]);
  });

  test('human output is a table of results and a summary line', async () => {
    const repo = newRepo();
    const run = await tidemark(repo, ['collect']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[0], /^Metric\s+Status\s+Value\s+Time\s+Message$/);
    assert.ok(lines.some((l) => /^size\s+ok\s+100 B\s+\d+ ms$/.test(l)), run.stdout);
    assert.ok(lines.some((l) => /^coverage\s+ok\s+85\.5%/.test(l)), run.stdout);
    assert.ok(lines.some((l) => /^broken\s+failed\s+\d+ ms\s+exited with code 127: no such tool$/.test(l)), run.stdout);
    assert.match(run.stdout, /Recorded run #1 on main @ [0-9a-f]{8}, event manual: 3 of 4 metrics ok\./);
    assert.equal(run.stderr, '', 'quiet without --verbose');
    const verbose = await tidemark(repo, ['collect', '--only', 'size,broken', '--verbose']);
    assert.match(verbose.stderr, /^\[info\] metric size: pid \d+, \d+ ms, exit 0, ok$/m);
    assert.match(verbose.stderr, /^\[warn\] metric broken: pid \d+, \d+ ms, exit 127, failed: exited with code 127: no such tool$/m);
  });

  test('--strict exits 3 when a metric failed, 0 when all succeeded', async () => {
    const repo = newRepo();
    assert.equal((await tidemark(repo, ['collect', '--strict'])).code, 3);
    assert.equal((await tidemark(repo, ['collect', '--strict', '--only', 'size'])).code, 0);
    const history = json(await tidemark(repo, ['history', 'size', '--json'])) as { points: unknown[] };
    assert.equal(history.points.length, 2, 'a strict failure is still recorded');
  });

  test('event: ci under CI=true, --event wins; --branch overrides the branch', async () => {
    const repo = newRepo();
    const ci = json(await tidemark(repo, ['collect', '--json', '--only', 'size'], { CI: 'true' })) as { build: { event: string } };
    assert.equal(ci.build.event, 'ci');
    const save = json(await tidemark(repo, ['collect', '--json', '--only', 'size', '--event', 'save', '--branch', 'feat;rm -rf "x"'], { CI: 'true' })) as {
      build: { event: string; branch: string };
    };
    assert.deepEqual([save.build.event, save.build.branch], ['save', 'feat;rm -rf "x"']);
  });

  test('an invalid config prints every problem, exits 2 and records nothing', async () => {
    const repo = newRepo({ metrics: { Size: { type: 'numeric', command: 'echo 1', timeout: 900000 } }, extra: true });
    const run = await tidemark(repo, ['collect']);
    assert.equal(run.code, 2);
    const problems = run.stderr.split('\n').filter((l) => /^tidemark\.json:\d+:\d+ {2}/.test(l));
    assert.equal(problems.length, 3, run.stderr);
    assert.match(run.stderr, /metrics\.Size\.timeout/);
    assert.match(run.stderr, /extra/);
    assert.equal(existsSync(path.join(repo, '.tidemark', 'tidemark.db')), false);
  });

  test('usage mistakes exit 2 with the usage line', async () => {
    const repo = newRepo();
    const cases: [string[], RegExp][] = [
      [['collect', '--bogus'], /unknown option --bogus/],
      [['collect', '--event'], /--event needs a value/],
      [['collect', '--event', 'nightly'], /--event must be one of manual, save, ci/],
      [['collect', '--only', 'size,nope'], /--only: unknown metric "nope"/],
      [['collect', 'extra'], /unexpected argument "extra"/],
      [['history'], /missing argument/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ];
    for (const [args, message] of cases) {
      const run = await tidemark(repo, args);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, message);
      assert.match(run.stderr, /Usage: tidemark/);
    }
    assert.equal(existsSync(path.join(repo, '.tidemark', 'tidemark.db')), false);
  });

  test('a directory as the store exits 2 with what to do, before any command runs', async () => {
    const repo = newRepo({ metrics: { marker: { type: 'numeric', command: 'touch ran; echo 1' } } });
    execFileSync('mkdir', [path.join(repo, 'not-a-db')]);
    const run = tidemarkProcess(repo, ['collect', '--db', 'not-a-db']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^tidemark collect: .*not-a-db is a directory, not a store file: point --db at a file inside it/m);
    assert.equal(existsSync(path.join(repo, 'ran')), false);
  });

  test('Ctrl-C kills the running commands and records nothing', async () => {
    const pidFile = path.join(tmp.dir, 'interrupted.pid');
    const repo = newRepo({
      metrics: {
        quick: { type: 'numeric', command: 'echo 1' },
        slow: { type: 'numeric', command: `sh -c 'sleep 30 & echo $! > "${pidFile}"; wait'` },
      },
    });
    const child = spawn('node', [cli, 'collect'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 10_000, 'the slow metric to start');
    child.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.match(stderr, /interrupted; running commands were stopped and nothing was recorded/);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !isRunning(grandchild), 2000, `grandchild ${grandchild} to die`);
    const history = await tidemark(repo, ['history', 'quick']);
    assert.equal(history.code, 2);
    assert.match(history.stderr, /no recorded metric "quick"/);
  });
});

describe('tidemark verify', () => {
  test('a valid config: one summary line, exit 0', async () => {
    const run = await tidemark(newRepo(), ['verify']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'tidemark.json: OK, 4 metrics (size, coverage, version, broken), reference the default branch, concurrency one per core.\n');
  });

  test('problems are listed with their positions, exit 2', async () => {
    const repo = newRepo({ metrics: { size: { type: 'numeric', command: 'x', unit: 'parsecs' } }, concurrency: 0 });
    const run = await tidemark(repo, ['verify']);
    assert.equal(run.code, 2);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 2, run.stdout);
    for (const line of lines) assert.match(line, /^tidemark\.json:\d+:\d+ {2}\S/);
    const data = JSON.parse((await tidemark(repo, ['verify', '--json'])).stdout) as { ok: boolean; problems: { path: string }[] };
    assert.equal(data.ok, false);
    assert.deepEqual(data.problems.map((p) => p.path).sort(), ['concurrency', 'metrics.size.unit']);
  });

  test('a missing config file is a problem too', async () => {
    const run = await tidemark(tmp.dir, ['verify', '--config', 'nope.json']);
    assert.equal(run.code, 2);
    assert.match(run.stdout, /nope\.json:1:1 {2}.*does not exist/);
  });
});

describe('tidemark history and compare', () => {
  let repo: string;
  before(async () => {
    repo = newRepo();
    assert.equal((await tidemark(repo, ['collect'])).code, 0);
    git(repo, 'checkout', '-q', '-b', 'feature');
    writeFileSync(path.join(repo, 'size.txt'), '125\n');
    git(repo, 'commit', '-q', '-am', 'bigger');
    assert.equal((await tidemark(repo, ['collect'])).code, 0);
  });

  test('history lists every value with its run context; --branch and --since filter', async () => {
    const all = json(await tidemark(repo, ['history', 'size', '--json'])) as {
      metric: string;
      unit: string;
      points: { value: number; commitSha: string; branch: string; event: string; dirty: boolean; timestamp: string }[];
    };
    assert.equal(all.unit, 'bytes');
    assert.deepEqual(all.points.map((p) => [p.branch, p.value, p.event, p.dirty]), [
      ['main', 100, 'manual', false],
      ['feature', 125, 'manual', false],
    ]);
    assert.equal(all.points[1].commitSha, git(repo, 'rev-parse', 'feature'));
    const feature = json(await tidemark(repo, ['history', 'size', '--json', '--branch', 'feature'])) as typeof all;
    assert.deepEqual(feature.points.map((p) => p.value), [125]);
    const since = json(await tidemark(repo, ['history', 'size', '--json', '--since', all.points[1].timestamp])) as typeof all;
    assert.deepEqual(since.points.map((p) => p.value), [125]);
    const human = await tidemark(repo, ['history', 'size']);
    assert.match(human.stdout, /main\s+[0-9a-f]{8}\s+manual\s+100 B/);
    assert.match(human.stdout, /feature\s+[0-9a-f]{8}\s+manual\s+125 B/);
    const badDate = await tidemark(repo, ['history', 'size', '--since', 'yesterday']);
    assert.equal(badDate.code, 2);
    assert.match(badDate.stderr, /--since must be an ISO date/);
  });

  test('compare two branches: deltas and verdicts by direction', async () => {
    const result = json(await tidemark(repo, ['compare', '--base', 'main', '--head', 'feature', '--json'])) as {
      base: { ref: string; commitSha: string };
      head: { ref: string; commitSha: string };
      metrics: { metric: string; unit: string | null; direction: string | null; base: unknown; head: unknown; delta: number | null; deltaPercent: number | null; change: string; verdict: string }[];
    };
    assert.deepEqual(result.base, { ref: 'main', commitSha: git(repo, 'rev-parse', 'main') });
    assert.deepEqual(result.head, { ref: 'feature', commitSha: git(repo, 'rev-parse', 'feature') });
    const size = result.metrics.find((m) => m.metric === 'size');
    assert.deepEqual(size, { metric: 'size', unit: 'bytes', direction: 'lower-is-better', base: 100, head: 125, delta: 25, deltaPercent: 25, change: 'worse', verdict: 'worse' });
    const coverage = result.metrics.find((m) => m.metric === 'coverage');
    assert.equal(coverage?.change, 'unchanged');
    assert.equal(coverage?.verdict, 'same', 'kept for earlier scripts');
  });

  test('compare defaults: base = the default branch, head = the current branch', async () => {
    const run = await tidemark(repo, ['compare']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Base: main @ [0-9a-f]{8}, run #1/m);
    assert.match(run.stdout, /^Head: feature @ [0-9a-f]{8}, run #2/m);
    assert.match(run.stdout, /^Metric\s+Base\s+Head\s+Change\s+Change %\s+Direction$/m);
    assert.match(run.stdout, /^size\s+100 B\s+125 B\s+\+25 B\s+\+25\.0%\s+worse$/m);
    assert.match(run.stdout, /^coverage\s.*\sunchanged$/m);
  });

  test('compare counts only clean runs on the base side and every run on the head side: uncommitted changes against the clean run', async () => {
    const other = newRepo();
    const dirty = async (size: string) => {
      writeFileSync(path.join(other, 'size.txt'), `${size}\n`);
      assert.equal((await tidemark(other, ['collect', '--event', 'save'])).code, 0);
    };
    await dirty('140'); // main has only a run with uncommitted changes: no base
    const onlyDirty = await tidemark(other, ['compare', '--base', 'main', '--head', 'main']);
    assert.equal(onlyDirty.code, 0, onlyDirty.stderr);
    assert.match(onlyDirty.stdout, /^Base: main \(no clean run\)$/m);
    assert.match(onlyDirty.stderr, /note: main has only runs with uncommitted changes; the base is compared by its clean runs/);
    git(other, 'checkout', '--', 'size.txt');
    assert.equal((await tidemark(other, ['collect'])).code, 0);
    await dirty('130'); // newer than the clean run
    const result = json(await tidemark(other, ['compare', '--base', 'main', '--head', 'main', '--json'])) as { metrics: { metric: string; base: unknown; head: unknown; change: string }[] };
    const size = result.metrics.find((m) => m.metric === 'size');
    assert.deepEqual({ base: size?.base, head: size?.head, change: size?.change }, { base: 100, head: 130, change: 'worse' });
  });
});

describe('tidemark export and import', () => {
  test('round trip through JSONL into a fresh database; re-import skips everything', async () => {
    const repo = newRepo();
    assert.equal((await tidemark(repo, ['collect'])).code, 0);
    assert.equal((await tidemark(repo, ['collect', '--event', 'save'])).code, 0);
    const exported = await tidemark(repo, ['export', '--jsonl']);
    assert.equal(exported.code, 0, exported.stderr);
    const lines = exported.stdout.trim().split('\n');
    assert.equal(lines.length, 6, 'three values per run, two runs; failures are not values');
    const file = path.join(tmp.dir, 'history.jsonl');
    writeFileSync(file, exported.stdout);

    const other = path.join(tmp.dir, 'other.db');
    const imported = json(await tidemark(repo, ['import', file, '--db', other, '--json'])) as { imported: number; skipped: number; builds: number; problems: unknown[] };
    assert.deepEqual(imported, { imported: 6, skipped: 0, builds: 2, problems: [] });
    const again = json(await tidemark(repo, ['import', file, '--db', other, '--json'])) as typeof imported;
    assert.deepEqual([again.imported, again.skipped], [0, 6]);

    const out = path.join(tmp.dir, 'reexported.jsonl');
    const written = json(await tidemark(repo, ['export', '--jsonl', '--db', other, '--out', out, '--json'])) as { path: string; lines: number };
    assert.deepEqual(written, { path: out, lines: 6 });
    assert.deepEqual(readFileSync(out, 'utf8').trim().split('\n').sort(), [...lines].sort());
  });

  test('bad lines are reported by number, exit 2', async () => {
    const repo = newRepo();
    const file = path.join(tmp.dir, 'bad.jsonl');
    const good = { metric_id: 'size', timestamp: '2025-01-01T00:00:00.000Z', value_numeric: 5, commit_sha: 'a'.repeat(40), branch: 'main', run_id: 'r1', run_number: 1 };
    writeFileSync(file, `${JSON.stringify(good)}\n{not json\n`);
    const run = await tidemark(repo, ['import', file, '--db', path.join(tmp.dir, 'bad.db')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /bad\.jsonl:2: /);
    assert.doesNotMatch(run.stderr, /bad\.jsonl:1: /);
  });

  test('the built CLI imports a file of many reads all or nothing: a bad line deep in it is named and nothing is stored; --skip-invalid stores the rest with its rollups', async () => {
    const repo = newRepo();
    const file = path.join(tmp.dir, 'big.jsonl');
    const db = path.join(tmp.dir, 'big.db');
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const run = Math.floor(i / 4);
      lines.push(JSON.stringify({ metric_id: `m${i % 4}`, timestamp: new Date(Date.UTC(2025, 0, 1) + run * 3_600_000).toISOString(), value_numeric: i * 1.5, commit_sha: (run % 16).toString(16).repeat(40), run_id: `run-${run}`, branch: 'main', source: `ci-${'x'.repeat(100)}` }));
    }
    lines[1499] = lines[1499].replace('"value_numeric":', '"value_numeric":"');
    writeFileSync(file, `${lines.join('\n')}\n`);
    assert.ok(readFileSync(file).length > 4 * 65536, 'several reads');

    const refused = tidemarkProcess(repo, ['import', file, '--db', db]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /big\.jsonl:1500: not valid JSON/);
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
    assert.match(refused.stdout, /Nothing was imported: 1 bad line\(s\)/);
    assert.equal((json(tidemarkProcess(repo, ['stats', '--db', db, '--json'])) as { values: number }).values, 0);

    const partial = tidemarkProcess(repo, ['import', file, '--db', db, '--skip-invalid', '--json']);
    assert.equal(partial.code, 2);
    const outcome = JSON.parse(partial.stdout) as { imported: number; skipped: number; builds: number; problems: { line: number }[] };
    assert.deepEqual([outcome.imported, outcome.skipped, outcome.builds, outcome.problems.map((p) => p.line)], [1999, 0, 500, [1500]]);
    const stats = json(tidemarkProcess(repo, ['stats', '--db', db, '--json'])) as { values: number; builds: number; rollups: { metricRows: number; runRows: number } };
    assert.deepEqual([stats.values, stats.builds], [1999, 500]);
    // 500 hourly runs: 500 hours, 21 days, 4 weeks (2025-01-01 is a Wednesday), 1 month.
    assert.equal(stats.rollups.runRows, 500 + 21 + 4 + 1);
    // Four metrics in each; the hour of line 1500's run lacks that one metric.
    assert.equal(stats.rollups.metricRows, 4 * (500 + 21 + 4 + 1) - 1);
  });

  test('export needs its format flag', async () => {
    const run = await tidemark(newRepo(), ['export']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--jsonl/);
  });
});

describe('help', () => {
  test('tidemark --help lists every command; each command has its own help', async () => {
    const run = tidemarkProcess(tmp.dir, ['--help']);
    assert.equal(run.code, 0);
    for (const name of ['collect', 'compare', 'history', 'import', 'export', 'verify']) {
      assert.match(run.stdout, new RegExp(`^ {2}${name} {2,}\\S`, 'm'));
      const help = await tidemark(tmp.dir, [name, '--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, new RegExp(`^Usage: tidemark ${name}`));
      assert.match(help.stdout, /--cwd DIR/);
    }
  });
});
