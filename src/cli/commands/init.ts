import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readJsonc } from '../../core/config/jsonc';
import { convertUnentropyConfig } from '../../core/import/unentropyConfig';
import { initProject, InitRefused } from '../../core/init/initProject';
import { booleanFlag, stringFlag, type CliCommand, type CliContext } from '../context';
import { EXIT_OK, UsageError } from '../errors';

/** `init --from unentropy.json`: convert instead of detecting. */
function fromUnentropy(ctx: CliContext, from: string, dryRun: boolean): number {
  const file = path.resolve(ctx.cwd, from);
  if (!existsSync(file)) throw new UsageError(`--from: no such file: ${file}`, false);
  let converted;
  try {
    const document = readJsonc(readFileSync(file, 'utf8'));
    if (!document.syntaxOk) throw new Error(`not valid JSON (${document.problems[0]?.message ?? 'empty'})`);
    converted = convertUnentropyConfig(document.value);
  } catch (error) {
    throw new UsageError(`--from ${from}: ${(error as Error).message}`, false);
  }
  if (!dryRun) {
    if (existsSync(ctx.configPath) && !booleanFlag(ctx, 'force')) throw new UsageError(`${ctx.configPath} already exists (--force overwrites it)`, false);
    writeFileSync(ctx.configPath, converted.text);
  }
  if (ctx.json) {
    ctx.out(JSON.stringify({ file: ctx.configPath, written: !dryRun, metrics: converted.metrics, notes: converted.notes, problems: converted.problems, config: converted.text }));
    return EXIT_OK;
  }
  if (dryRun) ctx.write(converted.text);
  for (const note of converted.notes) ctx.err(`  ${note}`);
  for (const problem of converted.problems) ctx.err(`  check: ${problem}`);
  const shown = path.relative(ctx.cwd, ctx.configPath) || ctx.configPath;
  ctx.err(`${dryRun ? 'Would write' : 'Wrote'} ${shown} with ${converted.metrics.length} metrics converted from ${from}.`);
  return EXIT_OK;
}

export const command: CliCommand = {
  name: 'init',
  summary: 'Detect the project and write a tidemark.json of presets that work on the first run.',
  usage: 'tidemark init [--dry-run] [--force] [--from unentropy.json]',
  details: [
    '--from FILE  convert an Unentropy config (metrics, templates → presets, quality gate → thresholds;',
    '             every setting without an equivalent becomes a comment in the file)',
    '--dry-run   print the config instead of writing it',
    '--force     overwrite an existing config file',
    'Looks at package.json scripts, build output (dist/, build/, out/), coverage and JUnit reports,',
    'the languages present and dependency manifests, and keeps only metrics that succeed right now.',
    'What was detected and what was left out is printed on stderr.',
    'JSON: {"file","written","metrics":[ids],"notes":[...],"config":"<text>"}',
  ],
  options: { 'dry-run': 'boolean', force: 'boolean', from: 'string' },
  async run(ctx) {
    const dryRun = booleanFlag(ctx, 'dry-run');
    const from = stringFlag(ctx, 'from');
    if (from !== undefined) return fromUnentropy(ctx, from, dryRun);
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
