/** `@collect loc [paths…] [--language L…] [--exclude GLOB…]`: lines of code in the source scope. */
import path from 'node:path';
import { parseArgs } from './args';
import { countCodeLines } from './countLines';
import type { CollectorContext, CollectorOutput } from './context';
import { CollectorError, throwIfAborted } from './errors';
import { checkPathsInScope, globFilter, listSourceFiles, pathsToGlobs } from './files';
import { findLanguage, LANGUAGES, languageOf, languageOfShebang, needsShebang, type Language } from './languages';
import { readTextFile } from './text';

export async function loc(argv: string[], ctx: CollectorContext): Promise<CollectorOutput> {
  const args = parseArgs('loc', argv, { values: ['language', 'exclude'] });
  const languages = (args.values.get('language') ?? []).map((name) => {
    const language = findLanguage(name);
    if (!language) throw new CollectorError(`@collect loc: unknown language "${name}" (known: ${LANGUAGES.map((l) => l.id).join(', ')})`);
    return language;
  });
  const wanted = new Set<Language>(languages);
  const selected = globFilter([...pathsToGlobs(args.positionals), ...(args.values.get('exclude') ?? []).map((g) => `!${g}`)]);
  const scope = { cwd: ctx.cwd, signal: ctx.signal, config: ctx.config };
  const files = await listSourceFiles(scope);
  await checkPathsInScope('loc', args.positionals, files, scope);
  let total = 0;
  const parts: Record<string, number> = {};
  for (const rel of files) {
    if (!selected(rel)) continue;
    const byName = languageOf(rel);
    if (!byName && !needsShebang(rel)) continue;
    if (byName && (wanted.size > 0 ? !wanted.has(byName) : byName.onlyWhenAsked)) continue;
    throwIfAborted(ctx.signal);
    const text = await readTextFile(path.join(ctx.cwd, rel));
    if (text === null) continue;
    // Scripts without an extension (bin/tool) say what they are on their first line.
    const language = byName ?? languageOfShebang(text);
    if (!language || (wanted.size > 0 && !wanted.has(language))) continue;
    const lines = countCodeLines(text, language);
    if (lines > 0) parts[rel] = lines;
    total += lines;
  }
  return { text: String(total), parts };
}
