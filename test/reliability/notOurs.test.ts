// Issue 17, "never touch what is not ours" (items 7–10) and actionable errors (item 17).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore } from '../../src/core/store';
import { escapeMarkdown } from '../../src/core/analysis/summary';
import { buildInput } from '../unit/store/fixtures';
import { figure, git, json, needsRoot, newRepo, removeDir, runCount, tempDir, tidemark, tmpfs } from './helpers';

let tmp: string;
before(() => (tmp = tempDir()));
after(() => removeDir(tmp));

const simple = { metrics: { a: { type: 'numeric', command: 'echo 1' } } };

describe('7. --db that is not a Tidemark store', () => {
  test('a character device, a FIFO and package.json are refused and left exactly as they were', (t) => {
    const repo = newRepo(tmp, 'foreign-db', simple);
    const pkg = path.join(repo, 'package.json');
    fs.writeFileSync(pkg, '{"name":"victim","version":"1.0.0"}\n');
    const before = fs.readFileSync(pkg);
    const history = tidemark(repo, ['history', 'a', '--db', 'package.json']);
    assert.equal(history.code, 2, history.stderr);
    assert.match(history.stderr, /package\.json is not a Tidemark store .*nothing was changed/);
    assert.deepEqual(fs.readFileSync(pkg), before);
    assert.deepEqual(fs.readdirSync(repo).filter((f) => f.startsWith('package.json.')), [], 'nothing renamed or created beside it');

    const fifo = path.join(repo, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const onFifo = tidemark(repo, ['stats', '--db', 'fifo'], {}, 15_000);
    assert.equal(onFifo.signal, null, 'stats on a FIFO did not hang');
    assert.equal(onFifo.code, 2, onFifo.stderr);
    assert.match(onFifo.stderr, /fifo is not a regular file/);
    assert.ok(fs.statSync(fifo).isFIFO());
    const devices = [`history on package.json: exit ${history.code}, unchanged`, `stats on a FIFO: exit ${onFifo.code} in ${onFifo.ms} ms`];

    if (needsRoot(t, 'mknod')) {
      const dev = path.join(repo, 'null-device');
      execFileSync('mknod', [dev, 'c', '1', '3']);
      const onDevice = tidemark(repo, ['stats', '--db', 'null-device']);
      assert.equal(onDevice.code, 2, onDevice.stderr);
      assert.ok(fs.statSync(dev).isCharacterDevice(), 'still a character device');
      assert.equal(fs.existsSync(`${dev}.lock`), false);
      devices.push(`stats on a character device: exit ${onDevice.code}, still a device`);
    }
    figure(7, devices.join('; '));
  });

  test('read-only commands work on a read-only store and write nothing; recording there says what to do', async (t) => {
    if (!needsRoot(t, 'a read-only tmpfs')) return;
    const disk = tmpfs('4m');
    try {
      const repo = newRepo(tmp, 'ro-store', simple);
      const db = path.join(disk.dir, 'tidemark.db');
      const store = await openStore(db);
      for (let i = 1; i <= 3; i++) await store.recordBuild(buildInput({ commit: i, day: i, values: { a: i } }, [{ id: 'a', type: 'numeric' }]));
      await store.close();
      const listing = fs.readdirSync(disk.dir).sort();
      execFileSync('mount', ['-o', 'remount,ro', disk.dir]);
      const exported = path.join(tmp, 'ro-export.jsonl');
      const results: string[] = [];
      for (const args of [['stats', '--json'], ['history', 'a', '--json'], ['summary', '--json'], ['export', '--jsonl', '--out', exported]]) {
        const r = tidemark(repo, [...args, '--db', db]);
        assert.equal(r.code, 0, `${args[0]} on a read-only store: ${r.stderr}`);
        results.push(`${args[0]} ok`);
      }
      assert.equal(json<{ builds: number }>(tidemark(repo, ['stats', '--json', '--db', db])).builds, 3);
      assert.equal(fs.readFileSync(exported, 'utf8').trim().split('\n').length, 3);
      assert.deepEqual(fs.readdirSync(disk.dir).sort(), listing, 'no lock or snapshot was written');
      const collect = tidemark(repo, ['collect', '--db', db]);
      assert.equal(collect.code, 1);
      assert.match(collect.stderr, /is on a read-only file system: recording needs a writable folder\. Point --db at a writable location/);
      assert.doesNotMatch(collect.stderr, /unexpected error/);
      figure(7, `read-only store: ${results.join(', ')}; files unchanged; collect said "read-only file system" (exit ${collect.code})`);
      figure(17, `EROFS: "${collect.stderr.trim().split('\n')[0].slice(0, 140)}…"`);
    } finally {
      spawnSync('mount', ['-o', 'remount,rw', disk.dir]);
      disk.unmount();
    }
  });
});

describe('8. collectors stay in the workspace and never quote what they read', () => {
  test('absolute paths, ../ and symlinks out are refused; messages carry no file content; the opt-in allows a folder', () => {
    const outside = path.join(tmp, 'outside');
    fs.mkdirSync(outside);
    const secretJson = path.join(outside, 'secret.json');
    fs.writeFileSync(secretJson, '{"token": 42, "text": "SECRET-TOKEN-123"}');
    fs.writeFileSync(path.join(outside, 'secret.info'), 'SF:/x\nDA:1,1\nend_of_record\n');
    fs.writeFileSync(path.join(outside, 'passwd'), Array.from({ length: 500 }, (_, i) => `user${i}:x:${i}:SECRET-TOKEN-123`).join('\n'));
    const repo = newRepo(tmp, 'confined', {
      metrics: {
        absolute: { type: 'numeric', command: `@collect json ${secretJson} token` },
        dotdot: { type: 'numeric', command: '@collect json ../outside/secret.json token' },
        link: { type: 'numeric', command: '@collect json link.json token' },
        lcov: { type: 'numeric', unit: 'percent', command: '@collect coverage-lcov ../outside/secret.info' },
        quoted: { type: 'numeric', command: '@collect json inside.json text' },
        broken: { type: 'numeric', command: '@collect json broken.json token' },
        loc: { type: 'numeric', command: '@collect loc' },
      },
    });
    fs.symlinkSync(secretJson, path.join(repo, 'link.json'));
    fs.symlinkSync(path.join(outside, 'passwd'), path.join(repo, 'passwd'));
    fs.writeFileSync(path.join(repo, 'inside.json'), '{"text": "SECRET-TOKEN-123"}');
    fs.writeFileSync(path.join(repo, 'broken.json'), 'SECRET-TOKEN-123 is not JSON');
    fs.writeFileSync(path.join(repo, 'code.ts'), 'const a = 1;\nconst b = 2;\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'files and links');
    const out = json<{ results: { metric: string; status: string; value: number | null; message: string | null }[] }>(tidemark(repo, ['collect', '--json']));
    const by = Object.fromEntries(out.results.map((r) => [r.metric, r]));
    for (const metric of ['absolute', 'dotdot', 'link', 'lcov']) {
      assert.equal(by[metric].status, 'invalid-output', `${metric}: ${by[metric].status} ${by[metric].value}`);
      assert.match(by[metric].message ?? '', /is outside the workspace folder/);
    }
    for (const r of out.results) assert.doesNotMatch(r.message ?? '', /SECRET/, `${r.metric} quoted the file: ${r.message}`);
    assert.equal(by.broken.status, 'invalid-output');
    assert.match(by.broken.message ?? '', /broken\.json is not valid JSON: invalid JSON/);
    assert.equal(by.loc.value, 2, 'loc counted only code.ts, not the tracked symlink to a file outside (or tidemark.json)');
    // The operator (not tidemark.json) may allow a folder outside.
    const allowed = json<{ results: { metric: string; status: string; value: number | null }[] }>(
      tidemark(repo, ['collect', '--json', '--only', 'absolute,link'], { TIDEMARK_COLLECT_OUTSIDE: outside }),
    );
    assert.deepEqual(allowed.results.map((r) => [r.metric, r.value]), [['absolute', 42], ['link', 42]]);
    figure(8, `collectors pointed outside (absolute, ../, symlink, coverage): ${['absolute', 'dotdot', 'link', 'lcov'].map((m) => by[m].status).join(', ')}; loc ${by.loc.value} (symlink to a 500-line file outside not counted); messages quoting file content: 0; with TIDEMARK_COLLECT_OUTSIDE: values read`);
  });
});

describe('9. check --markdown', () => {
  test('mentions, references and links from names, labels and branches are inert', () => {
    const escaped = escapeMarkdown('@org/team ping @alice, see #12 and org/repo#3, https://evil.example/x www.evil.example mail a@b.example');
    for (const live of [/@[a-z]/i, /#\d/, /https?:\/\//, /www\./i, /a@b/]) assert.doesNotMatch(escaped, live);
    assert.match(escaped.replace(/\u2060/g, ''), /@org\/team/, 'still readable');
    const repo = newRepo(tmp, 'markdown', {
      metrics: { size: { type: 'numeric', name: '@org/team size (see https://evil.example #1)', command: 'echo 5', thresholds: { max: 10 } } },
    });
    git(repo, 'checkout', '-q', '-b', '@org/team');
    assert.equal(tidemark(repo, ['collect']).code, 0);
    const check = tidemark(repo, ['check', '--markdown']);
    assert.ok(check.code === 0 || check.code === 1, check.stderr);
    assert.match(check.stdout, /org/);
    assert.doesNotMatch(check.stdout, /@org|@team|https:\/\/|#1\b/);
    figure(9, 'check --markdown with @org/team in a metric name and the branch, a URL and #1: 0 live mentions/links in the output');
  });
});

describe('10. a repository git refuses to read', () => {
  test('"dubious ownership" is an error that says what to do; no run is recorded under the wrong identity', (t) => {
    if (!needsRoot(t, 'chown')) return;
    const repo = newRepo(tmp, 'dubious', simple);
    execFileSync('chown', ['-R', '12345:12345', repo]);
    const home = path.join(tmp, 'home');
    fs.mkdirSync(home, { recursive: true });
    const db = path.join(tmp, 'dubious.db');
    const env = { HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
    const r = tidemark(repo, ['collect', '--db', db], env);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /git refuses to read the repository at .*dubious ownership.*nothing was recorded.*safe\.directory/);
    assert.equal(fs.existsSync(db) ? runCount(repo, db) : 0, 0);
    figure(10, `dubious-ownership repository: exit ${r.code}, runs recorded 0, message names git config --global --add safe.directory`);
  });
});

describe('17. errors a user can act on', () => {
  test('a directory as the store and a locked store say what to do, not "unexpected error"', () => {
    const repo = newRepo(tmp, 'errors', simple);
    fs.mkdirSync(path.join(repo, 'dir.db'));
    const dir = tidemark(repo, ['collect', '--db', 'dir.db']);
    assert.equal(dir.code, 2);
    assert.match(dir.stderr, /dir\.db is a directory, not a store file: point --db at a file inside it/);
    const db = path.join(repo, '.tidemark', 'tidemark.db');
    fs.mkdirSync(path.dirname(db));
    // A live process (this test) holds the lock without renewing it: stuck, as far as anyone can tell.
    fs.writeFileSync(`${db}.lock`, JSON.stringify({ pid: process.pid, acquiredAt: new Date().toISOString() }));
    const locked = tidemark(repo, ['collect'], { TIDEMARK_LOCK_TIMEOUT_MS: '500' });
    fs.rmSync(`${db}.lock`);
    assert.equal(locked.code, 1);
    assert.match(locked.stderr, new RegExp(`the store is locked .* by process ${process.pid} .*If that process is stuck, stop it; if no Tidemark is running on any machine sharing this folder, delete`));
    assert.doesNotMatch(`${dir.stderr}${locked.stderr}`, /unexpected error/);
    figure(17, `directory as store: exit ${dir.code} "${dir.stderr.trim().slice(0, 100)}…"; locked store: exit ${locked.code} "…stop it; … delete the lock"`);
  });
});
