/** `@collect files [globs…]`: how many files of the source scope match (all of them without globs). */
import { parseArgs } from './args';
import type { CollectorContext } from './context';
import { globFilter, listSourceFiles } from './files';

export async function files(argv: string[], ctx: CollectorContext): Promise<string> {
  const args = parseArgs('files', argv, {});
  const selected = globFilter(args.positionals);
  const all = await listSourceFiles({ cwd: ctx.cwd, signal: ctx.signal, sources: ctx.config.sources });
  return String(all.filter(selected).length);
}
