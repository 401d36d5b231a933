/**
 * `@collect time -- COMMAND`: runs COMMAND through the shell and returns its wall time in
 * seconds. The command runs in its own process group so a timeout or cancellation (the
 * engine aborts the signal) kills everything it started; a non-zero exit is a failure.
 */
import { spawn } from 'node:child_process';
import { shellInvocation } from '../shell';
import type { CollectorContext } from './context';
import { CollectorCommandFailed, CollectorError } from './errors';

const KILL_GRACE_MS = 500;
/** Characters of the command's output (both streams, in the order written) a failure quotes. */
const OUTPUT_TAIL_CHARS = 2000;

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
  const invocation = await shellInvocation(command);
  const seconds = await runTimed(command, invocation, ctx.cwd, ctx.signal);
  return seconds.toFixed(3);
}

function runTimed(command: string, invocation: Awaited<ReturnType<typeof shellInvocation>>, cwd: string, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const started = process.hrtime.bigint();
    const isWindows = process.platform === 'win32';
    const child = spawn(invocation.file, invocation.args, { cwd, shell: invocation.useNodeShell, detached: !isWindows, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let output = '';
    const keep = (chunk: string): void => {
      output = (output + chunk).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (): void => {
      if (child.pid === undefined) return;
      if (isWindows) {
        spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true }).on('error', () => {});
        return;
      }
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const onAbort = (): void => kill();
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(new CollectorCommandFailed(`could not start "${command}": ${error.message}`, null));
    });
    child.on('close', (code, killedBy) => {
      signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      // Whatever the group left behind goes too, as it would for a shell metric.
      if (!isWindows && child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      if (signal.aborted) return reject(signal.reason);
      if (code !== 0) {
        const how = code === null ? `was killed by ${killedBy}` : `exited with code ${code}`;
        const tail = output.trim();
        return reject(new CollectorCommandFailed(`"${command}" ${how}${tail ? `: ${tail}` : ''}`, code));
      }
      resolve(Number(process.hrtime.bigint() - started) / 1e9);
    });
  });
}

function signalGroup(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(-pid, name);
  } catch {
    // The group is already gone.
  }
}
