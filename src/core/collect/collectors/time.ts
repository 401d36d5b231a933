/**
 * `@collect time -- COMMAND`: runs COMMAND through the shell and returns its wall time in
 * seconds. It runs through the shell runner (process.ts), so it follows the same exit rules as
 * a shell metric: done when the command exits (not when a background child closes the pipes),
 * its process group killed on timeout or cancellation (the engine aborts the signal) and after
 * it exits. The time is from spawn to the command's exit. A non-zero exit is a failure.
 */
import { runShellCommand } from '../process';
import type { CollectorContext } from './context';
import { CollectorCommandFailed, CollectorError } from './errors';

/** Characters of the command's output (both streams, in the order written) a failure quotes. */
const OUTPUT_TAIL_CHARS = 2000;
/** The engine's timeout stops the collector through the signal; this is only a backstop. */
const BACKSTOP_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** Words after `--`: one word is the shell command verbatim; several are re-quoted for the shell. */
export function shellCommandOf(words: string[]): string {
  if (words.length === 1) return words[0];
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export async function time(argv: string[], ctx: CollectorContext): Promise<string> {
  const separator = argv.indexOf('--');
  const words = separator >= 0 ? argv.slice(separator + 1) : argv;
  if (separator > 0) throw new CollectorError(`@collect time: unexpected "${argv[0]}" before --`);
  if (words.length === 0 || words.join('').trim() === '') throw new CollectorError('@collect time: name the command to time, e.g. @collect time -- npm run build');
  const command = shellCommandOf(words);
  const seconds = await runTimed(command, ctx.cwd, ctx.signal);
  return seconds.toFixed(3);
}

async function runTimed(command: string, cwd: string, signal: AbortSignal): Promise<number> {
  signal.throwIfAborted();
  const run = await runShellCommand(command, { cwd, env: process.env, timeoutMs: BACKSTOP_TIMEOUT_MS, signal, outputLimitBytes: OUTPUT_TAIL_CHARS * 4 });
  // Spawn to exit: neither the shell probe before it nor the wait for pipes a daemon holds.
  const seconds = run.durationMs / 1000;
  switch (run.end.kind) {
    case 'cancelled':
    case 'timeout':
      throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
    case 'spawn-error':
      throw new CollectorCommandFailed(`could not start "${command}": ${run.end.message}`, null);
    case 'exited': {
      const { exitCode, signal: killedBy } = run.end;
      if (exitCode === 0) return seconds;
      const how = exitCode === null ? `was killed by ${killedBy}` : `exited with code ${exitCode}`;
      const tail = run.output.trim().slice(-OUTPUT_TAIL_CHARS);
      throw new CollectorCommandFailed(`"${command}" ${how}${tail ? `: ${tail}` : ''}`, exitCode);
    }
  }
}
