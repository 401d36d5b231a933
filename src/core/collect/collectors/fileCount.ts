/** `@collect files [globs…]`: how many files of the source scope match (all of them without globs). */
import { parseArgs } from './args';
import type { CollectorContext } from './context';
import { checkPathsInScope, globFilter, listSourceFiles } from './files';

export async function files(argv: string[], ctx: CollectorContext): Promise<string> {
  const args = parseArgs('files', argv, {});
  const selected = globFilter(args.positionals);
  const scope = { cwd: ctx.cwd, signal: ctx.signal, config: ctx.config };
  const all = await listSourceFiles(scope);
  await checkPathsInScope('files', args.positionals, all, scope);
  return String(all.filter(selected).length);
}
