import { type CliCommand } from '../context';
import { EXIT_OK } from '../errors';
import { formatTable } from '../table';

export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;
}

export const command: CliCommand = {
  name: 'stats',
  summary: "The history database's size and what it holds.",
  usage: 'tidemark stats',
  details: [
    'JSON: {"path","fileBytes","journalBytes","builds","values","metrics","branches","firstRun","lastRun",',
    '       "runsByEvent","rollups":{"metricRows","labelRows","runRows","timeZone","prunedUntil"},"problems"}',
  ],
  options: {},
  async run(ctx) {
    const store = await ctx.openStore({ readOnly: true });
    const stats = await store.stats();
    if (ctx.json) {
      ctx.out(JSON.stringify(stats));
      return EXIT_OK;
    }
    const rows: string[][] = [
      ['Database', stats.path],
      ['Size', `${formatBytes(stats.fileBytes)} + ${formatBytes(stats.journalBytes)} journal`],
      ['Runs', `${stats.builds}${stats.runsByEvent ? ` (${Object.entries(stats.runsByEvent).map(([e, n]) => `${e} ${n}`).join(', ')})` : ''}`],
      ['Values', String(stats.values)],
      ['Metrics', String(stats.metrics)],
      ['Branches', String(stats.branches)],
      ['First run', stats.firstRun ?? '-'],
      ['Last run', stats.lastRun ?? '-'],
    ];
    if (stats.rollups) {
      rows.push(['Rollup rows', `${stats.rollups.metricRows} values, ${stats.rollups.labelRows} labels, ${stats.rollups.runRows} runs`]);
      rows.push(['Time zone', stats.rollups.timeZone]);
      rows.push(['Raw runs deleted up to', stats.rollups.prunedUntil ?? 'none deleted']);
    }
    ctx.out(formatTable(['', ''], rows).split('\n').slice(2).join('\n'));
    for (const problem of stats.problems ?? []) ctx.err(`warning: ${problem.message}`);
    return EXIT_OK;
  },
};
