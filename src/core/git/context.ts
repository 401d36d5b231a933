/** What git says about the workspace a run is made in: HEAD, branch, dirtiness, the main line. */
import type { GitContext } from '../types';
import { NO_GIT_BRANCH, NO_GIT_SHA } from '../types';
import { git, SHA_RE } from './run';

export async function isGitRepo(cwd: string): Promise<boolean> {
  const r = await git(cwd, ['rev-parse', '--is-inside-work-tree']);
  return r.ok && r.stdout.trim() === 'true';
}

/**
 * Git refuses to read a repository owned by another user ("dubious ownership", safe.directory).
 * Recording such a run as a non-git run would file it under the wrong identity (no commit, no
 * branch), so it is an error that says what to do.
 */
export class GitRefusedError extends Error {
  override name = 'GitRefusedError';
}

function refusal(cwd: string, stderr: string): GitRefusedError | null {
  if (!/dubious ownership|safe\.directory/i.test(stderr)) return null;
  const top = /repository at '([^']+)'/.exec(stderr)?.[1] ?? cwd;
  return new GitRefusedError(
    `git refuses to read the repository at ${top}: it belongs to another user ("dubious ownership"), so its commit and branch are unknown and nothing was recorded. ` +
      `If you trust it, run: git config --global --add safe.directory ${top}`,
  );
}

function ciBranch(env: NodeJS.ProcessEnv): string | null {
  // GITHUB_HEAD_REF is the source branch of a pull request; GITHUB_REF_NAME is "123/merge" there.
  for (const key of ['GITHUB_HEAD_REF', 'GITHUB_REF_NAME']) {
    const value = env[key]?.trim();
    if (value) return value;
  }
  return null;
}

/** HEAD's commit and branch (null when unborn / detached) and tracked changes, from `git status --porcelain=v2 --branch`. */
export function parseStatusV2(stdout: string): { commit: string | null; branch: string | null; dirty: boolean } {
  let commit: string | null = null;
  let branch: string | null = null;
  let dirty = false;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('# branch.oid ')) {
      const oid = line.slice('# branch.oid '.length).trim();
      commit = SHA_RE.test(oid) ? oid : null; // "(initial)" on a repository without commits
    } else if (line.startsWith('# branch.head ')) {
      const head = line.slice('# branch.head '.length).trim();
      branch = head === '(detached)' || head === '' ? null : head;
    } else if (line !== '' && !line.startsWith('#')) {
      dirty = true;
    }
  }
  return { commit, branch, dirty };
}

/**
 * HEAD commit, branch and dirtiness, from ONE git process. The branch is `options.branch` if
 * given, else the current branch, else what CI says, else `HEAD` (detached). Untracked files do
 * not make a run dirty.
 */
export async function gitContext(cwd: string, options: { branch?: string; env?: NodeJS.ProcessEnv } = {}): Promise<GitContext> {
  const r = await git(cwd, ['status', '--porcelain=v2', '--branch', '--no-ahead-behind', '--untracked-files=no']);
  if (!r.ok) {
    const refused = refusal(cwd, r.stderr);
    if (refused) throw refused;
    return { commitSha: NO_GIT_SHA, branch: options.branch ?? NO_GIT_BRANCH, dirty: false };
  }
  const status = parseStatusV2(r.stdout);
  return {
    commitSha: status.commit ?? NO_GIT_SHA,
    branch: options.branch ?? status.branch ?? ciBranch(options.env ?? process.env) ?? 'HEAD',
    dirty: status.dirty,
  };
}

/**
 * The repository's main line: origin/HEAD's branch, else `main`, else `master` (local or on
 * origin), else null. One git process: for-each-ref lists those refs that exist, with
 * origin/HEAD's target (a dangling origin/HEAD is not listed, so the next rule decides).
 */
export async function defaultBranch(cwd: string): Promise<string | null> {
  const candidates = ['refs/heads/main', 'refs/remotes/origin/main', 'refs/heads/master', 'refs/remotes/origin/master'];
  const r = await git(cwd, ['for-each-ref', '--format=%(refname)%00%(symref)', 'refs/remotes/origin/HEAD', ...candidates]);
  if (!r.ok) return null;
  const present = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    const [name, target] = line.split('\0');
    if (name === 'refs/remotes/origin/HEAD' && target?.startsWith('refs/remotes/origin/')) return target.slice('refs/remotes/origin/'.length);
    if (name) present.add(name);
  }
  for (const name of ['main', 'master']) {
    if (present.has(`refs/heads/${name}`) || present.has(`refs/remotes/origin/${name}`)) return name;
  }
  return null;
}

/** The best common ancestor of two refs, or null when there is none or a ref is unknown. */
export async function mergeBase(cwd: string, a: string, b: string): Promise<string | null> {
  const r = await git(cwd, ['merge-base', '--end-of-options', a, b]);
  const sha = r.stdout.trim();
  return r.ok && SHA_RE.test(sha) ? sha : null;
}
