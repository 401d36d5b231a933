/**
 * Commit order and commit details from git, for drawing a metric's history by commit: the
 * first-parent chain of a branch, the commits a branch has beyond it, where it forked, and
 * each commit's subject, author, committer time and tag. Every function answers empty / null
 * instead of throwing when git or a commit is unavailable (a clone without that history is a
 * normal state: its runs are drawn on the time axis only).
 */
import { gitText } from './run';

export interface CommitDetails {
  sha: string;
  subject: string;
  author: string;
  /** Committer time, epoch ms. */
  time: number;
  /** A tag pointing at the commit (the first by name), or null. */
  tag: string | null;
}

/** At most this many commits of a chain are read (older ones are not placed). */
export const MAX_CHAIN = 200_000;

function lines(out: string | null): string[] {
  return out ? out.split('\n').filter((line) => line !== '') : [];
}

/** Commits of `tip`'s first-parent line, oldest first (at most `max`, the newest ones); [] when git does not know `tip`. */
export async function firstParentOrder(cwd: string, tip: string, max: number = MAX_CHAIN): Promise<string[]> {
  return lines(await gitText(cwd, ['rev-list', '--first-parent', `--max-count=${max}`, '--end-of-options', tip, '--'], { maxBuffer: 256 * 1024 * 1024 })).reverse();
}

/** Which of `shas` name commits in this repository. */
export async function existingCommits(cwd: string, shas: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (shas.length === 0) return found;
  for (const line of lines(await gitText(cwd, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], { input: shas.join('\n') + '\n' }))) {
    const [sha, type] = line.split(' ');
    if (type === 'commit') found.add(sha);
  }
  return found;
}

/** Tags by the commit they point at (annotated tags peeled), the first by name per commit. */
export async function tagsByCommit(cwd: string): Promise<Map<string, string>> {
  const tags = new Map<string, string>();
  const out = await gitText(cwd, ['for-each-ref', '--sort=refname', '--format=%(objectname)%1f%(*objectname)%1f%(refname:short)', 'refs/tags']);
  for (const line of lines(out)) {
    const [object, peeled, name] = line.split('\x1f');
    const commit = peeled || object;
    if (!tags.has(commit)) tags.set(commit, name);
  }
  return tags;
}

/** Subject, author, committer time and tag of each commit among `shas` that exists here. */
export async function commitDetails(cwd: string, shas: string[]): Promise<Map<string, CommitDetails>> {
  const details = new Map<string, CommitDetails>();
  const existing = [...(await existingCommits(cwd, [...new Set(shas)]))];
  if (existing.length === 0) return details;
  const [out, tags] = await Promise.all([
    gitText(cwd, ['log', '--no-walk=unsorted', '--stdin', '--format=%H%x1f%an%x1f%ct%x1f%s', '--'], { input: existing.join('\n') + '\n', maxBuffer: 256 * 1024 * 1024 }),
    tagsByCommit(cwd),
  ]);
  for (const line of lines(out)) {
    const [sha, author, time, ...subject] = line.split('\x1f');
    details.set(sha, { sha, author, time: Number(time) * 1000, subject: subject.join('\x1f'), tag: tags.get(sha) ?? null });
  }
  return details;
}
