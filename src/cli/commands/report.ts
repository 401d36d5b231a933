import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultBranch, gitContext } from '../../core/git';
import { findWebviewDist, exportReportHtml } from '../../core/report/standaloneHtml';
import { NO_GIT_BRANCH, type TidemarkConfig } from '../../core/types';
import { VIEWS, type ReportView } from '../../shared/protocol';
import { stringFlag, type CliCommand, type CliContext } from '../context';
import { EXIT_OK, UsageError } from '../errors';

async function referenceBranch(ctx: CliContext, config: TidemarkConfig | undefined): Promise<string> {
  return config?.baseline.referenceBranch ?? (await defaultBranch(ctx.cwd)) ?? 'main';
}

async function currentBranch(ctx: CliContext): Promise<string> {
  const { branch } = await gitContext(ctx.cwd, { env: ctx.env });
  return branch === 'HEAD' ? NO_GIT_BRANCH : branch;
}

export const command: CliCommand = {
  name: 'report',
  summary: 'Write the report (Overview, Trends, Compare) as one self-contained HTML file.',
  usage: 'tidemark report --out FILE.html [--view overview|trends|compare] [--base REF] [--head REF]',
  details: [
    'Options:',
    '  --out FILE      the HTML file to write (required); it opens offline in any browser',
    '  --view VIEW     the view the file opens on (default: overview)',
    '  --base REF      the Compare view\'s base (default: the reference branch)',
    '  --head REF      the Compare view\'s head (default: the current branch)',
    '',
    'The file inlines its scripts, styles and data and loads nothing from the network.',
    'JSON: {"file","bytes","runs","metrics"}',
  ],
  options: { out: 'string', view: 'string', base: 'string', head: 'string' },
  async run(ctx) {
    const out = stringFlag(ctx, 'out');
    if (!out) throw new UsageError('--out FILE.html is required');
    const view = stringFlag(ctx, 'view');
    if (view !== undefined && !(VIEWS as readonly string[]).includes(view)) throw new UsageError(`--view must be one of ${VIEWS.join(', ')} (got "${view}")`);
    // Without a config the report still works, with a simpler baseline.
    const config = existsSync(ctx.configPath) ? await ctx.loadConfig() : undefined;
    const store = await ctx.openStore({ readOnly: true });
    const [reference, current] = await Promise.all([referenceBranch(ctx, config), currentBranch(ctx)]);
    const html = await exportReportHtml(
      { store, folderName: path.basename(ctx.cwd), cwd: ctx.cwd, config, currentBranch: async () => current, referenceBranch: async () => reference },
      findWebviewDist(__dirname),
      { view: view as ReportView | undefined, base: stringFlag(ctx, 'base'), head: stringFlag(ctx, 'head') },
    );
    const file = path.resolve(ctx.cwd, out);
    writeFileSync(file, html);
    const stats = await store.stats();
    if (ctx.json) ctx.out(JSON.stringify({ file, bytes: Buffer.byteLength(html), runs: stats.builds, metrics: stats.metrics }));
    else ctx.out(`Wrote ${file} (${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB, ${stats.builds} runs, ${stats.metrics} metrics)`);
    return EXIT_OK;
  },
};
