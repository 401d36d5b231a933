import path from 'node:path';
import { formatProblems, loadConfig } from '../../core/config';
import type { CliCommand } from '../context';
import { EXIT_OK, EXIT_USAGE } from '../errors';

export const command: CliCommand = {
  name: 'verify',
  summary: 'Check the config file and print every problem with its position.',
  usage: 'tidemark verify',
  details: ['Exit code 2 when the config has problems.', 'JSON: {"ok","file","problems":[{"path","message","line","column",...}],"metrics":[ids]}'],
  options: {},
  async run(ctx) {
    const shown = path.relative(ctx.cwd, ctx.configPath) || ctx.configPath;
    const result = await loadConfig(ctx.configPath);
    if (!result.ok) {
      if (ctx.json) ctx.out(JSON.stringify({ ok: false, file: ctx.configPath, problems: result.problems }));
      else ctx.out(formatProblems(shown, result.problems));
      return EXIT_USAGE;
    }
    const ids = Object.keys(result.config.metrics);
    if (ctx.json) {
      ctx.out(JSON.stringify({ ok: true, file: ctx.configPath, problems: [], metrics: ids }));
      return EXIT_OK;
    }
    const reference = result.config.baseline.referenceBranch ?? 'the default branch';
    const concurrency = result.config.concurrency ?? 'one per core';
    ctx.out(`${shown}: OK, ${ids.length} metric${ids.length === 1 ? '' : 's'} (${ids.join(', ')}), reference ${reference}, concurrency ${concurrency}.`);
    return EXIT_OK;
  },
};
