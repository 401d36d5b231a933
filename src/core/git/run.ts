/**
 * The one way Tidemark runs git: execFile with an argument array (branch names and refs come
 * from users and repositories and must never reach a shell), no terminal prompts, no optional
 * locks (a read must not take the index lock from a concurrent git command), paths unquoted.
 * Every module under src/core/git asks git through `git()`.
 */
import { execFile } from 'node:child_process';

export interface GitOutput {
  /** Exit code 0. */
  ok: boolean;
  stdout: string;
  stderr: string;
  /** The exit code; null when git could not be started or was killed. */
  code: number | null;
  /** Why git could not be started at all (e.g. not installed), else undefined. */
  startError?: string;
  /** The signal that killed git (a timeout, an abort), else undefined. */
  killedBy?: string;
}

export interface GitOptions {
  /** Extra environment variables (added to process.env and the defaults). */
  env?: NodeJS.ProcessEnv;
  /** Written to git's stdin. */
  input?: string;
  signal?: AbortSignal;
  /** Default 32 MiB. */
  maxBuffer?: number;
  /** Kill git (SIGKILL) after this long; default none. */
  timeoutMs?: number;
}

const DEFAULT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };

/** Runs `git -c core.quotepath=off ...args` in `cwd`; never throws (a failure is `ok: false`). */
export function git(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<GitOutput> {
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      ['-c', 'core.quotepath=off', ...args],
      {
        cwd,
        env: { ...process.env, ...DEFAULT_ENV, ...options.env },
        windowsHide: true,
        maxBuffer: options.maxBuffer ?? 32 * 1024 * 1024,
        signal: options.signal,
        timeout: options.timeoutMs ?? 0,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: unknown; signal?: unknown }) | null;
        const code = e ? (typeof e.code === 'number' ? e.code : null) : 0;
        const result: GitOutput = { ok: !e, stdout: String(stdout), stderr: String(stderr), code };
        if (e && typeof e.code === 'string' && e.code !== 'ABORT_ERR') result.startError = e.message;
        if (e && typeof e.signal === 'string') result.killedBy = e.signal;
        resolve(result);
      },
    );
    child.stdin?.on('error', () => undefined);
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** git's stdout, or null when it failed. */
export async function gitText(cwd: string, args: readonly string[], options?: GitOptions): Promise<string | null> {
  const r = await git(cwd, args, options);
  return r.ok ? r.stdout : null;
}

export const SHA_RE = /^[0-9a-f]{40}$/;
