/**
 * What publish, pull and sync share: tidemark.json's `share` section (when the file exists)
 * with --ref / --remote on top, and how a sharing failure is reported (one line, exit 4).
 */
import { existsSync } from 'node:fs';
import { GitError } from '../../core/git/notes';
import { ShareError, type NoteProblem } from '../../core/share';
import type { ShareConfig } from '../../core/types';
import { stringFlag, type CliContext } from '../context';
import { EXIT_SHARING_FAILED } from '../errors';

export const SHARE_DEFAULTS: ShareConfig = { enabled: true, ref: 'refs/notes/tidemark', remote: 'origin', events: ['ci', 'manual', 'backfill'] };

export const SHARE_OPTIONS = { remote: 'string', ref: 'string' } as const;

export const SHARE_HELP = [
  '  --remote R      git remote (name or URL) to fetch from / push to (default: share.remote, else origin)',
  '  --ref REF       notes ref (default: share.ref, else refs/notes/tidemark)',
];

export async function shareSettings(ctx: CliContext): Promise<ShareConfig> {
  const config = existsSync(ctx.configPath) ? (await ctx.loadConfig()).share : undefined;
  const settings = { ...SHARE_DEFAULTS, ...config };
  const remote = stringFlag(ctx, 'remote');
  const ref = stringFlag(ctx, 'ref');
  if (remote !== undefined) settings.remote = remote;
  if (ref !== undefined) settings.ref = ref.startsWith('refs/') ? ref : `refs/notes/${ref}`;
  return settings;
}

/** Sharing turned off: say so and do nothing (not a failure). */
export function disabled(ctx: CliContext, settings: ShareConfig): boolean {
  if (settings.enabled) return false;
  ctx.err(`tidemark: sharing is turned off in ${ctx.configPath} ("share": { "enabled": false }); nothing was done`);
  return true;
}

export function noteWarning(ctx: CliContext, problem: NoteProblem): void {
  const where = problem.line > 0 ? `, line ${problem.line}` : '';
  ctx.err(`warning: note of commit ${problem.commit.slice(0, 12)}${where}: ${JSON.stringify(problem.message).slice(1, -1)}`);
}

/** ShareError → one line on stderr and exit 4; anything else is rethrown. */
export async function sharing(ctx: CliContext, name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof ShareError || error instanceof GitError)) throw error;
    ctx.err(`tidemark ${name}: sharing failed: ${error.message}. Nothing recorded here was lost; run it again later.`);
    return EXIT_SHARING_FAILED;
  }
}
