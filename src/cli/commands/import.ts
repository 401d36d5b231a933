import { existsSync } from 'node:fs';
import path from 'node:path';
import { isSqliteFile, readUnentropyDb } from '../../core/import/unentropyDb';
import { booleanFlag, type CliCommand } from '../context';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UsageError } from '../errors';

export const command: CliCommand = {
  name: 'import',
  summary: 'Import history from a JSONL file (Unentropy format) or an Unentropy SQLite database; re-importing is harmless.',
  usage: 'tidemark import FILE.jsonl|unentropy.db [--skip-invalid]',
  details: [
    'Options:',
    '  --skip-invalid  import the valid lines even when some lines are bad',
    '',
    'JSONL: one measurement per line (metric_id, timestamp, value_numeric or value_label, optional',
    'commit_sha, branch, source, run_id, run_number ≥ 0, and Tidemark\'s event, dirty, unit, direction',
    'as written by `tidemark export`). All or nothing: when any line is bad, every bad line is',
    'reported by number, NOTHING is imported and the exit code is 2; with --skip-invalid the valid',
    'lines are imported and the bad ones still reported (exit 2).',
    'A line without commit_sha is recorded under the all-zero commit (branch "(no git)" unless',
    'given): it is kept and shown by time, but never matched to a commit (compare, baselines).',
    '',
    'An Unentropy SQLite database (recognised by its header and tables) is read from a copy in',
    'memory and never changed: every build and value with its run id/number, timestamp, event',
    '(push/pull_request → ci) and the metric definitions\' units.',
    'Values already in the history (same metric, commit and run id) are skipped.',
    'Ctrl-C (or SIGTERM/SIGHUP) stops the import and imports nothing.',
    'JSON: {"imported","skipped","builds","problems":[{"line","message"}]}',
  ],
  options: { 'skip-invalid': 'boolean' },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const file = path.resolve(ctx.cwd, ctx.positionals[0]);
    if (!existsSync(file)) throw new UsageError(`no such file: ${file}`, false);
    if (isSqliteFile(file)) {
      let read;
      try {
        read = await readUnentropyDb(file);
      } catch (error) {
        throw new UsageError((error as Error).message, false);
      }
      const store = await ctx.openStore();
      const outcome = await store.importShared({ ref: 'unentropy', tip: null, runs: read.runs, source: 'import' });
      const values = read.runs.reduce((n, r) => n + r.outcomes.length, 0);
      const problems = [...read.problems, ...outcome.rejected.map((r) => `run ${r.runId}: ${r.message}`)];
      if (ctx.json) ctx.out(JSON.stringify({ imported: outcome.imported, skipped: outcome.skipped, builds: outcome.imported, values, problems: problems.map((message) => ({ line: 0, message })) }));
      else ctx.out(`Imported ${outcome.imported} runs from the Unentropy database (${outcome.skipped} already present, ${values} values read; ${ctx.positionals[0]} was not changed).`);
      for (const p of problems) ctx.err(`${ctx.positionals[0]}: ${p}`);
      return problems.length ? EXIT_USAGE : EXIT_OK;
    }
    const store = await ctx.openStore();
    const skipInvalid = booleanFlag(ctx, 'skip-invalid');
    let outcome;
    try {
      outcome = await store.importJsonl(file, { skipInvalid, signal: ctx.signal });
    } catch (error) {
      if (!ctx.signal.aborted) throw error;
      ctx.err('tidemark import: interrupted; nothing was imported');
      return EXIT_INTERRUPTED;
    }
    if (ctx.json) ctx.out(JSON.stringify(outcome));
    else if (outcome.problems.length && !skipInvalid) ctx.out(`Nothing was imported: ${outcome.problems.length} bad line(s). Fix them, or pass --skip-invalid to import the valid lines.`);
    else ctx.out(`Imported ${outcome.imported} values in ${outcome.builds} runs (${outcome.skipped} already present).`);
    for (const p of outcome.problems) ctx.err(`${ctx.positionals[0]}:${p.line}: ${p.message}`);
    return outcome.problems.length ? EXIT_USAGE : EXIT_OK;
  },
};
