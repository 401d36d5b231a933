import { syncNotes } from '../../core/share';
import { type CliCommand } from '../context';
import { EXIT_OK } from '../errors';
import { disabled, noteWarning, SHARE_HELP, SHARE_OPTIONS, shareSettings, sharing } from '../share/settings';

export const command: CliCommand = {
  name: 'sync',
  summary: 'Publish and pull in one go: write new runs to notes, merge the remote\'s, push, import.',
  usage: 'tidemark sync [--remote R] [--ref REF]',
  details: [
    'Options:',
    ...SHARE_HELP,
    '',
    'Same as `tidemark publish --push` and `tidemark pull`, with one fetch. Exit 4 when sharing fails.',
    'JSON: {"publish":{…},"pull":{…}} (see publish --help and pull --help)',
  ],
  options: { ...SHARE_OPTIONS },
  async run(ctx) {
    const settings = await shareSettings(ctx);
    if (disabled(ctx, settings)) return EXIT_OK;
    return sharing(ctx, 'sync', async () => {
      const store = await ctx.openStore();
      const outcome = await syncNotes(ctx.cwd, store, {
        ref: settings.ref,
        remote: settings.remote,
        events: settings.events,
        logger: ctx.logger,
        onProblem: (p) => noteWarning(ctx, p),
      });
      if (ctx.json) ctx.out(JSON.stringify(outcome));
      else {
        const { publish, pull } = outcome;
        ctx.out(`Published ${publish.published} run${publish.published === 1 ? '' : 's'}${publish.pushed ? ` and pushed to ${settings.remote}` : ''}; pulled ${pull.imported} new run${pull.imported === 1 ? '' : 's'} from ${outcome.pull.ref}.`);
      }
      return EXIT_OK;
    });
  },
};
