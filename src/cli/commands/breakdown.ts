import type { BreakdownDimension } from '../../core/store/api';
import { formatValue } from '../../core/units';
import { stringFlag, type CliCommand } from '../context';
import { EXIT_OK, UsageError } from '../errors';
import { formatTable } from '../table';
import { isoFlag, recordedDefinition } from './history';

const DIMENSIONS: BreakdownDimension[] = ['branch', 'event', 'label'];

export const command: CliCommand = {
  name: 'breakdown',
  summary: 'Break one metric down by branch (latest value), event (counts) or label (distribution).',
  usage: 'tidemark breakdown METRIC --by branch|event|label [--since ISO] [--until ISO]',
  details: [
    'Options:',
    '  --by D          branch, event or label (label metrics only)',
    '  --since ISO     from the start of this day (store time zone)',
    '  --until ISO     up to this time',
    '',
    'JSON: {"metric","by","since","until","groups":[{"key","count","failures","min","max","mean","last","lastAt"}]}',
    '      (by label: {"key","count","share"})',
  ],
  options: { by: 'string', since: 'string', until: 'string' },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const [metric] = ctx.positionals;
    const by = stringFlag(ctx, 'by');
    if (by === undefined) throw new UsageError('--by is required: branch, event or label');
    if (!DIMENSIONS.includes(by as BreakdownDimension)) throw new UsageError(`--by must be branch, event or label (got "${by}")`);
    const since = isoFlag(ctx, 'since');
    const until = isoFlag(ctx, 'until');
    const store = await ctx.openStore({ readOnly: true });
    const definition = await recordedDefinition(store, metric);
    if (by === 'label' && definition.type !== 'label') throw new UsageError(`--by label needs a label metric; ${metric} is numeric`, false);
    const result = await store.breakdown({ metric, by: by as BreakdownDimension, since, until });
    if (ctx.json) {
      ctx.out(JSON.stringify(result));
      return EXIT_OK;
    }
    if (!result.groups.length) {
      ctx.out(`No values of ${metric} in this range.`);
      return EXIT_OK;
    }
    if (by === 'label') {
      ctx.out(formatTable(['Label', 'Values', 'Share'], result.groups.map((g) => [g.key, String(g.count), `${((g.share ?? 0) * 100).toFixed(1)}%`]), ['left', 'right', 'right']));
      return EXIT_OK;
    }
    const fmt = (v: number | string | null | undefined) => (v === null || v === undefined ? '-' : formatValue(v, definition.unit));
    ctx.out(
      formatTable(
        [by === 'branch' ? 'Branch' : 'Event', 'Values', 'Failures', 'Min', 'Mean', 'Max', 'Last', 'Last at'],
        result.groups.map((g) => [g.key, String(g.count), String(g.failures), fmt(g.min), fmt(g.mean), fmt(g.max), fmt(g.last), g.lastAt ?? '-']),
        ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
      ),
    );
    return EXIT_OK;
  },
};
