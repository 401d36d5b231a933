import { findChanges, type MetricChange } from '../../core/analysis/changes';
import { DEFAULT_MIN_SEGMENT, DEFAULT_SIGNIFICANCE } from '../../core/analysis/changePoints';
import { formatPercentChange, formatValue } from '../../core/units';
import type { Unit } from '../../core/types';
import { stringFlag, type CliCommand, type CliContext } from '../context';
import { EXIT_OK, UsageError } from '../errors';
import { clip, formatTable } from '../table';
import { recordedDefinition } from './history';

/** --since: an ISO date or date-time, or an age such as 30d, 12w, 6m (months), 1y. */
export function sinceFlag(ctx: CliContext, now = Date.now()): string | undefined {
  const given = stringFlag(ctx, 'since');
  if (given === undefined) return undefined;
  const age = /^(\d+)\s*([dwmy])$/.exec(given.trim());
  if (age) {
    const days = Number(age[1]) * { d: 1, w: 7, m: 30, y: 365 }[age[2] as 'd' | 'w' | 'm' | 'y'];
    return new Date(now - days * 86_400_000).toISOString();
  }
  const ms = /^\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/.test(given) ? Date.parse(given) : NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--since must be an ISO date (2025-01-31), a date-time, or an age such as 30d, 12w, 6m, 1y (got "${given}")`);
  return new Date(ms).toISOString();
}

function numberFlag(ctx: CliContext, name: string, check: (n: number) => boolean, rule: string): number | undefined {
  const given = stringFlag(ctx, name);
  if (given === undefined) return undefined;
  const n = Number(given);
  if (given.trim() === '' || !check(n)) throw new UsageError(`--${name} must be ${rule} (got "${given}")`);
  return n;
}

/** Characters of a commit subject the table shows. */
const SUBJECT_CHARS = 60;

function changeRow(c: MetricChange): string[] {
  const unit = (c.unit ?? undefined) as Unit | undefined;
  return [
    c.metric,
    c.branch,
    c.commitSha.slice(0, 7),
    c.time.slice(0, 10),
    `${formatValue(c.before, unit)} → ${formatValue(c.after, unit)}`,
    formatPercentChange(c.relativeChange === null ? null : c.relativeChange * 100),
    // A subject is a line of any length: the table shows its start (--json has it whole).
    [c.subject === undefined ? '' : `"${clip(c.subject, SUBJECT_CHARS)}"`, c.author ?? ''].filter(Boolean).join(' — '),
  ];
}

export const command: CliCommand = {
  name: 'changes',
  summary: 'Name the commits where a metric changed level (change points per branch, in commit order).',
  usage: 'tidemark changes [METRIC…] [--branch B] [--since DATE|30d] [--significance P] [--json]',
  details: [
    'Options:',
    '  --branch B        only this branch (default: every branch with runs)',
    '  --since DATE      only changes at or after this time: an ISO date or an age (30d, 12w, 6m, 1y)',
    `  --significance P  largest p-value a change may have (default ${DEFAULT_SIGNIFICANCE}); smaller finds fewer`,
    `  --min-segment N   fewest commits on each side of a change (default ${DEFAULT_MIN_SEGMENT})`,
    '',
    'Each branch is read in its first-parent commit order (one value per commit: its latest clean',
    'run). Method: E-Divisive means with Hunter\'s t-test pruning, outliers removed by a Hampel filter',
    '(see docs/collectors.md). Measure older commits with `tidemark backfill` to give it a history.',
    'JSON: {"changes":[{"metric","branch","commitSha","previousSha","before","after","relativeChange",',
    '       "unit","time","subject","author"}]} newest first',
  ],
  options: { branch: 'string', since: 'string', significance: 'string', 'min-segment': 'string' },
  positionals: { min: 0, max: Number.MAX_SAFE_INTEGER },
  async run(ctx) {
    const since = sinceFlag(ctx);
    const significance = numberFlag(ctx, 'significance', (n) => n > 0 && n < 1, 'a number between 0 and 1, e.g. 0.01');
    const minSegment = numberFlag(ctx, 'min-segment', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
    const store = await ctx.openStore();
    for (const metric of ctx.positionals) {
      const definition = await recordedDefinition(store, metric);
      if (definition.type !== 'numeric') throw new UsageError(`"${metric}" is a label metric: change points need numbers`, false);
    }
    const branch = stringFlag(ctx, 'branch');
    if (branch !== undefined && !(await store.branches()).some((b) => b.branch === branch)) {
      throw new UsageError(`no runs recorded on branch "${branch}"`, false);
    }
    const changes = await findChanges(store, ctx.cwd, { metrics: ctx.positionals.length ? ctx.positionals : undefined, branch, since, significance, minSegment });
    if (ctx.json) {
      ctx.out(JSON.stringify({ changes }));
      return EXIT_OK;
    }
    if (changes.length === 0) {
      ctx.out('No changes found.');
      return EXIT_OK;
    }
    ctx.out(formatTable(['Metric', 'Branch', 'Commit', 'Date', 'Before → after', 'Change', 'Subject — author'], changes.map(changeRow), ['left', 'left', 'left', 'left', 'right', 'right', 'left']));
    return EXIT_OK;
  },
};
