/**
 * `@collect size [globs…] [--gzip|--brotli]`: total bytes of the files on disk matching the
 * globs, each file compressed on its own like size-limit does (gzip level 9, brotli quality 11).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseArgs } from './args';
import type { CollectorContext, CollectorOutput } from './context';
import { CollectorError, throwIfAborted } from './errors';
import { globOnDisk } from './files';
import { streamedOutputBytes } from './safeRead';


export async function size(argv: string[], ctx: CollectorContext): Promise<CollectorOutput> {
  const args = parseArgs('size', argv, { switches: ['gzip', 'brotli'] });
  if (args.switches.has('gzip') && args.switches.has('brotli')) throw new CollectorError('@collect size: use --gzip or --brotli, not both');
  if (args.positionals.length === 0) throw new CollectorError('@collect size: name the files, e.g. @collect size "dist/**/*.js"');
  let total = 0;
  const parts: Record<string, number> = {};
  const seen = new Set<string>();
  for (const glob of args.positionals) {
    const matches = await globOnDisk(ctx.cwd, [glob], ctx.signal);
    if (matches.length === 0) throw new CollectorError(`@collect size: "${glob}" matches no file in the workspace folder`);
    for (const rel of matches) {
      if (seen.has(rel)) continue;
      seen.add(rel);
      throwIfAborted(ctx.signal);
      const bytes = await fileSize(path.join(ctx.cwd, rel), args.switches, ctx.signal);
      parts[rel] = bytes;
      total += bytes;
    }
  }
  return { text: String(total), parts };
}

async function fileSize(absPath: string, switches: Set<string>, signal: AbortSignal): Promise<number> {
  // Streamed with cancellation checks (safeRead.ts): a huge or sparse file cannot outlive the timeout.
  if (switches.has('gzip')) return streamedOutputBytes(absPath, absPath, zlib.createGzip({ level: 9 }), signal);
  if (switches.has('brotli')) {
    const size = (await fs.stat(absPath)).size;
    const params = { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size };
    return streamedOutputBytes(absPath, absPath, zlib.createBrotliCompress({ params }), signal);
  }
  return (await fs.stat(absPath)).size;
}
