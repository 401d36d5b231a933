import { noRunMessage, resolveRunRef } from '../../core/analysis/refs';
import { firstParentOrder } from '../../core/git/commits';
import { ROLLUP_GRAINS, type RollupGrain, type SeriesPoint, type StoreApi } from '../../core/store/api';
import type { MetricDefinition } from '../../core/types';
import { formatValue } from '../../core/units';
import { stringFlag, type CliCommand, type CliContext } from '../context';
import { EXIT_OK, UsageError } from '../errors';
import { formatTable } from '../table';

/** An ISO date or date-time, normalised to the store's UTC ISO form. */
export function isoFlag(ctx: CliContext, name: string): string | undefined {
  const given = stringFlag(ctx, name);
  if (given === undefined) return undefined;
  const ms = /^\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/.test(given) ? Date.parse(given) : NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--${name} must be an ISO date or date-time such as 2025-01-31 or 2025-01-31T12:00:00Z (got "${given}")`);
  return new Date(ms).toISOString();
}

/** The definition of a recorded metric, or a usage error listing the recorded ones. */
export async function recordedDefinition(store: StoreApi, metric: string): Promise<MetricDefinition> {
  const definitions = await store.definitions();
  const definition = definitions.find((d) => d.id === metric);
  if (!definition) {
    const known = definitions.map((d) => d.id).join(', ') || 'none yet';
    throw new UsageError(`no recorded metric "${metric}" (recorded: ${known})`, false);
  }
  return definition;
}

const GRAINS = ['raw', ...ROLLUP_GRAINS];

/**
 * --branch B: a branch with runs gives its runs; any other revision git resolves (a tag,
 * HEAD~3, a branch measured under another name) gives the runs of the commits on its
 * first-parent line.
 */
async function revisionSeries(ctx: CliContext, store: StoreApi, metric: string, since?: string, until?: string): Promise<SeriesPoint[]> {
  const branch = stringFlag(ctx, 'branch');
  if (branch === undefined || (await store.branches()).some((b) => b.branch === branch)) return store.series({ metric, branch, since, until });
  const resolved = await resolveRunRef(store, ctx.cwd, branch);
  if (!resolved.commitSha) throw new UsageError(await noRunMessage(ctx.cwd, resolved), false);
  const line = new Set(await firstParentOrder(ctx.cwd, resolved.commitSha));
  const points = (await store.series({ metric, since, until })).filter((p) => line.has(p.commitSha));
  if (points.length === 0) ctx.err(`note: ${await noRunMessage(ctx.cwd, resolved)}`);
  return points;
}

async function bucketed(ctx: CliContext, store: StoreApi, definition: MetricDefinition, grain: RollupGrain, since?: string, until?: string): Promise<number> {
  const metric = definition.id;
  const points = await store.rollupSeries({ metric, grain, branch: stringFlag(ctx, 'branch'), since, until });
  if (ctx.json) {
    ctx.out(JSON.stringify({ metric, unit: definition.unit, grain, points }));
    return EXIT_OK;
  }
  if (points.length === 0) {
    ctx.out(`No values of ${metric} match.`);
    return EXIT_OK;
  }
  const fmt = (v: number | string | null) => (v === null ? '-' : formatValue(v, definition.unit));
  const rows = points.map((p) => [
    p.bucketStart + (p.carried ? ' <' : ''),
    String(p.count),
    fmt(p.min),
    fmt(p.mean),
    fmt(p.max),
    fmt(p.last),
    ...(p.labels ? [Object.entries(p.labels).map(([label, n]) => `${label}×${n}`).join(' ')] : []),
  ]);
  const headers = ['Bucket', 'Values', 'Min', 'Mean', 'Max', 'Last', ...(definition.type === 'label' ? ['Labels'] : [])];
  ctx.out(formatTable(headers, rows, ['left', 'right', 'right', 'right', 'right', 'right', 'left']));
  if (points.some((p) => p.carried)) ctx.out('\n< the last bucket before the range, carried in');
  return EXIT_OK;
}

export const command: CliCommand = {
  name: 'history',
  summary: 'Show the recorded values of one metric, oldest first.',
  usage: 'tidemark history METRIC [--grain raw|hour|day|week|month] [--branch B] [--since ISO] [--until ISO]',
  details: [
    'Options:',
    '  --grain G       raw (every run, the default) or one point per hour, day, week or month',
    '                  (from the rollups: count, min, mean, max, first and last value)',
    '  --branch B      only runs on this branch; any other revision (tag, sha, HEAD~3): the runs of',
    '                  the commits on its first-parent line',
    '  --since ISO     only runs at or after this time (e.g. 2025-01-31 or 2025-01-31T12:00:00Z)',
    '  --until ISO     only runs at or before this time',
    '',
    'JSON: {"metric","unit","points":[{"value","commitSha","branch","event","dirty","timestamp","runNumber"}]}',
    '  with --grain: {"metric","unit","grain","points":[{"bucketStart","count","failures","min","max","sum",',
    '                 "mean","first","last","firstAt","lastAt","lastBuildId","labels"?,"carried"?}]}',
    '  A range starting inside a bucket without values begins with the bucket before it ("carried").',
  ],
  options: { branch: 'string', since: 'string', until: 'string', grain: 'string' },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const [metric] = ctx.positionals;
    const grain = stringFlag(ctx, 'grain') ?? 'raw';
    if (!GRAINS.includes(grain)) throw new UsageError(`--grain must be one of ${GRAINS.join(', ')} (got "${grain}")`);
    const since = isoFlag(ctx, 'since');
    const until = isoFlag(ctx, 'until');
    const store = await ctx.openStore({ readOnly: true });
    const definition = await recordedDefinition(store, metric);
    if (grain !== 'raw') return bucketed(ctx, store, definition, grain as RollupGrain, since, until);
    const points = await revisionSeries(ctx, store, metric, since, until);
    if (ctx.json) {
      ctx.out(
        JSON.stringify({
          metric,
          unit: definition.unit,
          points: points.map((p) => ({
            value: p.value,
            commitSha: p.commitSha,
            branch: p.branch,
            event: p.event,
            dirty: p.dirty,
            timestamp: p.timestamp,
            runNumber: p.runNumber,
          })),
        }),
      );
      return EXIT_OK;
    }
    if (points.length === 0) {
      ctx.out(`No values of ${metric} match.`);
      return EXIT_OK;
    }
    const rows = points.map((p) => [
      p.timestamp,
      `#${p.runNumber}`,
      p.branch,
      p.commitSha.slice(0, 8) + (p.dirty ? '*' : ''),
      p.event,
      formatValue(p.value, definition.unit),
    ]);
    ctx.out(formatTable(['Time', 'Run', 'Branch', 'Commit', 'Event', metric], rows, ['left', 'right', 'left', 'left', 'left', 'right']));
    if (points.some((p) => p.dirty)) ctx.out('\n* run made with uncommitted changes');
    return EXIT_OK;
  },
};
