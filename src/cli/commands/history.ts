import { formatValue } from '../../core/units';
import { stringFlag, type CliCommand, type CliContext } from '../context';
import { EXIT_OK, UsageError } from '../errors';
import { formatTable } from '../table';

/** An ISO date or date-time, normalised to the store's UTC ISO form. */
function isoFlag(ctx: CliContext, name: string): string | undefined {
  const given = stringFlag(ctx, name);
  if (given === undefined) return undefined;
  const ms = /^\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/.test(given) ? Date.parse(given) : NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--${name} must be an ISO date or date-time such as 2025-01-31 or 2025-01-31T12:00:00Z (got "${given}")`);
  return new Date(ms).toISOString();
}

export const command: CliCommand = {
  name: 'history',
  summary: 'Show the recorded values of one metric, oldest first.',
  usage: 'tidemark history METRIC [--branch B] [--since ISO] [--until ISO]',
  details: [
    'Options:',
    '  --branch B      only runs on this branch',
    '  --since ISO     only runs at or after this time (e.g. 2025-01-31 or 2025-01-31T12:00:00Z)',
    '  --until ISO     only runs at or before this time',
    '',
    'JSON: {"metric","unit","points":[{"value","commitSha","branch","event","dirty","timestamp","runNumber"}]}',
  ],
  options: { branch: 'string', since: 'string', until: 'string' },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const [metric] = ctx.positionals;
    const since = isoFlag(ctx, 'since');
    const until = isoFlag(ctx, 'until');
    const store = await ctx.openStore();
    const definitions = await store.definitions();
    const definition = definitions.find((d) => d.id === metric);
    if (!definition) {
      const known = definitions.map((d) => d.id).join(', ') || 'none yet';
      throw new UsageError(`no recorded metric "${metric}" (recorded: ${known})`, false);
    }
    const points = await store.series({ metric, branch: stringFlag(ctx, 'branch'), since, until });
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
