import { existsSync } from 'node:fs';
import { DEFAULT_RETENTION } from '../../core/store/retention';
import { type CliCommand } from '../context';
import { EXIT_OK } from '../errors';
import { formatBytes } from './stats';

export const command: CliCommand = {
  name: 'compact',
  summary: 'Apply the retention policy (tidemark.json "retention") and shrink the history file.',
  usage: 'tidemark compact',
  details: [
    'Deletes on-save runs older than retention.rawDays (default 30), keeping the last run of each',
    'commit on each branch (retention.commitRuns, default "all"), then rewrites the file without',
    'free space. Rollups are kept, so charts and summaries keep the deleted runs\' values.',
    'JSON: {"deleted","prunedUntil","bytesBefore","bytesAfter","runs","values"}',
  ],
  options: {},
  async run(ctx) {
    const config = existsSync(ctx.configPath) ? await ctx.loadConfig() : undefined;
    const policy = config?.retention ?? DEFAULT_RETENTION;
    const store = await ctx.openStore();
    const before = await store.stats();
    let deleted = 0;
    let prunedUntil: string | null = null;
    for (;;) {
      const slice = await store.applyRetention(policy, { maxBuilds: 1000 });
      deleted += slice.deleted;
      prunedUntil = slice.prunedUntil;
      if (slice.done) break;
    }
    await store.compact({ vacuum: true });
    const after = await store.stats();
    const result = { deleted, prunedUntil, bytesBefore: before.fileBytes + before.journalBytes, bytesAfter: after.fileBytes + after.journalBytes, runs: after.builds, values: after.values };
    if (ctx.json) {
      ctx.out(JSON.stringify(result));
      return EXIT_OK;
    }
    const kept = `rawDays ${policy.rawDays}, commitRuns ${policy.commitRuns}`;
    ctx.out(deleted ? `Deleted ${deleted} runs (${kept}); their values stay in the rollups.` : `Nothing to delete (${kept}).`);
    ctx.out(`Size: ${formatBytes(result.bytesBefore)} -> ${formatBytes(result.bytesAfter)}; ${after.builds} runs and ${after.values} values kept.`);
    return EXIT_OK;
  },
};
