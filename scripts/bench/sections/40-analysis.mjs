// Analysis benchmarks: judging a run against its baseline (git ancestry + store queries +
// statistics) as history grows, and the cost of the hand-written t quantile.
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { median, ms, timeRuns } from '../lib.mjs';

const METRICS = 10;
/** git processes one evaluate() of a feature-branch HEAD starts (counted in test/unit/analysis/baseline.test.ts). */
const GIT_PROCESSES = 5;

/** A repository with `commits` first-parent commits on main and one on feature, made by fast-import. */
function repository(ctx, commits) {
  const dir = ctx.tempDir();
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  let stream = '';
  for (let i = 0; i < commits; i++) {
    stream += `commit refs/heads/main\nmark :${i + 1}\ncommitter B <b@example.com> ${1_700_000_000 + i * 3600} +0000\ndata 2\nc\n${i ? `from :${i}\n` : ''}\n`;
  }
  stream += `commit refs/heads/feature\ncommitter B <b@example.com> ${1_700_000_000 + commits * 3600} +0000\ndata 2\nf\nfrom :${commits}\n\n`;
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream });
  execFileSync('git', ['checkout', '-q', 'feature'], { cwd: dir });
  const shas = execFileSync('git', ['rev-list', '--reverse', 'main'], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
  return { dir, shas, head: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim() };
}

async function evaluateSection(ctx) {
  const { openStore } = ctx.out('src/core/store/sqlStore.js');
  const { evaluate } = ctx.out('src/core/analysis/evaluate.js');
  const definitions = Array.from({ length: METRICS }, (_, k) => ({ id: `m${k}`, type: 'numeric', unit: 'bytes', direction: 'lower-is-better' }));
  const metrics = Object.fromEntries(
    definitions.map((d) => [d.id, { type: 'numeric', unit: 'bytes', direction: 'lower-is-better', command: 'x', timeout: 1000, onSave: false, thresholds: { test: 't-test', maxIncreasePercent: 5, max: '2 kB' } }]),
  );
  const config = { metrics, baseline: { referenceBranch: 'main', maxAgeDays: 90 } };
  const rows = [];
  for (const runs of ctx.quick ? [100, 1000] : [100, 1000, 5000]) {
    const repo = repository(ctx, runs);
    const store = await openStore(path.join(repo.dir, 'bench.db'));
    const build = (sha, branch, i) => ({ commitSha: sha, branch, runId: `r${i}`, event: 'ci', timestamp: new Date(1_700_000_000_000 + i * 3_600_000).toISOString(), dirty: false });
    for (let i = 0; i < runs; i++) {
      await store.recordBuild({ build: build(repo.shas[i], 'main', i), definitions, results: definitions.map((d, k) => ({ metric: d.id, status: 'ok', value: 1000 + ((i * 7 + k) % 50), durationMs: 1 })) });
    }
    await store.recordBuild({ build: build(repo.head, 'feature', runs), definitions, results: definitions.map((d) => ({ metric: d.id, status: 'ok', value: 1100, durationMs: 1 })) });
    // Three warm-ups: the first history size would otherwise also time the compilation of the analysis code.
    const rounds = { runs: ctx.quick ? 5 : 9, warmup: 3 };
    const times = median(await timeRuns(() => evaluate({ cwd: repo.dir, store, config }), rounds));
    // What a judgement from the whole history reads at least: every clean value of each metric.
    const whole = median(await timeRuns(async () => { for (const d of definitions) await store.series({ metric: d.id, dirty: false }); }, rounds));
    // The floor of evaluate()'s git work from this process: as many bare git starts (cost grows with the process's memory).
    const gitStart = () => new Promise((resolve) => execFile('git', ['--version'], resolve));
    const spawns = median(await timeRuns(async () => { for (let i = 0; i < GIT_PROCESSES; i++) await gitStart(); }, rounds));
    rows.push([`${runs} runs × ${METRICS} metrics`, ms(times), ms(times / METRICS), ms(spawns), ms(whole), `${(times / whole).toFixed(2)}×`]);
    await store.close();
  }
  return {
    columns: ['history (clean runs of main)', 'evaluate()', 'per metric', `${GIT_PROCESSES} × git --version`, 'read whole history (naive)', 'vs naive'],
    rows,
    notes: [
      '3 rules per metric (max, maxIncreasePercent, t-test over 64 runs); merge-base found by git, in-process store.',
      'evaluate() reads the baseline\'s candidate commits and the statistical window; naive = only reading every clean value of each metric, as a judgement from the whole history must (before 2026-12-03 evaluate() did that and more)',
      `evaluate() also runs ${GIT_PROCESSES} git processes (HEAD and its branch, the reference tip, the merge-base, the walk back, the baseline's ancestry): most of its time on a short history. "${GIT_PROCESSES} × git --version" is their floor from this process; starting a process costs more the more memory its parent holds (this one holds the earlier sections' stores), as in an extension host. The naive column is store reads only`,
    ],
  };
}

async function quantileSection(ctx) {
  const { studentTQuantile, normalQuantile } = ctx.out('src/core/analysis/distributions.js');
  const calls = 2000;
  const rows = [];
  for (const [label, fn] of [
    ['Student t quantile (df 1…63, p 0.99)', (i) => studentTQuantile(0.99, 1 + (i % 63))],
    ['normal quantile (p 0.99)', () => normalQuantile(0.99)],
  ]) {
    const times = await timeRuns(() => {
      for (let i = 0; i < calls; i++) fn(i);
    }, { runs: 5, warmup: 1 });
    rows.push([label, `${((median(times) * 1000) / calls).toFixed(2)} µs`]);
  }
  return { columns: ['function', 'per call'], rows, notes: ['Bisection on the regularized incomplete beta to 1e-12; one t-test needs one quantile.'] };
}

export const sections = [
  { name: 'analysis: evaluate', description: 'Judging a run against its baseline as history grows.', run: evaluateSection },
  { name: 'analysis: quantiles', description: 'Cost of the hand-written distribution quantiles.', run: quantileSection },
];
