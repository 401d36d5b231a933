/**
 * One way to read a revision the user typed, shared by compare, history, check --base and
 * backfill: a branch Tidemark has runs for stands for its latest run; anything else git
 * resolves (tag, short sha, HEAD~3, a branch without runs) stands for the commit it names.
 */
import { commitDetails } from '../git/commits';
import { resolveRevision, RevisionError } from '../git/revisions';
import type { StoreApi } from '../store/api';
import type { BuildRecord } from '../types';

export interface ResolvedRef {
  /** As typed. */
  ref: string;
  /** What to ask the store with (the branch name or the full sha). */
  storeRef: string;
  /** The commit git resolves the ref to (null when git does not know it). */
  commitSha: string | null;
  /** The latest run of the ref, or null. */
  build: BuildRecord | null;
}

export async function resolveRunRef(store: StoreApi, cwd: string, ref: string): Promise<ResolvedRef> {
  const branches = await store.branches();
  if (branches.some((b) => b.branch === ref)) {
    const build = await store.resolveRef(ref);
    return { ref, storeRef: ref, commitSha: build?.commitSha ?? null, build };
  }
  let sha: string | null = null;
  try {
    sha = await resolveRevision(cwd, ref);
  } catch (error) {
    if (!(error instanceof RevisionError)) throw error;
  }
  if (sha) return { ref, storeRef: sha, commitSha: sha, build: await store.resolveRef(sha) };
  // Not in this repository: a sha prefix recorded elsewhere (an import) may still have runs.
  const build = /^[0-9a-f]{4,40}$/i.test(ref) ? await store.resolveRef(ref.toLowerCase()) : null;
  return { ref, storeRef: build ? build.commitSha : ref, commitSha: build?.commitSha ?? null, build };
}

/** Why a resolved ref has no run, and what to do about it. */
export async function noRunMessage(cwd: string, resolved: ResolvedRef): Promise<string> {
  if (!resolved.commitSha) return `"${resolved.ref}" is not a branch, tag or commit here, and no run was recorded under that name`;
  const details = (await commitDetails(cwd, [resolved.commitSha])).get(resolved.commitSha);
  const what = details ? ` ("${details.subject}", ${new Date(details.time).toISOString().slice(0, 10)})` : '';
  return `"${resolved.ref}" is commit ${resolved.commitSha.slice(0, 7)}${what}, which has no recorded run: measure it with \`tidemark backfill ${quoteArg(resolved.ref)}\``;
}

function quoteArg(text: string): string {
  return /^[\w./~^@:-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
