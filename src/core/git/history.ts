/**
 * The git questions baseline selection asks: ancestry and commit dates. Every function
 * answers null/[] instead of throwing when git or the commit is unavailable, because a
 * missing baseline is a normal state ("unknown"), not an error.
 */
import { gitText, SHA_RE } from './run';

export interface CommitInfo {
  sha: string;
  /** Committer date, ISO 8601. */
  time: string;
}

/** Full sha of a ref, or null when it does not name a commit here. */
export async function resolveCommit(cwd: string, ref: string): Promise<string | null> {
  const out = (await gitText(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]))?.trim();
  return out && SHA_RE.test(out) ? out : null;
}

/**
 * HEAD's commit and its branch (null when detached) from one git process; null when HEAD is not
 * a commit here (no repository, no commits yet).
 */
export async function checkedOut(cwd: string): Promise<{ sha: string; branch: string | null } | null> {
  // --symbolic-full-name prints refs/heads/NAME on a branch and HEAD when detached; the full name
  // is never ambiguous (symbolic-ref --short can print heads/NAME when a tag NAME exists too).
  const out = await gitText(cwd, ['rev-parse', 'HEAD^{commit}', '--symbolic-full-name', 'HEAD']);
  const [sha, name] = (out ?? '').split('\n').map((line) => line.trim());
  if (!sha || !SHA_RE.test(sha)) return null;
  return { sha, branch: name?.startsWith('refs/heads/') ? name.slice('refs/heads/'.length) || null : null };
}

/** The ref under which the reference branch exists here (the local branch, else its origin copy, else the name as git reads it) and its commit. */
export async function referenceTip(cwd: string, branch: string): Promise<{ ref: string; sha: string } | null> {
  for (const ref of [`refs/heads/${branch}`, `refs/remotes/origin/${branch}`, branch]) {
    const sha = await resolveCommit(cwd, ref);
    if (sha) return { ref, sha };
  }
  return null;
}

/** referenceTip's ref. */
export async function referenceRef(cwd: string, branch: string): Promise<string | null> {
  return (await referenceTip(cwd, branch))?.ref ?? null;
}

/** Commits reachable from `sha`, newest first, at most `max`; first parents only when asked. */
export async function ancestors(cwd: string, sha: string, options: { max: number; firstParent?: boolean }): Promise<CommitInfo[]> {
  const args = ['rev-list', `--max-count=${options.max}`, '--format=%H %cI', '--no-commit-header'];
  if (options.firstParent) args.push('--first-parent');
  const out = await gitText(cwd, [...args, sha, '--']);
  if (!out) return [];
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [commit, time] = line.split(' ');
      return { sha: commit, time };
    });
}
