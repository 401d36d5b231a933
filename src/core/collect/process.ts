/**
 * Runs one shell command and guarantees that nothing it started outlives a timeout or a
 * cancellation: the command gets its own process group (POSIX) and the whole group is killed,
 * or on Windows the whole tree is killed with taskkill.
 */
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { POSIX_SHELL, shellInvocation } from './shell';
import { TailBuffer } from './tailBuffer';

export const OUTPUT_LIMIT_BYTES = 1024 * 1024;
/** Bytes of both streams together, in the order they arrived, kept for a failure's message. */
export const INTERLEAVED_LIMIT_BYTES = 16 * 1024;
/** Time a timed-out or cancelled command gets to exit on SIGTERM before SIGKILL. */
export const KILL_GRACE_MS = 500;
/**
 * After the command exits, time to wait for its pipes to close. A process that escaped the
 * group (setsid, daemonised) can hold them open forever; its output is not worth a hang.
 */
const DRAIN_LIMIT_MS = 1000;

export interface ShellRunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  outputLimitBytes?: number;
  /** POSIX shell to run the command with (default /bin/sh); `-o pipefail` is added when it supports it. */
  shell?: string;
  onSpawn?(pid: number | undefined): void;
}

export type ShellEnd =
  | { kind: 'exited'; exitCode: number | null; signal: NodeJS.Signals | null }
  | { kind: 'timeout' }
  | { kind: 'cancelled' }
  | { kind: 'spawn-error'; message: string };

export interface ShellOutcome {
  end: ShellEnd;
  pid: number | undefined;
  stdout: string;
  stderr: string;
  /** The tail of stdout and stderr together, in the order the chunks arrived (what a terminal shows). */
  output: string;
  /** Whether the shell ran the command with pipefail. */
  pipefail: boolean;
  /** Bytes of output dropped from the front of each stream to respect the limit. */
  droppedStdoutBytes: number;
  droppedStderrBytes: number;
  /** From spawn to the command's exit (not to its pipes closing, which a daemonised child can delay). */
  durationMs: number;
}

const isWindows = process.platform === 'win32';

function killTree(pid: number, signal: 'SIGTERM' | 'SIGKILL'): void {
  if (isWindows) {
    // taskkill has no graceful tree kill for console programs; /F is the only reliable one.
    execFile('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true }, () => undefined);
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

export async function runShellCommand(command: string, options: ShellRunOptions): Promise<ShellOutcome> {
  let started = performance.now();
  let exitedAt: number | undefined;
  const limit = options.outputLimitBytes ?? OUTPUT_LIMIT_BYTES;
  const stdout = new TailBuffer(limit);
  const stderr = new TailBuffer(limit);
  const both = new TailBuffer(Math.min(limit, INTERLEAVED_LIMIT_BYTES));
  const invocation = await shellInvocation(command, options.shell ?? POSIX_SHELL);

  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve(outcome({ kind: 'cancelled' }, undefined));
      return;
    }
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      const spawnOptions = {
        cwd: options.cwd,
        env: options.env,
        shell: invocation.useNodeShell,
        // POSIX: a new process group whose id is the shell's pid, so the group can be killed.
        detached: !isWindows,
        windowsHide: true,
        stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
      };
      started = performance.now();
      child = spawn(invocation.file, invocation.args, spawnOptions);
    } catch (error) {
      // Invalid arguments (e.g. a NUL byte in the command) throw instead of emitting 'error'.
      resolve(outcome({ kind: 'spawn-error', message: (error as Error).message }, undefined));
      return;
    }
    const pid = child.pid;
    options.onSpawn?.(pid);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      both.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      both.push(chunk);
    });

    let stopReason: 'timeout' | 'cancelled' | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const stop = (reason: 'timeout' | 'cancelled') => {
      if (stopReason || pid === undefined) return;
      stopReason = reason;
      killTree(pid, 'SIGTERM');
      graceTimer = setTimeout(() => killTree(pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    const timeoutTimer = setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = () => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const cleanUp = () => {
      clearTimeout(timeoutTimer);
      clearTimeout(graceTimer);
      options.signal?.removeEventListener('abort', onAbort);
    };

    const finish = (end: ShellEnd) => {
      if (settled) return;
      settled = true;
      cleanUp();
      child.stdout.destroy();
      child.stderr.destroy();
      resolve(outcome(end, pid));
    };

    child.on('error', (error) => {
      finish({ kind: 'spawn-error', message: error.message });
    });

    // 'exit', not 'close': a background grandchild holding the pipes would delay 'close'
    // for as long as it lives.
    child.on('exit', (exitCode, signal) => {
      exitedAt = performance.now();
      // Whatever the command left running in its group goes with it. This is also the SIGKILL
      // for grandchildren that ignored the SIGTERM of a timeout.
      if (pid !== undefined && !isWindows) killTree(pid, 'SIGKILL');
      const end: ShellEnd = stopReason ? { kind: stopReason } : { kind: 'exited', exitCode, signal };
      let pending = 2;
      const drained = () => {
        if (--pending === 0) finish(end);
      };
      const drainLimit = setTimeout(() => finish(end), DRAIN_LIMIT_MS);
      drainLimit.unref();
      for (const stream of [child.stdout, child.stderr]) {
        if (stream.closed) drained();
        else stream.once('close', drained);
      }
    });
  });

  function outcome(end: ShellEnd, pid: number | undefined): ShellOutcome {
    return {
      end,
      pid,
      stdout: stdout.text(),
      stderr: stderr.text(),
      output: both.text(),
      pipefail: invocation.pipefail,
      droppedStdoutBytes: stdout.droppedBytes,
      droppedStderrBytes: stderr.droppedBytes,
      durationMs: Math.round((exitedAt ?? performance.now()) - started),
    };
  }
}
