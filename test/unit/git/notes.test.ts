/** The notes plumbing on a real git repository: refs read together, oversized blobs dropped while streaming. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fetchNotes, pushNotes, readBlobs, refTip, refTips, runGit } from '../../../src/core/git/notes';
import { pushWithRetry } from '../../../src/core/share/sync';

const ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };
const git = (cwd: string, args: string[], input?: string) => execFileSync('git', args, { cwd, env: ENV, input, encoding: 'utf8', maxBuffer: 1 << 28 }).trim();

function repo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tidemark-notes-'));
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'one']);
  return dir;
}

test('refTips reads several refs with one git call: missing refs are null, a longer ref with the same prefix is not taken', async () => {
  const dir = repo();
  try {
    const head = git(dir, ['rev-parse', 'HEAD']);
    git(dir, ['update-ref', 'refs/notes/tidemark/other', head]);
    git(dir, ['update-ref', 'refs/tidemark/remotes/origin/tidemark', head]);
    const tips = await refTips(dir, ['refs/notes/tidemark', 'refs/tidemark/remotes/origin/tidemark']);
    assert.equal(tips.get('refs/notes/tidemark'), null);
    assert.equal(tips.get('refs/tidemark/remotes/origin/tidemark'), head);
    // An annotated tag is peeled to its commit, as refTip does.
    git(dir, ['tag', '-a', '-m', 'tag', 'v1']);
    const peeled = await refTips(dir, ['refs/tags/v1']);
    assert.equal(peeled.get('refs/tags/v1'), await refTip(dir, 'refs/tags/v1'));
    assert.equal(peeled.get('refs/tags/v1'), head);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readBlobs hands over small blobs in order and reports oversized ones by their size without reading them', async () => {
  const dir = repo();
  try {
    const write = (text: string) => git(dir, ['hash-object', '-w', '--stdin'], text);
    const small1 = write('first note\n');
    const big = write('x'.repeat(3 * 1024 * 1024));
    const small2 = write('second note\n');
    const mid = write('y'.repeat(200));
    const small3 = write('third\n');
    const seen: string[] = [];
    const tooBig: [string, number][] = [];
    await readBlobs(dir, [small1, big, small2, mid, small3], 100, (blob, text) => seen.push(`${blob}:${text}`), (blob, size) => tooBig.push([blob, size]));
    assert.deepEqual(seen, [`${small1}:first note\n`, `${small2}:second note\n`, `${small3}:third\n`]);
    assert.deepEqual(tooBig, [
      [big, 3 * 1024 * 1024],
      [mid, 200],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runGit goes through the one runner: exit codes, stderr and stdin as git gives them', async () => {
  const dir = repo();
  try {
    const ok = await runGit(dir, ['rev-parse', '--git-dir']);
    assert.equal(ok.code, 0);
    assert.equal(ok.stdout.trim(), '.git');
    const bad = await runGit(dir, ['rev-parse', '--verify', 'no-such-ref']);
    assert.equal(bad.code, 128);
    assert.match(bad.stderr, /Needed a single revision/);
    const input = await runGit(dir, ['hash-object', '--stdin'], { input: 'text\n' });
    assert.equal(input.stdout.trim(), git(dir, ['hash-object', '--stdin'], 'text\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("fetchNotes completes past the tracking ref's lock file that a killed fetch left behind", async () => {
  const origin = repo();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tidemark-notes-clone-'));
  try {
    git(origin, ['notes', '--ref=refs/notes/tidemark', 'add', '-m', '{"metric_id":"size"}', 'HEAD']);
    git(dir, ['clone', '-q', origin, '.']);
    const tracking = path.join(dir, '.git', 'refs', 'tidemark', 'remotes', 'origin');
    mkdirSync(tracking, { recursive: true });
    // What git leaves when its fetch is killed (kill -9, a cancelled CI job) while updating the ref.
    const lock = path.join(tracking, 'tidemark.lock');
    writeFileSync(lock, '');
    const killedAt = new Date(Date.now() - 60_000);
    utimesSync(lock, killedAt, killedAt);
    const plain = await runGit(dir, ['fetch', '--quiet', '--no-tags', 'origin', '+refs/notes/tidemark:refs/tidemark/remotes/origin/tidemark']);
    assert.match(plain.stderr, /Unable to create .*tidemark\.lock.*File exists/, 'git alone fails on the stale lock');
    assert.equal(await fetchNotes(dir, 'origin', 'tidemark'), git(origin, ['rev-parse', 'refs/notes/tidemark']));
    assert.equal(existsSync(lock), false);
  } finally {
    rmSync(origin, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

test("pushNotes completes past the remote ref's lock file that a killed push left in a remote on this machine; a lock that may be live is named, not removed", async () => {
  const origin = mkdtempSync(path.join(os.tmpdir(), 'tidemark-notes-origin-'));
  const dir = repo();
  try {
    git(origin, ['init', '-q', '--bare']);
    git(dir, ['remote', 'add', 'origin', origin]);
    git(dir, ['notes', '--ref=refs/notes/tidemark', 'add', '-m', '{"metric_id":"size"}', 'HEAD']);
    // What a push's receive-pack leaves in the remote when the push is killed (kill -9 of the job's process group) while it updates the ref.
    const lock = path.join(origin, 'refs', 'notes', 'tidemark.lock');
    mkdirSync(path.dirname(lock), { recursive: true });
    writeFileSync(lock, '');
    const killedAt = new Date(Date.now() - 60_000);
    utimesSync(lock, killedAt, killedAt);
    const plain = await runGit(dir, ['push', '--porcelain', 'origin', 'refs/notes/tidemark:refs/notes/tidemark']);
    assert.match(plain.stderr, /Unable to create .*tidemark\.lock.*File exists/, 'git alone fails on the stale lock');
    assert.deepEqual(await pushNotes(dir, 'origin', 'tidemark'), { ok: true });
    assert.equal(existsSync(lock), false);
    assert.equal(git(origin, ['rev-parse', 'refs/notes/tidemark']), git(dir, ['rev-parse', 'refs/notes/tidemark']));

    // A lock as young as a live push's (its time in the future here, so it stays young) stays, and the failure names it.
    git(dir, ['notes', '--ref=refs/notes/tidemark', 'add', '-f', '-m', '{"metric_id":"size2"}', 'HEAD']);
    writeFileSync(lock, '');
    const later = new Date(Date.now() + 60_000);
    utimesSync(lock, later, later);
    const locked = await pushNotes(dir, 'origin', 'tidemark');
    assert.equal(locked.ok, false);
    assert.ok(!locked.ok && locked.rejected && locked.lockedBy && path.basename(locked.lockedBy) === 'tidemark.lock', JSON.stringify(locked));
    assert.equal(existsSync(lock), true);
    await assert.rejects(pushWithRetry(dir, 'origin', 'tidemark', 2), /the remote's ref stays locked \(.*tidemark\.lock exists there\) after 2 attempts; if no push is running there/);
    assert.equal(existsSync(lock), true);
  } finally {
    rmSync(origin, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
