/**
 * Sharing through git notes with real git and real `tidemark` processes: a bare origin, clones
 * publishing at the same time, a fresh clone pulling, failures that must exit 4 and lose nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../unit/collect/helpers';
import { clone, ensureBuilt, git, json, newOrigin, noteLines, tidemark, type PublishJson, type PullJson } from './helpers';

let tmp: { dir: string; cleanup(): void };
before(() => {
  ensureBuilt();
  tmp = tempDir();
});
after(() => tmp.cleanup());

describe('publish and pull through a bare origin', () => {
  test('an incremental pull reads only the changed notes; a publisher\'s own runs are not doubled by pulling', () => {
    const dir = path.join(tmp.dir, 'incremental');
    const origin = newOrigin(dir);
    const a = clone(origin, path.join(dir, 'a'));
    const b = clone(origin, path.join(dir, 'b'));
    for (let i = 0; i < 3; i++) {
      writeFileSync(path.join(a, 'size.txt'), `${300 + i}\n`);
      git(a, 'commit', '-q', '-am', `c${i}`);
      assert.equal(tidemark(a, ['collect', '--event', 'ci']).code, 0);
    }
    json(tidemark(a, ['publish', '--push', '--json']));
    assert.equal(json<PullJson>(tidemark(b, ['pull', '--json'])).notesRead, 3);
    assert.equal(tidemark(a, ['collect', '--event', 'ci']).code, 0);
    json(tidemark(a, ['publish', '--push', '--json']));
    const second = json<PullJson>(tidemark(b, ['pull', '--json']));
    assert.equal(second.notesRead, 1, 'only the note that changed is read');
    assert.equal(second.imported, 1);
    // The publisher pulls its own runs back: nothing new.
    const own = json<PullJson>(tidemark(a, ['pull', '--json']));
    assert.equal(own.imported, 0);
    assert.equal(own.skipped, 4);
    const stats = json<{ builds: number }>(tidemark(a, ['stats', '--json']));
    assert.equal(stats.builds, 4);
  });

  test('dirty, on-save and unshared events stay local', () => {
    const dir = path.join(tmp.dir, 'local-only');
    const origin = newOrigin(dir);
    const a = clone(origin, path.join(dir, 'a'));
    assert.equal(tidemark(a, ['collect', '--event', 'save']).code, 0);
    writeFileSync(path.join(a, 'size.txt'), '999\n');
    assert.equal(tidemark(a, ['collect', '--event', 'manual']).code, 0, 'dirty manual run');
    git(a, 'checkout', '-q', '--', 'size.txt');
    assert.equal(tidemark(a, ['collect', '--event', 'manual']).code, 0, 'clean manual run');
    const outcome = json<PublishJson>(tidemark(a, ['publish', '--json']));
    assert.equal(outcome.published, 1);
    const lines = noteLines(a);
    assert.equal(new Set(lines.map((l) => l.run_id)).size, 1);
    assert.ok(lines.every((l) => l.event === 'manual' && l.dirty === false));
    // share.events can leave manual runs out.
    writeFileSync(path.join(a, 'tidemark.json'), JSON.stringify({ ...JSON.parse(git(a, 'show', 'HEAD:tidemark.json')), share: { events: ['ci'] } }));
    assert.equal(tidemark(a, ['collect', '--event', 'manual']).code, 0);
    assert.equal(json<PublishJson>(tidemark(a, ['publish', '--json'])).published, 0);
  });

  test('no remote, an unreachable remote, a refused push: one line, exit 4, nothing lost, the next sync completes', () => {
    const dir = path.join(tmp.dir, 'failures');
    const origin = newOrigin(dir);
    const a = clone(origin, path.join(dir, 'a'));
    assert.equal(tidemark(a, ['collect', '--event', 'ci']).code, 0);

    const noRemote = tidemark(a, ['publish', '--push', '--remote', 'upstream']);
    assert.equal(noRemote.code, 4);
    assert.match(noRemote.stderr, /^tidemark publish: sharing failed: no git remote named "upstream"/);
    assert.equal(noRemote.stderr.trim().split('\n').length, 1);

    git(a, 'remote', 'set-url', 'origin', path.join(dir, 'gone.git'));
    const offline = tidemark(a, ['sync']);
    assert.equal(offline.code, 4, offline.stderr);
    assert.match(offline.stderr, /sharing failed: cannot fetch refs\/notes\/tidemark from origin/);
    assert.equal(offline.stderr.trim().split('\n').length, 1);
    // The run was written to the local notes ref and is still in the store.
    assert.equal(new Set(noteLines(a).map((l) => l.run_id)).size, 1);
    assert.equal(json<{ builds: number }>(tidemark(a, ['stats', '--json'])).builds, 1);

    // A remote that refuses the notes ref (a hook standing in for missing permission).
    git(a, 'remote', 'set-url', 'origin', origin);
    writeFileSync(path.join(origin, 'hooks', 'pre-receive'), '#!/bin/sh\necho "permission denied to test" >&2\nexit 1\n', { mode: 0o755 });
    const refused = tidemark(a, ['publish', '--push']);
    assert.equal(refused.code, 4, refused.stderr);
    assert.match(refused.stderr, /sharing failed: cannot push refs\/notes\/tidemark to origin/);

    git(origin, 'config', 'core.hooksPath', '/dev/null');
    const retried = json<{ publish: PublishJson }>(tidemark(a, ['sync', '--json']));
    assert.equal(retried.publish.pushed, true);
    assert.equal(new Set(noteLines(origin).map((l) => l.run_id)).size, 1);
  });

  test('sharing turned off in tidemark.json: publish does nothing and says so', () => {
    const dir = path.join(tmp.dir, 'off');
    const origin = newOrigin(dir);
    const a = clone(origin, path.join(dir, 'a'));
    writeFileSync(path.join(a, 'tidemark.json'), JSON.stringify({ ...JSON.parse(git(a, 'show', 'HEAD:tidemark.json')), share: { enabled: false } }));
    assert.equal(tidemark(a, ['collect', '--event', 'ci']).code, 0);
    const r = tidemark(a, ['publish', '--push']);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /sharing is turned off/);
    assert.throws(() => git(a, 'rev-parse', '--verify', 'refs/notes/tidemark'));
  });
});
