// dist/cli.js loads the CLI bundle through V8's code cache (src/cli/launch.ts): the built
// executable as a child process, with its cache folder in a temporary XDG_CACHE_HOME.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OPTIMIZED_IMPORT_BYTES } from '../../../src/cli/tiering';
import { cli, ensureBuilt } from '../builtCli';
import { tempDir } from '../collect/helpers';

before(() => ensureBuilt());

function tidemark(args: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()) {
  const r = spawnSync('node', [cli, ...args], { cwd, env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '', ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cacheFiles = (folder: string) => (fs.existsSync(folder) ? fs.readdirSync(folder).sort() : []);

test('the first command writes the code cache, the next ones use it as it is; the output is the same', () => {
  const { dir, cleanup } = tempDir();
  try {
    const env = { XDG_CACHE_HOME: dir };
    const folder = path.join(dir, 'tidemark');
    const plain = tidemark(['--help'], { NODE_DISABLE_COMPILE_CACHE: '1', XDG_CACHE_HOME: dir });
    assert.equal(plain.code, 0, plain.stderr);
    assert.deepEqual(cacheFiles(folder), [], 'NODE_DISABLE_COMPILE_CACHE=1 writes nothing');
    assert.match(plain.stdout, /^Usage: tidemark <command>/m);

    const first = tidemark(['--help'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, plain.stdout);
    const files = cacheFiles(folder);
    assert.equal(files.length, 1, files.join(', '));
    assert.match(files[0], /^cli-[0-9a-f]{16}-liftoff\.v8cache$/);
    const file = path.join(folder, files[0]);
    const written = fs.readFileSync(file);
    const header = JSON.parse(written.subarray(0, written.indexOf(10)).toString('utf8')) as { stamp: unknown[]; commands: string[] };
    assert.equal(header.stamp[0], process.version, 'the header names the node that made it');
    assert.deepEqual(header.commands, ['--help'], 'and the command that made it');
    assert.ok(written.length > 50_000, `V8's data follows the header (${written.length} bytes)`);
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'only the user reads it');

    // Accepted by V8: not written again (a rejected cache is replaced after the command).
    const mtime = fs.statSync(file).mtimeMs;
    const second = tidemark(['--help'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, plain.stdout);
    assert.equal(fs.statSync(file).mtimeMs, mtime);
    assert.deepEqual(fs.readFileSync(file), written);
  } finally {
    cleanup();
  }
});

test('a damaged cache, one made for another bundle or node, or an unusable cache folder never changes what a command does', () => {
  const { dir, cleanup } = tempDir();
  try {
    const env = { XDG_CACHE_HOME: dir };
    const folder = path.join(dir, 'tidemark');
    const expected = tidemark(['--version'], { NODE_DISABLE_COMPILE_CACHE: '1' });
    assert.equal(expected.code, 0, expected.stderr);
    assert.equal(tidemark(['--version'], env).code, 0);
    const [name] = cacheFiles(folder);
    const file = path.join(folder, name);
    const good = fs.readFileSync(file);
    const header = good.subarray(0, good.indexOf(10) + 1);

    // V8 rejects data that is not its own: the command runs as without a cache, and the cache is made again.
    fs.writeFileSync(file, Buffer.concat([header, Buffer.alloc(good.length - header.length, 0x5a)]));
    const damaged = tidemark(['--version'], env);
    assert.equal(damaged.code, 0, damaged.stderr);
    assert.equal(damaged.stdout, expected.stdout);
    assert.equal(damaged.stderr, '');
    assert.notEqual(fs.readFileSync(file).subarray(header.length, header.length + 64).toString('hex'), '5a'.repeat(64), 'made again');

    // A header of another build (bundle size and time, node): its data is not even given to V8.
    const other = JSON.parse(header.toString('utf8')) as { stamp: unknown[] };
    other.stamp[2] = Number(other.stamp[2]) + 1;
    fs.writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify(other)}\n`), good.subarray(header.length)]));
    const stale = tidemark(['--version'], env);
    assert.equal(stale.code, 0, stale.stderr);
    assert.equal(stale.stdout, expected.stdout);
    assert.deepEqual(fs.readFileSync(file).subarray(0, header.length), header, 'made again for this build');

    // Truncated to nothing, and a cache "folder" that is a file: the command still runs.
    fs.writeFileSync(file, '');
    assert.equal(tidemark(['--version'], env).stdout, expected.stdout);
    const blocked = path.join(dir, 'blocked');
    fs.writeFileSync(blocked, 'not a folder');
    const unwritable = tidemark(['--version'], { XDG_CACHE_HOME: blocked });
    assert.equal(unwritable.code, 0, unwritable.stderr);
    assert.equal(unwritable.stdout, expected.stdout);
    assert.equal(unwritable.stderr, '');
  } finally {
    cleanup();
  }
});

test("an import that V8 may optimize (tiering.ts) keeps its own cache: V8's flags differ from other commands'", () => {
  const { dir, cleanup } = tempDir();
  try {
    const env = { XDG_CACHE_HOME: dir };
    const folder = path.join(dir, 'tidemark');
    const large = path.join(dir, 'large.jsonl');
    fs.writeFileSync(large, '');
    fs.truncateSync(large, OPTIMIZED_IMPORT_BYTES); // Sparse; not a JSONL file, so the import refuses it.
    const imported = tidemark(['import', large, '--db', path.join(dir, 'x.db')], env, dir);
    assert.notEqual(imported.code, 0);
    assert.equal(tidemark(['--version'], env).code, 0);
    assert.deepEqual(
      cacheFiles(folder).map((f) => f.replace(/^cli-[0-9a-f]{16}-/, '')),
      ['liftoff.v8cache', 'turbofan.v8cache'],
    );
  } finally {
    cleanup();
  }
});

test('a cache made by --help is written again, once, by the first other command: it then holds both commands\' functions', () => {
  const { dir, cleanup } = tempDir();
  try {
    const env = { XDG_CACHE_HOME: dir };
    const folder = path.join(dir, 'tidemark');
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(repo);
    for (const args of [['init', '-q'], ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'first']]) {
      assert.equal(spawnSync('git', args, { cwd: repo }).status, 0);
    }
    fs.writeFileSync(path.join(repo, 'tidemark.json'), JSON.stringify({ metrics: { answer: { type: 'numeric', command: 'echo 42' } } }));
    const collect = ['collect', '--cwd', repo, '--db', path.join(dir, 'x.db')];
    assert.equal(tidemark(['--help'], env).code, 0);
    const [name] = cacheFiles(folder);
    const file = path.join(folder, name);
    const header = (buffer: Buffer) => JSON.parse(buffer.subarray(0, buffer.indexOf(10)).toString('utf8')) as { commands: string[] };
    const afterHelp = fs.readFileSync(file);

    const first = tidemark(collect, env, repo);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /answer\s+ok\s+42/);
    const afterCollect = fs.readFileSync(file);
    assert.deepEqual(header(afterCollect).commands, ['--help', 'collect']);
    assert.ok(afterCollect.length > afterHelp.length * 1.5, `collect's functions were added (${afterHelp.length} → ${afterCollect.length} bytes)`);

    const second = tidemark(collect, env, repo);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(fs.readFileSync(file), afterCollect, 'a command the cache covers leaves it as it is');
    assert.equal(tidemark(['--help'], env).code, 0);
    assert.deepEqual(fs.readFileSync(file), afterCollect);
  } finally {
    cleanup();
  }
});
