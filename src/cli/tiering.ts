/**
 * Whether V8 may optimize sql.js's WebAssembly in this process (main.ts asks before anything
 * compiles it; otherwise the process runs it on Liftoff, V8's baseline compiler, only).
 *
 * V8 compiles WebAssembly with Liftoff, then re-compiles hot functions with TurboFan in background
 * threads. A short command ends before that pays off, and on a 2-core machine those threads
 * compete with it (measured: one-metric collect 311 -> 217 ms, compare 262 -> 168 ms). An import
 * pays it back only when large. Measured on the bench's JSONL through the CLI (2 cores, load
 * 2-10, CPU time of the process): 100k lines (19 MB) 3.6 s with TurboFan vs 3.0 s on Liftoff
 * only (load 2: 2.4 vs 1.9 s, wall 1.81 vs 1.59 s); 300k lines (57 MB) 5.6 vs 4.9 s, the same
 * wall time; 1M lines (190 MB) 11.3 vs 12.6 s wall.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type OptionKind } from './args';
import { COMMON_OPTIONS } from './context';

/** JSONL files from this size (about 250k lines) are imported with TurboFan. */
export const OPTIMIZED_IMPORT_BYTES = 48 << 20;

/** The import command's own options (commands/import.ts; a test keeps them equal), to find its file before it loads. */
export const IMPORT_OPTIONS: Record<string, OptionKind> = { 'skip-invalid': 'boolean' };

/** `argv`: the command line after `tidemark`; `cwd`: the process's working directory. */
export function optimizeWasm(argv: string[], cwd: string): boolean {
  if (argv[0] !== 'import') return false;
  try {
    const { flags, positionals } = parseArgs(argv.slice(1), { ...COMMON_OPTIONS, ...IMPORT_OPTIONS });
    if (positionals.length !== 1) return false;
    const dir = path.resolve(cwd, typeof flags.cwd === 'string' ? flags.cwd : '.');
    return statSync(path.resolve(dir, positionals[0])).size >= OPTIMIZED_IMPORT_BYTES;
  } catch {
    // A mistake on the command line or no such file: the command reports it, with little to run.
    return false;
  }
}
