/** `@collect todo [globs…] [--pattern WORD…]`: occurrences of marker words (TODO, FIXME by default) in the source scope. */
import path from 'node:path';
import { parseArgs } from './args';
import type { CollectorContext, CollectorOutput } from './context';
import { throwIfAborted } from './errors';
import { checkPathsInScope, globFilter, listSourceFiles } from './files';
import { readTextFile } from './text';

const DEFAULT_MARKERS = ['TODO', 'FIXME'];

export async function todo(argv: string[], ctx: CollectorContext): Promise<CollectorOutput> {
  const args = parseArgs('todo', argv, { values: ['pattern'] });
  // `--pattern 'TODO|FIXME'` reads naturally, so `|` separates words as well as commas and repeats.
  const markers = (args.values.get('pattern') ?? DEFAULT_MARKERS).flatMap((p) => p.split('|')).filter((p) => p !== '');
  const escaped = markers.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // Whole words only: TODOS or MYTODO are not markers.
  const marker = new RegExp(`(?<![\\w])(?:${escaped.join('|')})(?![\\w])`, 'g');
  const selected = globFilter(args.positionals);
  const scope = { cwd: ctx.cwd, signal: ctx.signal, config: ctx.config };
  const files = await listSourceFiles(scope);
  await checkPathsInScope('todo', args.positionals, files, scope);
  let count = 0;
  const parts: Record<string, number> = {};
  for (const rel of files) {
    if (!selected(rel)) continue;
    throwIfAborted(ctx.signal);
    const text = await readTextFile(path.join(ctx.cwd, rel));
    const found = text === null ? 0 : (text.match(marker)?.length ?? 0);
    if (found > 0) parts[rel] = found;
    count += found;
  }
  return { text: String(count), parts };
}
