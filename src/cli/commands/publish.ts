import { publishRuns } from '../../core/share';
import { booleanFlag, type CliCommand } from '../context';
import { EXIT_OK } from '../errors';
import { disabled, SHARE_HELP, SHARE_OPTIONS, shareSettings, sharing } from '../share/settings';

export const command: CliCommand = {
  name: 'publish',
  summary: 'Write every clean run not yet shared into git notes; --push sends them to the remote.',
  usage: 'tidemark publish [--push] [--remote R] [--ref REF]',
  details: [
    'Options:',
    '  --push          push the notes ref; if someone pushed first, fetch, merge (union of lines) and retry',
    ...SHARE_HELP,
    '',
    'Only clean runs (no uncommitted changes) of the events in share.events (default ci, manual, backfill) are',
    'published, each as lines appended to the note of the commit it measured. Runs are marked',
    'published once they are in the local notes ref, so a failed push loses nothing: the next',
    '`publish --push` or `sync` pushes them. Exit 4 when sharing fails.',
    'JSON: {"ref","published","alreadyShared","missingCommits":[sha],"pushed","pushAttempts"}',
  ],
  options: { push: 'boolean', ...SHARE_OPTIONS },
  async run(ctx) {
    const settings = await shareSettings(ctx);
    if (disabled(ctx, settings)) return EXIT_OK;
    return sharing(ctx, 'publish', async () => {
      const store = await ctx.openStore();
      const outcome = await publishRuns(ctx.cwd, store, { ref: settings.ref, remote: settings.remote, events: settings.events, push: booleanFlag(ctx, 'push'), logger: ctx.logger });
      if (ctx.json) ctx.out(JSON.stringify(outcome));
      else {
        const pushed = outcome.pushed ? `, pushed to ${settings.remote}${outcome.pushAttempts > 1 ? ` (${outcome.pushAttempts} attempts)` : ''}` : '';
        ctx.out(`Published ${outcome.published} run${outcome.published === 1 ? '' : 's'} to ${outcome.ref}${pushed}.`);
      }
      for (const sha of outcome.missingCommits) ctx.err(`warning: commit ${sha.slice(0, 12)} is not in this repository; its runs were not published`);
      return EXIT_OK;
    });
  },
};
