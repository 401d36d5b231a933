import { existsSync } from 'node:fs';
import path from 'node:path';
import { type CliCommand } from '../context';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UsageError } from '../errors';

export const command: CliCommand = {
  name: 'import',
  summary: 'Import history from a JSONL file (Unentropy format); re-importing is harmless.',
  usage: 'tidemark import FILE.jsonl',
  details: [
    'Lines that cannot be imported are reported by line number and the exit code is 2;',
    'the valid lines are imported. Values already in the history are skipped.',
    'Ctrl-C (or SIGTERM/SIGHUP) stops the import and imports nothing.',
    'JSON: {"imported","skipped","builds","problems":[{"line","message"}]}',
  ],
  options: {},
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const file = path.resolve(ctx.cwd, ctx.positionals[0]);
    if (!existsSync(file)) throw new UsageError(`no such file: ${file}`, false);
    const store = await ctx.openStore();
    let outcome;
    try {
      outcome = await store.importJsonl(file, { signal: ctx.signal });
    } catch (error) {
      if (!ctx.signal.aborted) throw error;
      ctx.err('tidemark import: interrupted; nothing was imported');
      return EXIT_INTERRUPTED;
    }
    if (ctx.json) ctx.out(JSON.stringify(outcome));
    else ctx.out(`Imported ${outcome.imported} values in ${outcome.builds} runs (${outcome.skipped} already present).`);
    for (const p of outcome.problems) ctx.err(`${ctx.positionals[0]}:${p.line}: ${p.message}`);
    return outcome.problems.length ? EXIT_USAGE : EXIT_OK;
  },
};
