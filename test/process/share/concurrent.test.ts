/**
 * The concurrency proof: a bare origin and three clones publishing 30 runs at the same time with
 * --push (real git, real `tidemark` processes); a fourth clone pulls an identical history.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../unit/collect/helpers';
import { clone, ensureBuilt, exported, git, json, newOrigin, noteLines, tidemark, type PublishJson, type PullJson, tidemarkAsync } from './helpers';

let tmp: { dir: string; cleanup(): void };
before(() => {
  ensureBuilt();
  tmp = tempDir();
});
after(() => tmp.cleanup());

describe('publish concurrently through a bare origin', () => {
  test('three clones publish 30 runs concurrently with --push: all 30 reach origin, a fourth clone pulls identical history', { timeout: 600_000 }, async () => {
    const dir = path.join(tmp.dir, 'concurrent');
    const origin = newOrigin(dir);
    const clones = ['a', 'b', 'c'].map((name) => clone(origin, path.join(dir, name)));
    // Each clone: 10 CI runs, each published and pushed at once; the three loops race on one commit's note.
    const loops = clones.map(async (repo, index) => {
      for (let i = 0; i < 10; i++) {
        if (i === 5) {
          // Halfway, a new commit in each clone: notes on several commits, not only one.
          writeFileSync(path.join(repo, 'size.txt'), `${200 + index}\n`);
          git(repo, 'commit', '-q', '-am', `size ${index}`);
        }
        const collected = await tidemarkAsync(repo, ['collect', '--event', 'ci']);
        assert.equal(collected.code, 0, collected.stderr);
        const published = await tidemarkAsync(repo, ['publish', '--push', '--json']);
        assert.equal(published.code, 0, published.stderr);
        const outcome = JSON.parse(published.stdout) as PublishJson;
        assert.equal(outcome.published, 1);
        assert.equal(outcome.pushed, true);
      }
    });
    await Promise.all(loops);

    const lines = noteLines(origin);
    const runIds = new Set(lines.map((l) => l.run_id));
    assert.equal(runIds.size, 30, 'every run is in origin\'s notes');
    // 3 values per run (size, pid, status; "broken" fails and travels as a failure): no line lost or doubled.
    assert.equal(lines.length, 90);
    assert.ok(lines.every((l) => l.tidemark === 1 && l.event === 'ci' && l.dirty === false));
    assert.ok(lines.some((l) => Array.isArray(l.failures)), 'failures travel with their run');

    const fourth = clone(origin, path.join(dir, 'd'));
    const pulled = json<PullJson>(tidemark(fourth, ['pull', '--json']));
    assert.equal(pulled.imported, 30);
    assert.deepEqual(pulled.problems, []);
    const again = json<PullJson>(tidemark(fourth, ['pull', '--json']));
    assert.equal(again.imported, 0, 'pulling twice is harmless');

    // Values, commits, branches, run ids, numbers and timestamps: the union of the three stores.
    const expected = clones.flatMap((repo, i) => exported(repo, path.join(dir, `a${i}.jsonl`))).sort();
    assert.deepEqual(exported(fourth, path.join(dir, 'd.jsonl')), expected);
  });

});
