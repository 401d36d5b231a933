/** `@collect files [globs…]`: how many files of the source scope match (all of them without globs). */
import { parseArgs } from './args';
import type { CollectorContext, CollectorOutput } from './context';
import { checkPathsInScope, globFilter, listSourceFiles } from './files';

export async function files(argv: string[], ctx: CollectorContext): Promise<CollectorOutput> {
  const args = parseArgs('files', argv, {});
  const selected = globFilter(args.positionals);
  const scope = { cwd: ctx.cwd, signal: ctx.signal, config: ctx.config };
  const all = await listSourceFiles(scope);
  await checkPathsInScope('files', args.positionals, all, scope);
  const counted = all.filter(selected);
  // A file is one file: the breakdown is by folder, where adding or removing files shows.
  const parts: Record<string, number> = {};
  for (const rel of counted) {
    const folder = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/') + 1) : './';
    parts[folder] = (parts[folder] ?? 0) + 1;
  }
  return { text: String(counted.length), parts };
}
