// The read-model commands (history --grain, summary, breakdown, rollup, compact, stats) run as
// the built dist/cli.js on a real git repository, on history recorded by `tidemark collect`
// and imported from canonical JSONL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../collect/helpers';
import { tidemarkInProcess, type Run } from './inProcess';

const root = path.resolve(__dirname, '../../../..');
const cli = path.join(root, 'dist', 'cli.js');

let tmp: { dir: string; cleanup(): void };
let repo: string;

/** In this process through runCli (inProcess.ts). */
async function tidemark(args: string[]): Promise<Run> {
  return tidemarkInProcess(repo, args);
}

async function json<T>(args: string[]): Promise<T> {
  const run = await tidemark([...args, '--json']);
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

before(async () => {
  if (!existsSync(cli) || statSync(cli).mtimeMs < statSync(path.join(root, 'src', 'cli', 'registry.ts')).mtimeMs) {
    execFileSync('node', ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  }
  tmp = tempDir();
  repo = tmp.dir;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: repo });
  git('init', '-q', '-b', 'main');
  writeFileSync(path.join(repo, '.gitignore'), '.tidemark/\n');
  const config = {
    metrics: {
      size: { type: 'numeric', command: 'echo 300', unit: 'bytes' },
      version: { type: 'label', command: 'echo v2' },
      broken: { type: 'numeric', command: 'echo "no tool" >&2; exit 127' },
      later: { type: 'numeric', command: 'echo 1' },
    },
    retention: { rawDays: 30 },
  };
  writeFileSync(path.join(repo, 'tidemark.json'), JSON.stringify(config));
  git('add', '.');
  git('commit', '-q', '-m', 'init');
  // Old history: a January 2025 import on two branches (event import), older than rawDays.
  const lines = [
    { metric_id: 'size', timestamp: '2025-01-01T10:00:00Z', value_numeric: 100, commit_sha: 'a'.repeat(40), branch: 'main', run_id: 'i1' },
    { metric_id: 'size', timestamp: '2025-01-01T15:00:00Z', value_numeric: 200, commit_sha: 'b'.repeat(40), branch: 'feature', run_id: 'i2' },
    { metric_id: 'version', timestamp: '2025-01-01T15:00:00Z', value_label: 'v1', commit_sha: 'b'.repeat(40), branch: 'feature', run_id: 'i2' },
    { metric_id: 'size', timestamp: '2025-01-09T10:00:00Z', value_numeric: 150, commit_sha: 'c'.repeat(40), branch: 'main', run_id: 'i3' },
  ];
  writeFileSync(path.join(repo, 'old.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
  assert.equal((await tidemark(['import', 'old.jsonl'])).code, 0);
  assert.equal((await tidemark(['collect', '--only', 'size,version,broken'])).code, 0);
});

after(() => tmp.cleanup());

test('history --grain: one point per bucket from the rollups; a range start carries the previous bucket in', async () => {
  const days = await json<{ grain: string; points: { bucketStart: string; count: number; mean: number; last: number }[] }>(['history', 'size', '--grain', 'day', '--until', '2025-12-31']);
  assert.equal(days.grain, 'day');
  assert.deepEqual(days.points.map((p) => [p.bucketStart, p.count, p.mean, p.last]), [
    ['2025-01-01T00:00:00.000Z', 2, 150, 200],
    ['2025-01-09T00:00:00.000Z', 1, 150, 150],
  ]);
  const main = await json<{ points: { last: number; carried?: boolean }[] }>(['history', 'size', '--grain', 'month', '--branch', 'main', '--since', '2025-02-10', '--until', '2025-03-01']);
  assert.deepEqual(main.points.map((p) => [p.last, p.carried]), [[150, true]]);
  const text = await tidemark(['history', 'size', '--grain', 'week', '--until', '2025-12-31']);
  assert.match(text.stdout, /^Bucket\s+Values\s+Min\s+Mean\s+Max\s+Last/);
  assert.match(text.stdout, /2024-12-30T00:00:00\.000Z\s+2\s+100 B\s+150 B\s+200 B\s+200 B/);
  const bad = await tidemark(['history', 'size', '--grain', 'year']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--grain must be one of raw, hour, day, week, month \(got "year"\)/);
});

test('summary: runs per event and completeness of each configured metric', async () => {
  const summary = await json<{ runs: number; runsByEvent: Record<string, number>; branches: string[]; metrics: { metric: string; status: string; note: string | null }[] }>(['summary']);
  assert.equal(summary.runs, 4);
  assert.deepEqual(summary.runsByEvent, { manual: 1, save: 0, ci: 0, import: 3, backfill: 0 });
  assert.deepEqual(summary.branches, ['feature', 'main']);
  assert.deepEqual(summary.metrics.map((m) => [m.metric, m.status, m.note]), [
    ['broken', 'missing', 'failed: exited with code 127: no tool'],
    ['later', 'missing', null],
    ['size', 'ok', null],
    ['version', 'ok', null],
  ]);
  const text = await tidemark(['summary', '--since', '2025-01-05', '--until', '2025-01-31']);
  assert.match(text.stdout, /From 2025-01-05T00:00:00\.000Z to 2025-01-31T00:00:00\.000Z \(UTC\): 1 runs \(manual 0, save 0, ci 0, import 1, backfill 0\)/);
});

test('breakdown: latest per branch, counts per event, label distribution; --by is checked', async () => {
  const byBranch = await json<{ groups: { key: string; last: number }[] }>(['breakdown', 'size', '--by', 'branch']);
  assert.deepEqual(byBranch.groups.map((g) => [g.key, g.last]), [['main', 300], ['feature', 200]]);
  const byEvent = await json<{ groups: { key: string; count: number }[] }>(['breakdown', 'size', '--by', 'event']);
  assert.deepEqual(byEvent.groups.map((g) => [g.key, g.count]), [['import', 3], ['manual', 1]]);
  const labels = await tidemark(['breakdown', 'version', '--by', 'label']);
  assert.match(labels.stdout, /v1\s+1\s+50\.0%/);
  assert.match(labels.stdout, /v2\s+1\s+50\.0%/);
  const numeric = await tidemark(['breakdown', 'size', '--by', 'label']);
  assert.equal(numeric.code, 2);
  assert.match(numeric.stderr, /--by label needs a label metric; size is numeric/);
  assert.match((await tidemark(['breakdown', 'size', '--by', 'commit'])).stderr, /--by must be branch, event or label \(got "commit"\)/);
});

test('rollup --rebuild, compact and stats', async () => {
  const rebuilt = await json<{ rebuilt: boolean; timeZone: string; metricRows: number }>(['rollup', '--rebuild']);
  assert.equal(rebuilt.rebuilt, true);
  assert.equal(rebuilt.timeZone, 'UTC');
  const status = await json<{ metricRows: number }>(['rollup']);
  assert.equal(status.metricRows, rebuilt.metricRows);
  const compacted = await json<{ deleted: number; runs: number; bytesAfter: number }>(['compact']);
  assert.equal(compacted.deleted, 0, 'imported runs are not on-save runs: kept while commitRuns is "all"');
  assert.equal(compacted.runs, 4);
  const stats = await json<{ builds: number; values: number; fileBytes: number; rollups: { timeZone: string; prunedUntil: string | null } }>(['stats']);
  // Hour buckets older than rawDays went (in weekly windows); day buckets stay.
  assert.deepEqual([stats.builds, stats.values, stats.fileBytes, stats.rollups.timeZone, stats.rollups.prunedUntil], [4, 6, compacted.bytesAfter, 'UTC', '2025-01-16T10:00:00.000Z']);
  const hours = await json<{ points: { bucketStart: string }[] }>(['history', 'size', '--grain', 'hour']);
  assert.equal(hours.points.length, 1);
  assert.ok(hours.points[0].bucketStart > '2025-12-31', 'only the recent run keeps its hour bucket');
  assert.equal((await json<{ points: unknown[] }>(['history', 'size', '--grain', 'day'])).points.length, 3);
  assert.match((await tidemark(['stats'])).stdout, /Runs\s+4 \(manual 1, save 0, ci 0, import 3, backfill 0\)/);
});
