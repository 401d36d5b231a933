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
}

export interface GitOptions {
  /** Extra environment variables (added to process.env and the defaults). */
  env?: NodeJS.ProcessEnv;
  /** Written to git's stdin. */
  input?: string;
  signal?: AbortSignal;
  /** Default 32 MiB. */
  maxBuffer?: number;
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
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null) : 0;
        resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr), code });
      },
    );
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
