/**
 * Git revisions as users type them (branch, tag, short sha, HEAD~3, A..B) turned into commits.
 * Commit order and details (first-parent line, subject, author, time, tag) are in commits.ts.
 * Git runs through execFile with argument arrays and `--end-of-options`: revisions come from
 * users and repositories and must never reach a shell or be read as options.
 */
import { resolveCommit } from './history';
import { git } from './run';

export class RevisionError extends Error {}

function checkRevision(rev: string): void {
  if (typeof rev !== 'string' || rev.trim() === '') throw new RevisionError('a revision must not be empty');
  if (rev.startsWith('-')) throw new RevisionError(`"${rev}" is not a revision (it starts with "-")`);
}

/** The full sha of the commit a revision a user typed names (branch, tag, sha prefix, HEAD~3, …), or null. */
export async function resolveRevision(cwd: string, rev: string): Promise<string | null> {
  checkRevision(rev);
  return resolveCommit(cwd, rev);
}

export interface RevisionSelection {
  /** `A..B`, `A...B`, `REV^!`, or one revision (that commit alone). */
  range?: string;
  /** Every tagged commit. */
  tags?: boolean;
  /** The last N commits of HEAD's first-parent line. */
  last?: number;
  firstParent?: boolean;
  /** Keep every K-th commit (the newest always kept). */
  every?: number;
}

/** The commits a selection names, oldest first, without duplicates. Throws RevisionError for a bad one. */
export async function selectCommits(cwd: string, selection: RevisionSelection): Promise<string[]> {
  let commits: string[];
  if (selection.tags) {
    const r = await git(cwd, ['for-each-ref', '--format=%(objectname)%00%(*objectname)', 'refs/tags']);
    if (!r.ok) throw new RevisionError(`git for-each-ref failed: ${r.stderr.trim()}`);
    const tagged = new Set<string>();
    for (const line of r.stdout.split('\n')) {
      const [object, peeled] = line.split('\0');
      const sha = peeled || object;
      const commit = sha ? await resolveRevision(cwd, sha) : null;
      if (commit) tagged.add(commit);
    }
    if (tagged.size === 0) throw new RevisionError('this repository has no tags');
    commits = await topoOrder(cwd, [...tagged]);
  } else if (selection.last !== undefined) {
    if (!Number.isInteger(selection.last) || selection.last < 1) throw new RevisionError('--last needs a whole number ≥ 1');
    const head = await resolveRevision(cwd, 'HEAD');
    if (!head) throw new RevisionError('HEAD is not a commit here');
    const args = ['rev-list', `--max-count=${selection.last}`];
    if (selection.firstParent !== false) args.push('--first-parent');
    commits = await revList(cwd, [...args, head]);
  } else if (selection.range) {
    const range = selection.range;
    checkRevision(range);
    if (/\.\.\.?/.test(range) || range.endsWith('^!') || range.endsWith('^@')) {
      const args = ['rev-list'];
      if (selection.firstParent) args.push('--first-parent');
      commits = await revList(cwd, [...args, '--end-of-options', range]);
      if (commits.length === 0 && !(await rangeIsValid(cwd, range))) throw new RevisionError(`"${range}" is not a revision range here`);
    } else {
      const sha = await resolveRevision(cwd, range);
      if (!sha) throw new RevisionError(`"${range}" is not a branch, tag or commit here`);
      commits = [sha];
    }
  } else {
    throw new RevisionError('name the commits: a revision range (A..B), --tags or --last N');
  }
  if (selection.every !== undefined) {
    const k = selection.every;
    if (!Number.isInteger(k) || k < 1) throw new RevisionError('--every needs a whole number ≥ 1');
    // Count from the newest so the newest commit is always measured.
    commits = commits.filter((_, i) => (commits.length - 1 - i) % k === 0);
  }
  return commits;
}

async function revList(cwd: string, args: string[]): Promise<string[]> {
  const r = await git(cwd, [...args, '--']);
  if (!r.ok) throw new RevisionError(`git ${args.filter((a) => a !== '--end-of-options').join(' ')} failed: ${r.stderr.trim()}`);
  return r.stdout.split('\n').filter((l) => /^[0-9a-f]{40}$/.test(l)).reverse();
}

async function rangeIsValid(cwd: string, range: string): Promise<boolean> {
  return (await git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', ...range.split(/\.\.\.?/).filter(Boolean).map((r) => `${r.replace(/\^[!@]$/, '')}^{commit}`)])).ok;
}

/** The given commits, oldest first (parents before children, then committer time). */
async function topoOrder(cwd: string, shas: string[]): Promise<string[]> {
  const r = await git(cwd, ['rev-list', '--no-walk=sorted', '--topo-order', '--end-of-options', ...shas, '--']);
  if (!r.ok) throw new RevisionError(`git rev-list failed: ${r.stderr.trim()}`);
  const ordered = r.stdout.split('\n').filter((l) => /^[0-9a-f]{40}$/.test(l));
  // --no-walk sorts by committer time newest first; reverse for oldest first.
  return ordered.reverse();
}
