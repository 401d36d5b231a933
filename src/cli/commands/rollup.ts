import { existsSync } from 'node:fs';
import { booleanFlag, type CliCommand } from '../context';
import { EXIT_OK } from '../errors';

export const command: CliCommand = {
  name: 'rollup',
  summary: 'Show the rollups (pre-aggregated hour/day/week/month buckets) or rebuild them from raw runs.',
  usage: 'tidemark rollup [--rebuild]',
  details: [
    'Options:',
    '  --rebuild       recompute the rollups from the raw runs, in tidemark.json\'s "timezone"',
    '                  (default UTC). Buckets whose raw runs retention deleted are kept as they are.',
    '',
    'JSON: {"rebuilt","metricRows","labelRows","runRows","timeZone","keptThrough"|"prunedUntil"}',
  ],
  options: { rebuild: 'boolean' },
  async run(ctx) {
    const config = existsSync(ctx.configPath) ? await ctx.loadConfig() : undefined;
    const store = await ctx.openStore();
    if (booleanFlag(ctx, 'rebuild')) {
      const outcome = await store.rebuildRollups(config ? { timeZone: config.timezone ?? 'UTC' } : {});
      if (ctx.json) ctx.out(JSON.stringify({ rebuilt: true, ...outcome }));
      else {
        ctx.out(`Rebuilt ${outcome.metricRows} value, ${outcome.labelRows} label and ${outcome.runRows} run rollup rows (${outcome.timeZone}).`);
        if (outcome.keptThrough) ctx.out(`Buckets starting up to ${outcome.keptThrough} were kept: retention deleted their raw runs.`);
      }
      return EXIT_OK;
    }
    const rollups = (await store.stats()).rollups;
    if (ctx.json) {
      ctx.out(JSON.stringify({ rebuilt: false, ...rollups }));
      return EXIT_OK;
    }
    if (!rollups) return EXIT_OK;
    ctx.out(`${rollups.metricRows} value, ${rollups.labelRows} label and ${rollups.runRows} run rollup rows; time zone ${rollups.timeZone}.`);
    const wanted = config?.timezone ?? 'UTC';
    if (config && wanted !== rollups.timeZone) ctx.out(`tidemark.json asks for ${wanted}: run tidemark rollup --rebuild to re-bucket.`);
    return EXIT_OK;
  },
};
