/**
 * When did the files of the working tree last change under the user's feet? The HEAD reflog
 * records every checkout, merge, rebase, reset and pull; the newest entry whose commit has a
 * different tree than the entry before it is the last time HEAD moved to other files. A commit
 * (including --amend) changes no file on disk and does not count.
 */
import { git } from './run';

export interface HeadMove {
  /** Epoch ms (the reflog keeps seconds). */
  time: number;
  /** The commit HEAD moved to. */
  commitSha: string;
  /** The reflog message, e.g. "checkout: moving from main to v1.2". */
  action: string;
}

const ENTRIES = 200;

export async function lastHeadMove(cwd: string): Promise<HeadMove | null> {
  const r = await git(cwd, ['reflog', 'show', `-n${ENTRIES}`, '--date=unix', '--format=%H%x00%T%x00%gd%x00%gs', 'HEAD', '--']);
  return r.ok ? parse(r.stdout) : null;
}

function parse(text: string): HeadMove | null {
  const entries = text
    .split('\n')
    .map((line) => line.split('\0'))
    .filter((f) => f.length >= 4 && /^[0-9a-f]{40}$/.test(f[0]))
    .map(([commitSha, tree, selector, action]) => ({ commitSha, tree, time: Number(/@\{(\d+)\}/.exec(selector)?.[1] ?? NaN) * 1000, action }));
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!Number.isFinite(entry.time)) continue;
    if (/^commit\b/.test(entry.action)) continue;
    const previous = entries[i + 1];
    // The oldest entry (a clone or the first checkout) wrote every file.
    if (!previous || previous.tree !== entry.tree) return { time: entry.time, commitSha: entry.commitSha, action: entry.action };
  }
  return null;
}
