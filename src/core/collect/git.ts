/**
 * What git says about the workspace a run was made in. Git is always run through execFile
 * with argument arrays: branch names and refs come from users and repositories, and must
 * never reach a shell.
 */
import { execFile } from 'node:child_process';
import type { GitContext } from '../types';
import { NO_GIT_BRANCH, NO_GIT_SHA } from '../types';

interface GitOutput {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Git refuses to read a repository owned by another user ("dubious ownership", safe.directory).
 * Recording such a run as a non-git run would file it under the wrong identity (no commit, no
 * branch), so it is an error that says what to do.
 */
export class GitRefusedError extends Error {
  override name = 'GitRefusedError';
}

function git(cwd: string, args: string[]): Promise<GitOutput> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'core.quotepath=off', ...args],
      // Read-only questions must not take the index lock from a concurrent git command.
      { cwd, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' }, windowsHide: true, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

export async function isGitRepo(cwd: string): Promise<boolean> {
  const r = await git(cwd, ['rev-parse', '--is-inside-work-tree']);
  return r.ok && r.stdout.trim() === 'true';
}

/** Throws GitRefusedError when git declines to read the repository at `cwd` for its ownership. */
async function checkGitWillRead(cwd: string): Promise<void> {
  const r = await git(cwd, ['rev-parse', '--is-inside-work-tree']);
  if (r.ok || !/dubious ownership|safe\.directory/i.test(r.stderr)) return;
  const top = /repository at '([^']+)'/.exec(r.stderr)?.[1] ?? cwd;
  throw new GitRefusedError(
    `git refuses to read the repository at ${top}: it belongs to another user ("dubious ownership"), so its commit and branch are unknown and nothing was recorded. ` +
      `If you trust it, run: git config --global --add safe.directory ${top}`,
  );
}

async function headCommit(cwd: string): Promise<string | null> {
  const r = await git(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  const sha = r.stdout.trim();
  return r.ok && /^[0-9a-f]{40}$/.test(sha) ? sha : null;
}

/** The checked-out branch, also on a repository without commits; null when detached. */
async function currentBranch(cwd: string): Promise<string | null> {
  const r = await git(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  const name = r.stdout.trim();
  return r.ok && name !== '' ? name : null;
}

function ciBranch(env: NodeJS.ProcessEnv): string | null {
  // GITHUB_HEAD_REF is the source branch of a pull request; GITHUB_REF_NAME is "123/merge" there.
  for (const key of ['GITHUB_HEAD_REF', 'GITHUB_REF_NAME']) {
    const value = env[key]?.trim();
    if (value) return value;
  }
  return null;
}

/**
 * HEAD commit, branch and dirtiness. The branch is `options.branch` if given, else the current
 * branch, else what CI says, else `HEAD` (detached).
 */
export async function gitContext(cwd: string, options: { branch?: string; env?: NodeJS.ProcessEnv } = {}): Promise<GitContext> {
  if (!(await isGitRepo(cwd))) {
    await checkGitWillRead(cwd);
    return { commitSha: NO_GIT_SHA, branch: options.branch ?? NO_GIT_BRANCH, dirty: false };
  }
  const [commit, branch, status] = await Promise.all([
    headCommit(cwd),
    options.branch === undefined ? currentBranch(cwd) : Promise.resolve(options.branch),
    git(cwd, ['status', '--porcelain', '--untracked-files=no']),
  ]);
  return {
    commitSha: commit ?? NO_GIT_SHA,
    branch: branch ?? ciBranch(options.env ?? process.env) ?? 'HEAD',
    dirty: status.ok && status.stdout.trim() !== '',
  };
}

async function refExists(cwd: string, ref: string): Promise<boolean> {
  return (await git(cwd, ['show-ref', '--verify', '--quiet', ref])).ok;
}

/** The repository's main line: origin/HEAD, else `main`, else `master` (local or on origin), else null. */
export async function defaultBranch(cwd: string): Promise<string | null> {
  const origin = await git(cwd, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD']);
  const target = origin.stdout.trim();
  if (origin.ok && target.startsWith('refs/remotes/origin/')) return target.slice('refs/remotes/origin/'.length);
  for (const name of ['main', 'master']) {
    if ((await refExists(cwd, `refs/heads/${name}`)) || (await refExists(cwd, `refs/remotes/origin/${name}`))) return name;
  }
  return null;
}

/** The best common ancestor of two refs, or null when there is none or a ref is unknown. */
export async function mergeBase(cwd: string, a: string, b: string): Promise<string | null> {
  const r = await git(cwd, ['merge-base', '--end-of-options', a, b]);
  const sha = r.stdout.trim();
  return r.ok && /^[0-9a-f]{40}$/.test(sha) ? sha : null;
}
