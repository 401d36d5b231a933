import { pullNotes } from '../../core/share';
import { booleanFlag, type CliCommand } from '../context';
import { EXIT_OK } from '../errors';
import { disabled, noteWarning, SHARE_HELP, SHARE_OPTIONS, shareSettings, sharing } from '../share/settings';

export const command: CliCommand = {
  name: 'pull',
  summary: 'Fetch the team\'s runs from git notes and add the new ones to the history.',
  usage: 'tidemark pull [--remote R] [--ref REF] [--no-fetch]',
  details: [
    'Options:',
    ...SHARE_HELP,
    '  --no-fetch      import what the local notes ref holds, without fetching',
    '',
    'Fetches the remote\'s notes ref, merges it into the local one (union of lines) and imports',
    'every run not yet in the history: pulling twice changes nothing. Only the notes changed since',
    'the last pull are read. Lines that are malformed, oversized or hostile are skipped with a',
    'warning naming the commit and line, and their whole run is skipped. Exit 4 when sharing fails.',
    'JSON: {"ref","tip","notesRead","imported","skipped","rejected","problems":[{"commit","line","message"}]}',
  ],
  options: { 'no-fetch': 'boolean', ...SHARE_OPTIONS },
  async run(ctx) {
    const settings = await shareSettings(ctx);
    if (disabled(ctx, settings)) return EXIT_OK;
    return sharing(ctx, 'pull', async () => {
      // The store opens while git reads the refs (pullNotes awaits it only when it needs it).
      const store = ctx.openStore();
      const opened = store.then(() => undefined, () => undefined);
      const outcome = await pullNotes(ctx.cwd, store, {
        ref: settings.ref,
        remote: settings.remote,
        fetch: !booleanFlag(ctx, 'no-fetch'),
        logger: ctx.logger,
        onProblem: (p) => noteWarning(ctx, p),
      }).catch(async (err: unknown) => {
        // Git failed first: let the store finish opening so it is closed (and unlocked) as usual.
        await opened;
        throw err;
      });
      if (ctx.json) ctx.out(JSON.stringify(outcome));
      else ctx.out(`Pulled ${outcome.imported} new run${outcome.imported === 1 ? '' : 's'} from ${outcome.ref} (${outcome.skipped} already here, ${outcome.notesRead} notes read).`);
      return EXIT_OK;
    });
  },
};
