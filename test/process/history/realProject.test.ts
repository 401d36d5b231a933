// Backfill on a real project from npm, offline: the published releases of `debug` (2.6.9,
// 4.3.4, 4.4.3, from the local npm cache) committed as a history, with a setup step that
// installs the dependencies from the cache in each commit's worktree. The oldest commit asks
// for ms@0.7.1 (debug 2.2.0's dependency), which the cache does not have: its setup fails, the
// commit is recorded as failed, and the backfill goes on. `before` puts the releases and their
// `ms` into the cache first (from the npm registry, which CI reaches, when a fresh machine's cache
// lacks them), so the backfill itself runs offline.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../unit/collect/helpers';

const root = path.resolve(__dirname, '../../../..');
const cli = path.join(root, 'dist', 'cli.js');
const VERSIONS = ['2.6.9', '4.3.4', '4.4.3'];
/** What the three releases install: their `ms`. Never ms@0.7.1, which the broken commit asks for. */
const CACHED = [...VERSIONS.map((v) => `debug@${v}`), 'ms@2.0.0', 'ms@2.1.2', 'ms@2.1.3'];

let tmp: { dir: string; cleanup(): void };
before(() => {
  tmp = tempDir();
  if (!existsSync(cli)) execFileSync('node', ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  execFileSync('npm', ['cache', 'add', ...CACHED, '--prefer-offline', '--silent'], { env: cleanEnv(), stdio: ['ignore', 'ignore', 'inherit'] });
});
after(() => tmp.cleanup());

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', npm_config_update_notifier: 'false' };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
}

/** A published release's files (package/ of the tarball), devDependencies dropped: dev tools are not in the offline cache. */
function release(version: string): string {
  const out = path.join(tmp.dir, `debug-${version}`);
  mkdirSync(out);
  const packed = execFileSync('npm', ['pack', `debug@${version}`, '--offline', '--silent', '--pack-destination', out], { encoding: 'utf8', env: cleanEnv() }).trim();
  execFileSync('tar', ['xzf', path.join(out, packed.split('\n').pop()!), '-C', out]);
  const dir = path.join(out, 'package');
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  delete pkg.devDependencies;
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  return dir;
}

function commitTree(repo: string, from: string, message: string, day: number, edit?: (pkg: Record<string, unknown>) => void): string {
  for (const entry of readdirSync(repo)) if (!['.git', '.gitignore', 'tidemark.json', '.tidemark'].includes(entry)) rmSync(path.join(repo, entry), { recursive: true, force: true });
  cpSync(from, repo, { recursive: true });
  if (edit) {
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as Record<string, unknown>;
    edit(pkg);
    writeFileSync(path.join(repo, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  }
  git(repo, 'add', '-A', '--', ':!tidemark.json');
  const when = `${Date.UTC(2023, 0, 1) / 1000 + day * 86400} +0000`;
  execFileSync('git', ['-c', 'user.name=Maintainer', '-c', 'user.email=m@example.com', 'commit', '-q', '-m', message], { cwd: repo, env: { ...process.env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when } });
  return git(repo, 'rev-parse', 'HEAD');
}

test('backfill of a real npm project: setup installs offline in each worktree; a broken old commit is recorded failed and the backfill goes on', () => {
  const repo = path.join(tmp.dir, 'debug');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n.tidemark/\n');
  const releases = VERSIONS.map(release);
  const broken = commitTree(repo, releases[0], 'Pin ms 0.7.1 (as debug 2.2.0 did)', 0, (pkg) => (pkg.dependencies = { ms: '0.7.1' }));
  const shas = VERSIONS.map((v, i) => commitTree(repo, releases[i], `Release ${v}`, 10 * (i + 1)));
  writeFileSync(
    path.join(repo, 'tidemark.json'),
    JSON.stringify({
      setup: 'npm install --offline --no-audit --no-fund --ignore-scripts --no-package-lock',
      metrics: {
        'src-size': { type: 'numeric', command: '@collect size "src/*.js"', unit: 'bytes', direction: 'lower-is-better' },
        'ms-version': { type: 'label', command: `node -p "require('ms/package.json').version"` },
      },
    }),
  );
  const statusBefore = git(repo, 'status', '--porcelain');

  const run = spawnSync(process.execPath, [cli, 'backfill', '--last', '4'], { cwd: repo, encoding: 'utf8', env: cleanEnv() });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /backfill: 4 commits → 6 values \(3 measured, 1 failed\); 0 already measured \(skipped\)/);
  assert.match(run.stderr, /\[1\/4\] [0-9a-f]{7} "Pin ms 0\.7\.1 \(as debug 2\.2\.0 did\)": failed \(src-size: setup \(npm install .*\) exited with code 1: .*ENOTCACHED/);
  assert.match(run.stderr, /\[4\/4\] [0-9a-f]{7} "Release 4\.4\.3": 2 values/);

  const history = (metric: string) =>
    (JSON.parse(execFileSync(process.execPath, [cli, 'history', metric, '--json'], { cwd: repo, encoding: 'utf8' })) as { points: { value: number | string; commitSha: string; timestamp: string; event: string }[] }).points;
  const versions = history('ms-version');
  assert.deepEqual(versions.map((p) => [p.commitSha, p.value, p.event]), [
    [shas[0], '2.0.0', 'backfill'],
    [shas[1], '2.1.2', 'backfill'],
    [shas[2], '2.1.3', 'backfill'],
  ]);
  assert.deepEqual(versions.map((p) => p.timestamp), ['2023-01-11T00:00:00.000Z', '2023-01-21T00:00:00.000Z', '2023-01-31T00:00:00.000Z']);
  // The recorded sizes are the real files of each release.
  const sizes = history('src-size');
  VERSIONS.forEach((_, i) => {
    const expected = readdirSync(path.join(releases[i], 'src')).filter((f) => f.endsWith('.js')).reduce((n, f) => n + statSync(path.join(releases[i], 'src', f)).size, 0);
    assert.equal(sizes[i].value, expected, `src size of ${VERSIONS[i]}`);
  });
  // The broken commit has a recorded run whose metrics failed with the setup's output.
  const compare = spawnSync(process.execPath, [cli, 'compare', '--base', broken.slice(0, 8), '--head', 'HEAD', '--json'], { cwd: repo, encoding: 'utf8' });
  assert.equal(compare.status, 0, compare.stderr);
  assert.equal((JSON.parse(compare.stdout) as { base: { commitSha: string } }).base.commitSha, broken, 'the failed commit has a run');

  assert.equal(git(repo, 'status', '--porcelain'), statusBefore, 'working tree untouched');
  assert.equal(existsSync(path.join(repo, 'node_modules')), false, 'setup ran in the worktrees, not here');
  assert.equal(git(repo, 'worktree', 'list').split('\n').length, 1);
});
