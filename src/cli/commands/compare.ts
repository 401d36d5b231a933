import { existsSync } from 'node:fs';
import { noRunMessage, resolveRunRef } from '../../core/analysis/refs';
import { defaultBranch, gitContext } from '../../core/git';
import type { ComparisonSide } from '../../core/store/api';
import { NO_GIT_BRANCH } from '../../core/types';
import { partsLine } from '../../core/analysis/parts';
import { CHANGE_WORDS, compareValues, formatDifference, formatPercent } from '../../core/analysis/vocabulary';
import { formatValue } from '../../core/units';
import { booleanFlag, stringFlag, type CliCommand, type CliContext } from '../context';
import { EXIT_OK, UsageError } from '../errors';
import { formatTable } from '../table';

async function baseRef(ctx: CliContext): Promise<string> {
  const given = stringFlag(ctx, 'base');
  if (given !== undefined) return given;
  if (existsSync(ctx.configPath)) {
    const configured = (await ctx.loadConfig()).baseline.referenceBranch;
    if (configured) return configured;
  }
  const found = await defaultBranch(ctx.cwd);
  if (found === null) throw new UsageError('no reference branch (none configured, no origin/HEAD, main or master): pass --base');
  return found;
}

async function headRef(ctx: CliContext): Promise<string> {
  const given = stringFlag(ctx, 'head');
  if (given !== undefined) return given;
  const { branch } = await gitContext(ctx.cwd, { env: ctx.env });
  if (branch === NO_GIT_BRANCH || branch === 'HEAD') throw new UsageError('cannot tell the current branch: pass --head');
  return branch;
}

function sideText(side: ComparisonSide, isBase = false): string {
  if (!side.build) return `${side.ref} (no ${isBase ? 'clean' : 'recorded'} run)`;
  return `${side.ref} @ ${side.build.commitSha.slice(0, 8)}, run #${side.build.runNumber} (${side.build.timestamp})`;
}

export const command: CliCommand = {
  name: 'compare',
  summary: 'Compare the latest recorded values of two branches or commits.',
  usage: 'tidemark compare [--base REF] [--head REF] [--files]',
  details: [
    'Options:',
    '  --base REF      branch, tag, commit (prefix of at least 4) or any git revision (HEAD~3)',
    '                  (default: baseline.referenceBranch, else origin/HEAD, main or master)',
    '  --head REF      the same, to compare (default: the current branch)',
    '  --files         for each metric that changed, the files (coverage: packages or files)',
    '                  that moved it, from the built-in collectors\' breakdowns, e.g.',
    '                  bundle-size +1.2 kB: dist/chunk-charts.js +1.1 kB (new), dist/app.js +0.1 kB',
    '',
    'A branch with runs stands for its latest recorded run; any other revision for the latest run of',
    'the commit git resolves it to (measure a commit without runs with `tidemark backfill REV`).',
    'The base counts clean runs only (a run with uncommitted changes is no baseline); the head',
    'counts every run, so --head HEAD shows uncommitted changes against --base HEAD\'s clean run.',
    'JSON: {"base":{"ref","commitSha"},"head":{"ref","commitSha"},',
    '       "metrics":[{"metric","unit","direction","base","head","delta","deltaPercent","change","verdict",',
    '                   "parts":[{"name","base","head","delta"}] (with --files, when recorded)}]}',
    '"change" is the direction of change in the words every Tidemark view uses: better, worse,',
    'unchanged, changed (no direction, or a label), unknown (a side has no value). "verdict" is the',
    'same with "same" for unchanged, kept for scripts written against earlier versions.',
  ],
  options: { base: 'string', head: 'string', files: 'boolean' },
  async run(ctx) {
    const base = await baseRef(ctx);
    const head = await headRef(ctx);
    const store = await ctx.openStore({ readOnly: true });
    // Any revision git resolves (tag, short sha, HEAD~3) as well as recorded branch names.
    const [baseSide, headSide] = [await resolveRunRef(store, ctx.cwd, base), await resolveRunRef(store, ctx.cwd, head)];
    const comparison = await store.compare(baseSide.storeRef, headSide.storeRef);
    const files = booleanFlag(ctx, 'files');
    comparison.base.ref = base;
    comparison.head.ref = head;
    for (const side of [baseSide, headSide]) {
      if (!side.build) ctx.err(`note: ${await noRunMessage(ctx.cwd, side)}`);
    }
    if (baseSide.build && !comparison.base.build) {
      ctx.err(`note: ${base} has only runs with uncommitted changes; the base is compared by its clean runs: record one from a clean checkout`);
    }
    const changeOf = (m: (typeof comparison.metrics)[number]) => compareValues(m.head, m.base, { unit: m.unit, direction: m.direction });
    if (ctx.json) {
      ctx.out(
        JSON.stringify({
          base: { ref: comparison.base.ref, commitSha: comparison.base.commitSha },
          head: { ref: comparison.head.ref, commitSha: comparison.head.commitSha },
          metrics: comparison.metrics.map((m) => ({
            metric: m.metric,
            unit: m.unit,
            direction: m.direction,
            base: m.base,
            head: m.head,
            delta: m.delta,
            deltaPercent: m.deltaPercent,
            change: changeOf(m).direction,
            verdict: m.verdict,
            ...(files && m.parts ? { parts: m.parts } : {}),
          })),
        }),
      );
      return EXIT_OK;
    }
    ctx.out(`Base: ${sideText(comparison.base, true)}`);
    ctx.out(`Head: ${sideText(comparison.head)}`);
    ctx.out('');
    // The report's Compare columns and words: Change in the unit (pp for percentages), Change %, Direction.
    const rows = comparison.metrics.map((m) => {
      const change = changeOf(m);
      return [
        m.metric,
        formatValue(m.base, m.unit),
        formatValue(m.head, m.unit),
        change.delta === null ? '—' : formatDifference(change.delta, m.unit),
        change.percent === null ? '—' : formatPercent(change.percent),
        CHANGE_WORDS[change.direction],
      ];
    });
    ctx.out(formatTable(['Metric', 'Base', 'Head', 'Change', 'Change %', 'Direction'], rows, ['left', 'right', 'right', 'right', 'right', 'left']));
    if (files) {
      const moved = comparison.metrics.filter((m) => m.delta !== null && m.delta !== 0);
      ctx.out('');
      if (moved.length === 0) ctx.out('No metric changed.');
      for (const m of moved) ctx.out(m.parts?.length ? partsLine(m.metric, m.delta, m.unit, m.parts, 10) : `${partsLine(m.metric, m.delta, m.unit, undefined)} (no per-file breakdown recorded)`);
    }
    return EXIT_OK;
  },
};
