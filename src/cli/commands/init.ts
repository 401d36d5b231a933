import path from 'node:path';
import { initProject, InitRefused } from '../../core/init/initProject';
import { booleanFlag, type CliCommand } from '../context';
import { EXIT_OK, UsageError } from '../errors';

export const command: CliCommand = {
  name: 'init',
  summary: 'Detect the project and write a tidemark.json of presets that work on the first run.',
  usage: 'tidemark init [--dry-run] [--force]',
  details: [
    '--dry-run   print the config instead of writing it',
    '--force     overwrite an existing config file',
    'Looks at package.json scripts, build output (dist/, build/, out/), coverage and JUnit reports,',
    'the languages present and dependency manifests, and keeps only metrics that succeed right now.',
    'What was detected and what was left out is printed on stderr.',
    'JSON: {"file","written","metrics":[ids],"notes":[...],"config":"<text>"}',
  ],
  options: { 'dry-run': 'boolean', force: 'boolean' },
  async run(ctx) {
    const dryRun = booleanFlag(ctx, 'dry-run');
    let result;
    try {
      result = await initProject({ cwd: ctx.cwd, configPath: ctx.configPath, dryRun, force: booleanFlag(ctx, 'force') });
    } catch (error) {
      if (!(error instanceof InitRefused)) throw error;
      for (const note of error.notes) ctx.err(`  ${note}`);
      throw new UsageError(error.message, false);
    }
    if (ctx.json) {
      ctx.out(JSON.stringify({ file: ctx.configPath, written: result.written, metrics: result.metrics, notes: result.notes, config: result.text }));
      return EXIT_OK;
    }
    if (dryRun) ctx.write(result.text);
    for (const note of result.notes) ctx.err(`  ${note}`);
    const shown = path.relative(ctx.cwd, ctx.configPath) || ctx.configPath;
    const summary = `${result.metrics.length} metric${result.metrics.length === 1 ? '' : 's'}: ${result.metrics.join(', ')}`;
    ctx.err(dryRun ? `Would write ${shown} with ${summary} (dry run, nothing written).` : `Wrote ${shown} with ${summary}. Run "tidemark collect" to record them.`);
    return EXIT_OK;
  },
};
