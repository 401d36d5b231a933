/**
 * The git plumbing that sharing through notes needs. Git always runs through spawn with an
 * argument array (refs, remotes and commits come from users and repositories and must never
 * reach a shell), without a terminal prompt, with a timeout that kills it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { git } from './run';

/** Git refused or failed (its own message, one line). */
export class GitError extends Error {
  override name = 'GitError';
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GitOptions {
  input?: string;
  /** Default 120 s (a fetch or push over a slow network). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Fallback identity for notes commits when git has none configured (CI machines often do not). */
const IDENTITY = {
  GIT_AUTHOR_NAME: 'Tidemark',
  GIT_AUTHOR_EMAIL: 'tidemark@localhost',
  GIT_COMMITTER_NAME: 'Tidemark',
  GIT_COMMITTER_EMAIL: 'tidemark@localhost',
};

/** Git through the one runner (src/core/git/run.ts), with a timeout, no password prompt and C messages (they are matched below). */
export async function runGit(cwd: string, args: string[], options: GitOptions = {}): Promise<GitResult> {
  const r = await git(cwd, args, {
    input: options.input ?? '',
    env: { ...options.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: process.env.GIT_ASKPASS ?? 'echo', LC_ALL: 'C' },
    timeoutMs: options.timeoutMs ?? 120_000,
    maxBuffer: 1 << 30,
  });
  if (r.startError && !r.killedBy) throw new GitError(`cannot run git: ${r.startError}`);
  return {
    code: r.code ?? (r.killedBy ? 128 : 1),
    stdout: r.stdout,
    stderr: r.stderr + (r.killedBy ? `\n(git killed by ${r.killedBy})` : ''),
  };
}

/** The first line of git's complaint, for a one-line error. */
export function gitMessage(result: GitResult): string {
  const lines = result.stderr.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('hint:'));
  const fatal = lines.find((l) => /^(fatal|error):/.test(l));
  return (fatal ?? lines[0] ?? `git exited with code ${result.code}`).replace(/^(fatal|error):\s*/, '');
}

/** A full notes ref: `tidemark` → `refs/notes/tidemark`. */
export function fullNotesRef(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/notes/${ref}`;
}

/** Where `git fetch` keeps the remote's copy of a notes ref (never the ref users write). */
export function trackingRef(remote: string, ref: string): string {
  return `refs/tidemark/remotes/${remote}/${fullNotesRef(ref).replace(/^refs\/notes\//, '')}`;
}

const identities = new Map<string, Promise<NodeJS.ProcessEnv>>();

/** {} when git has an identity here, else a fallback one (asked once per folder and process). */
function identityEnv(cwd: string): Promise<NodeJS.ProcessEnv> {
  let pending = identities.get(cwd);
  if (!pending) {
    pending = runGit(cwd, ['var', 'GIT_COMMITTER_IDENT']).then((r) => (r.code === 0 ? {} : IDENTITY));
    identities.set(cwd, pending);
  }
  return pending;
}

/** The commit a ref points to, or null. */
export async function refTip(cwd: string, ref: string): Promise<string | null> {
  const r = await runGit(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  const sha = r.stdout.trim();
  return r.code === 0 && /^[0-9a-f]{40}$/.test(sha) ? sha : null;
}

/**
 * The commits several refs point to, with one `git for-each-ref` (null for a ref that does not
 * exist). A ref pointing to anything but a commit is asked about with refTip (it peels tags).
 */
export async function refTips(cwd: string, refs: string[]): Promise<Map<string, string | null>> {
  const tips = new Map<string, string | null>(refs.map((ref) => [ref, null]));
  const r = await runGit(cwd, ['for-each-ref', '--format=%(refname) %(objecttype) %(objectname)', '--', ...refs]);
  if (r.code !== 0) {
    for (const ref of refs) tips.set(ref, await refTip(cwd, ref));
    return tips;
  }
  for (const line of r.stdout.split('\n')) {
    const [name, type, sha] = line.split(' ');
    if (!tips.has(name)) continue;
    tips.set(name, type === 'commit' && /^[0-9a-f]{40}$/.test(sha) ? sha : await refTip(cwd, name));
  }
  return tips;
}

export async function isGitRepository(cwd: string): Promise<boolean> {
  const r = await runGit(cwd, ['rev-parse', '--git-dir']);
  return r.code === 0;
}

/** The note of one commit: its text, null when it has none, 'missing' when the commit is not in this repository. */
export async function readNote(cwd: string, ref: string, commit: string): Promise<string | null | 'missing'> {
  const r = await runGit(cwd, ['notes', `--ref=${fullNotesRef(ref)}`, 'show', `${commit}^{commit}`]);
  if (r.code === 0) return r.stdout;
  return /no note found/i.test(r.stderr) ? null : 'missing';
}

/**
 * Appends text to one commit's note: git writes one new blob (the old note + the text) and one
 * notes commit. The cost grows with that commit's note, never with the whole history.
 */
export async function appendNote(cwd: string, ref: string, commit: string, text: string): Promise<void> {
  const env = await identityEnv(cwd);
  const args = ['notes', `--ref=${fullNotesRef(ref)}`, 'append', '--file=-', commit];
  const r = await runGitThroughRefLock(cwd, args, { input: text, env });
  if (r.code !== 0) throw new GitError(`cannot write the note of ${commit.slice(0, 12)}: ${gitMessage(r)}`);
}

export interface NoteEntry {
  commit: string;
  blob: string;
}

/** Every note of a notes commit (or ref): which commit has which blob. */
export async function listNotes(cwd: string, tip: string): Promise<NoteEntry[]> {
  const r = await runGit(cwd, ['ls-tree', '-r', '-z', '--full-tree', tip]);
  if (r.code !== 0) throw new GitError(`cannot list notes of ${tip}: ${gitMessage(r)}`);
  return parseTreeEntries(r.stdout);
}

function parseTreeEntries(text: string): NoteEntry[] {
  const entries: NoteEntry[] = [];
  for (const record of text.split('\0')) {
    if (!record) continue;
    // "<mode> blob <sha>\t<path>"
    const tab = record.indexOf('\t');
    const [, type, blob] = record.slice(0, tab).split(' ');
    const commit = record.slice(tab + 1).replace(/\//g, '');
    if (type === 'blob' && /^[0-9a-f]{40}$/.test(commit)) entries.push({ commit, blob });
  }
  return entries;
}

/**
 * Notes added or changed between two notes commits (the new blob of each), read from the
 * trees alone: the cost follows what changed, not the history.
 */
export async function changedNotes(cwd: string, from: string, to: string): Promise<NoteEntry[] | null> {
  const r = await runGit(cwd, ['diff-tree', '-r', '-z', '--no-renames', '--diff-filter=AM', from, to]);
  if (r.code !== 0) return null;
  const entries: NoteEntry[] = [];
  const parts = r.stdout.split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) {
    // ":100644 100644 <old> <new> M" then the path
    const fields = parts[i].split(' ');
    const blob = fields[3];
    const commit = parts[i + 1].replace(/\//g, '');
    if (blob && /^[0-9a-f]{40}$/.test(commit)) entries.push({ commit, blob });
  }
  return entries;
}

/** Sizes of blobs (one `git cat-file --batch-check`), so oversized notes are never read. */
export async function blobSizes(cwd: string, blobs: string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (blobs.length === 0) return sizes;
  const r = await runGit(cwd, ['cat-file', '--batch-check'], { input: blobs.join('\n') + '\n' });
  if (r.code !== 0) throw new GitError(`git cat-file failed: ${gitMessage(r)}`);
  for (const line of r.stdout.split('\n')) {
    const [sha, type, size] = line.split(' ');
    if (type === 'blob') sizes.set(sha, Number(size));
  }
  return sizes;
}

/**
 * Reads blobs with one `git cat-file --batch`, calling `visit` with each one's text; blobs
 * larger than `maxBytes` (known from each one's header) are reported through `tooBig` and their
 * bytes dropped as they stream past, never held in memory: no size query beforehand.
 */
export function readBlobs(
  cwd: string,
  blobs: string[],
  maxBytes: number,
  visit: (blob: string, text: string) => void,
  tooBig: (blob: string, size: number) => void,
): Promise<void> {
  if (blobs.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' }, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    // Chunks are joined only once a whole blob is there (joining per chunk is quadratic on big notes).
    let chunks: Buffer[] = [];
    let buffered = 0;
    let need = 0;
    // Bytes of an oversized blob still to come: dropped as they arrive, never buffered.
    let skip = 0;
    let index = 0;
    let failed: Error | null = null;
    const stderr: Buffer[] = [];
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    child.stdout.on('data', (data: Buffer) => {
      let chunk = data;
      if (skip > 0) {
        if (chunk.length <= skip) {
          skip -= chunk.length;
          return;
        }
        chunk = chunk.subarray(skip);
        skip = 0;
      }
      chunks.push(chunk);
      buffered += chunk.length;
      if (buffered < need) return;
      let pending: Buffer = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      for (;;) {
        const nl = pending.indexOf(0x0a);
        if (nl < 0) break;
        const header = pending.toString('utf8', 0, nl);
        const [sha, type, sizeText] = header.split(' ');
        if (type === 'missing') {
          pending = pending.subarray(nl + 1);
          index++;
          continue;
        }
        const size = Number(sizeText);
        const end = nl + 1 + size + 1;
        if (size > maxBytes) {
          try {
            tooBig(sha, size);
          } catch (err) {
            failed ??= err as Error;
          }
          index++;
          need = 0;
          if (pending.length >= end) {
            pending = pending.subarray(end);
            continue;
          }
          skip = end - pending.length;
          pending = Buffer.alloc(0);
          break;
        }
        if (pending.length < end) {
          need = end;
          break;
        }
        need = 0;
        try {
          visit(sha, pending.toString('utf8', nl + 1, nl + 1 + size));
        } catch (err) {
          failed ??= err as Error;
        }
        pending = pending.subarray(end);
        index++;
      }
      chunks = pending.length ? [pending] : [];
      buffered = pending.length;
    });
    child.on('error', (e) => reject(new GitError(`cannot run git: ${e.message}`)));
    child.on('close', (code) => {
      if (failed) reject(failed);
      else if (code !== 0) reject(new GitError(`git cat-file failed: ${Buffer.concat(stderr).toString('utf8').trim()}`));
      else if (index < blobs.length) reject(new GitError(`git cat-file stopped after ${index} of ${blobs.length} notes`));
      else resolve();
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(blobs.join('\n') + '\n');
  });
}

/** Fetches a remote's notes ref into its tracking ref (forced: the remote's copy is what it is). Returns the tip or null when the remote has none. */
export async function fetchNotes(cwd: string, remote: string, ref: string): Promise<string | null> {
  const full = fullNotesRef(ref);
  const tracking = trackingRef(remote, ref);
  // The fetch updates the tracking ref under its lock: one left by a killed fetch is removed.
  const r = await runGitThroughRefLock(cwd, ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', remote, `+${full}:${tracking}`], {});
  if (r.code !== 0) {
    if (/couldn't find remote ref|could not find remote ref/i.test(r.stderr)) {
      await runGitThroughRefLock(cwd, ['update-ref', '-d', tracking], {});
      return null;
    }
    throw new GitError(`cannot fetch ${full} from ${remote}: ${gitMessage(r)}`);
  }
  return refTip(cwd, tracking);
}

/**
 * Merges another notes commit into the local notes ref as a union of lines (git's
 * cat_sort_uniq strategy: a note's lines are sorted and duplicates dropped). Creates the local
 * ref when it does not exist; a no-op when it already contains `other`. `known` = both tips when
 * the caller already read them. Returns the local tip afterwards.
 */
export async function mergeNotes(cwd: string, ref: string, otherRef: string, known?: { local: string | null; other: string | null }): Promise<string | null> {
  const full = fullNotesRef(ref);
  const [local, other] = known ? [known.local, known.other] : await Promise.all([refTip(cwd, full), refTip(cwd, otherRef)]);
  if (!other) return local;
  if (!local) {
    const r = await runGit(cwd, ['update-ref', full, other, '0'.repeat(40)]);
    if (r.code === 0) return other;
    // Someone created it meanwhile: merge into theirs.
  } else if (local === other) {
    return local;
  }
  const env = await identityEnv(cwd);
  const args = ['notes', `--ref=${full}`, 'merge', '--quiet', '--strategy=cat_sort_uniq', otherRef];
  const r = await runGitThroughRefLock(cwd, args, { env });
  if (r.code !== 0) throw new GitError(`cannot merge notes into ${full}: ${gitMessage(r)}`);
  return refTip(cwd, full);
}

/** A live git holds a ref lock for milliseconds; one this old was left by a killed process. */
const STALE_REF_LOCK_MS = 2_000;

/**
 * Runs a git command that updates the notes ref. Another process updating it at the same moment
 * makes git fail on the ref's lock file: wait and retry. A lock file that stays longer than any
 * git holds one was left by a process killed mid-update (kill -9, a cancelled CI job): it is
 * removed, so a rerun completes instead of failing until someone deletes it by hand.
 */
async function runGitThroughRefLock(cwd: string, args: string[], options: GitOptions): Promise<GitResult> {
  const started = Date.now();
  let removedStale = false;
  for (;;) {
    const r = await runGit(cwd, args, options);
    const lock = r.code === 0 ? null : /Unable to create '([^']+\.lock)': File exists/i.exec(r.stderr)?.[1] ?? (/cannot lock ref/i.test(r.stderr) ? '' : null);
    if (lock === null) return r;
    if (lock !== '' && !removedStale) {
      const age = await fs.promises.stat(lock).then((st) => Date.now() - st.mtimeMs, () => null);
      if (age !== null && age > STALE_REF_LOCK_MS) {
        await fs.promises.rm(lock, { force: true });
        removedStale = true;
        continue;
      }
    }
    if (Date.now() - started > STALE_REF_LOCK_MS * 3) return r;
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
  }
}

export type PushResult = { ok: true } | { ok: false; rejected: boolean; message: string; lockedBy?: string };

/**
 * Pushes the local notes ref (fast-forward only). `rejected` = the remote moved on, or its ref is
 * locked by another push: fetch, merge, retry. A lock the remote reports that stays longer than
 * any git holds one (a push killed on a remote in this machine's file system) is removed once, as
 * a local one is; `lockedBy` names a lock that remains.
 */
export async function pushNotes(cwd: string, remote: string, ref: string): Promise<PushResult> {
  const full = fullNotesRef(ref);
  let removedStale = false;
  for (;;) {
    const r = await runGit(cwd, ['push', '--quiet', '--porcelain', remote, `${full}:${full}`]);
    if (r.code === 0) return { ok: true };
    const text = `${r.stdout}\n${r.stderr}`;
    const lockedBy = /remote: .*Unable to create '([^']+\.lock)': File exists/i.exec(r.stderr)?.[1];
    if (lockedBy && !removedStale && (await removeStaleRemoteLock(cwd, remote, lockedBy))) {
      removedStale = true;
      continue;
    }
    const rejected = /\[rejected\]|\(fetch first\)|non-fast-forward|\[remote rejected\].*(cannot lock|failed to update|incorrect old value)|stale info/i.test(text);
    return { ok: false, rejected, message: gitMessage(r), ...(lockedBy ? { lockedBy } : {}) };
  }
}

/**
 * Removes a remote's ref lock left by a killed push, when the remote is a repository in this
 * machine's file system (a path or file:// URL) and the lock is inside it and old. The path comes
 * from the remote's own message: nothing outside the remote's folder is touched.
 */
async function removeStaleRemoteLock(cwd: string, remote: string, lock: string): Promise<boolean> {
  const dir = await localRemoteDir(cwd, remote);
  if (!dir || !path.isAbsolute(lock)) return false;
  const parent = await fs.promises.realpath(path.dirname(lock)).catch(() => null);
  if (!parent) return false;
  const inside = path.relative(dir, parent);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return false;
  const file = path.join(parent, path.basename(lock));
  const age = await fs.promises.lstat(file).then((st) => (st.isFile() ? Date.now() - st.mtimeMs : null), () => null);
  if (age === null || age <= STALE_REF_LOCK_MS) return false;
  await fs.promises.rm(file, { force: true });
  return true;
}

/** The folder of a remote that lives in this machine's file system (a path or a file:// URL), resolved; null for a network remote. */
async function localRemoteDir(cwd: string, remote: string): Promise<string | null> {
  let url = remote;
  if (!/[/:\\]/.test(remote)) {
    const r = await runGit(cwd, ['remote', 'get-url', remote]);
    if (r.code !== 0) return null;
    url = r.stdout.trim();
  }
  if (/^file:\/\//i.test(url)) {
    try {
      url = fileURLToPath(url);
    } catch {
      return null;
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || (/^[^/\\]+:/.test(url) && !/^[a-z]:[/\\]/i.test(url))) {
    return null; // https://, ssh://, or scp-like host:path
  }
  return fs.promises.realpath(path.resolve(cwd, url)).catch(() => null);
}

export async function remoteExists(cwd: string, remote: string): Promise<boolean> {
  // A URL or path works as a remote too.
  if (/[/:\\]/.test(remote)) return true;
  const r = await runGit(cwd, ['remote']);
  return r.code === 0 && r.stdout.split('\n').includes(remote);
}

/**
 * The files to watch to see a notes ref change (for the editor): the loose ref file and
 * packed-refs, both in the common git directory (shared by worktrees).
 */
export async function notesRefFiles(
  cwd: string,
  ref: string,
  remote = 'origin',
): Promise<{ gitDir: string; looseRef: string; trackingRef: string; packedRefs: string } | null> {
  const r = await runGit(cwd, ['rev-parse', '--path-format=absolute', '--git-common-dir']);
  if (r.code !== 0) return null;
  const gitDir = r.stdout.trim();
  return {
    gitDir,
    looseRef: path.join(gitDir, ...fullNotesRef(ref).split('/')),
    trackingRef: path.join(gitDir, ...trackingRef(remote, ref).split('/')),
    packedRefs: path.join(gitDir, 'packed-refs'),
  };
}
