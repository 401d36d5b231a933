import { findBaseline } from '../../core/analysis';
import { measureBaseline, MeasureBaselineError } from '../../core/measure';
import { formatValue } from '../../core/units';
import { booleanFlag, stringFlag, type CliCommand, type CliContext } from '../context';
import { EXIT_OK, UsageError } from '../errors';
import { formatTable } from '../table';

async function show(ctx: CliContext): Promise<number> {
  const config = await ctx.loadConfig();
  const store = await ctx.openStore({ readOnly: true });
  const baseline = await findBaseline({ cwd: ctx.cwd, store, config });
  if (ctx.json) ctx.out(JSON.stringify({ baseline }, null, 2));
  else if (baseline) ctx.out(`${baseline.explanation} — run #${baseline.build.runNumber} (${baseline.build.event})`);
  else ctx.out('no baseline run recorded yet: run `tidemark baseline --measure` to measure it on this machine');
  return EXIT_OK;
}

async function measure(ctx: CliContext): Promise<number> {
  const config = await ctx.loadConfig();
  const store = await ctx.openStore();
  let outcome;
  try {
    outcome = await measureBaseline({ cwd: ctx.cwd, store, config, commit: stringFlag(ctx, 'commit'), signal: ctx.signal, logger: ctx.logger });
  } catch (error) {
    if (error instanceof MeasureBaselineError) throw new UsageError(error.message, false);
    throw error;
  }
  if (ctx.json) {
    ctx.out(JSON.stringify({ commitSha: outcome.commitSha, reason: outcome.reason, build: outcome.build, results: outcome.results, rejected: outcome.rejected }, null, 2));
    return EXIT_OK;
  }
  ctx.out(`measured ${outcome.commitSha.slice(0, 7)} (${outcome.reason}) in a temporary worktree; recorded as run #${outcome.build.runNumber} of ${outcome.referenceBranch}`);
  const rows = outcome.results.map((r) => [r.metric, r.status, r.status === 'ok' ? formatValue(r.value, config.metrics[r.metric]?.unit) : (r.message ?? '').replace(/\s*\n\s*/g, ' ⏎ ')]);
  ctx.out(formatTable(['Metric', 'Status', 'Value'], rows, ['left', 'left', 'left']));
  for (const r of outcome.rejected) ctx.err(`not stored: ${r.metric}: ${r.message}`);
  return EXIT_OK;
}

export const command: CliCommand = {
  name: 'baseline',
  summary: 'Show the baseline run, or measure it on this machine (--measure) in a temporary git worktree.',
  usage: 'tidemark baseline [--measure [--commit REF]]',
  details: [
    'Options:',
    '  --measure       check out the baseline commit (merge-base with the reference branch, or the',
    '                  previous commit on the reference branch) in a temporary `git worktree`, run the',
    '                  metrics there and record them as a clean run of that commit; your working tree,',
    '                  index and branches are not touched, and the worktree is removed afterwards',
    '  --commit REF    with --measure: measure this commit instead',
    '',
    'Commands run in a fresh checkout: anything they need that git does not track (node_modules,',
    'build output) must be produced by the command itself.',
    'JSON: {"baseline":{"build","method","referenceBranch","explanation"}|null}, or with --measure',
    '      {"commitSha","reason","build","results","rejected"}',
  ],
  options: { measure: 'boolean', commit: 'string' },
  async run(ctx) {
    if (stringFlag(ctx, 'commit') !== undefined && !booleanFlag(ctx, 'measure')) throw new UsageError('--commit needs --measure');
    return booleanFlag(ctx, 'measure') ? measure(ctx) : show(ctx);
  },
};
