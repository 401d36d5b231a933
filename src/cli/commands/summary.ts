import { existsSync } from 'node:fs';
import { stringFlag, type CliCommand } from '../context';
import { EXIT_OK } from '../errors';
import { formatTable } from '../table';
import { isoFlag } from './history';

export const command: CliCommand = {
  name: 'summary',
  summary: 'Runs, events, branches and whether each metric has complete data over a time range.',
  usage: 'tidemark summary [--since ISO] [--until ISO]',
  details: [
    'Options:',
    '  --since ISO     from the start of this day (store time zone; default: all history)',
    '  --until ISO     up to this time',
    '',
    'Per metric: ok (a value in every run that tried it), partial (some runs failed, timed out',
    'or gave invalid output; the note is the latest error), missing (configured, no value).',
    'Read from rollups, so runs deleted by retention still count.',
    'JSON: {"since","until","timeZone","runs","runsByEvent","branches","metricsWithValues","lastRun",',
    '       "metrics":[{"metric","status","values","failures","lastUpdated","note"}]}',
  ],
  options: { since: 'string', until: 'string' },
  async run(ctx) {
    const since = isoFlag(ctx, 'since');
    const until = isoFlag(ctx, 'until');
    const configured = existsSync(ctx.configPath) ? Object.keys((await ctx.loadConfig()).metrics) : undefined;
    const store = await ctx.openStore({ readOnly: true });
    const summary = await store.summary({ since, until, metrics: configured });
    if (ctx.json) {
      ctx.out(JSON.stringify(summary));
      return EXIT_OK;
    }
    const range = `${summary.since ?? 'the first run'} to ${summary.until ?? 'now'} (${summary.timeZone})`;
    ctx.out(`From ${range}: ${summary.runs} runs (${Object.entries(summary.runsByEvent).map(([e, n]) => `${e} ${n}`).join(', ')})`);
    ctx.out(`Branches: ${summary.branches.join(', ') || 'none'}`);
    if (summary.lastRun) ctx.out(`Last run: ${summary.lastRun.timestamp} on ${summary.lastRun.branch} (${summary.lastRun.event})`);
    if (summary.metrics.length) {
      ctx.out('');
      ctx.out(
        formatTable(
          ['Metric', 'Status', 'Values', 'Failures', 'Last updated', 'Note'],
          summary.metrics.map((m) => [m.metric, m.status, String(m.values), String(m.failures), m.lastUpdated ?? '-', m.note ?? '']),
          ['left', 'left', 'right', 'right', 'left', 'left'],
        ),
      );
    }
    if (stringFlag(ctx, 'since') === undefined && summary.runs === 0) ctx.out('No runs recorded yet.');
    return EXIT_OK;
  },
};
