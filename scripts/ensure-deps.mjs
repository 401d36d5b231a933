// Makes `npm test`, `npm run demo` and .ci/run work on a fresh clone: installs the locked npm
// dependencies when node_modules is missing or older than package-lock.json, and does nothing
// (no second `npm ci`) when an install is already current. better-sqlite3's native build is left
// to the bench, the only thing that loads it (ensureNativeSqlite).
import { spawnSync } from 'node:child_process';
import { runCaptured } from './run-captured.mjs';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The install scripts `npm test` and `npm run demo` need run, each with a file that must exist
 * afterwards: esbuild's script only checks its platform binary (a second). The other package
 * with an install script (package.json's allowScripts), better-sqlite3, compiles SQLite (one core
 * for a minute or more) and only the bench loads it (the tests read store files with Debian's
 * sqlite3 shell, test/sqliteShell.ts): the bench builds it on demand (ensureNativeSqlite).
 */
const NATIVE_BUILDS = [{ name: 'esbuild', file: 'node_modules/esbuild/package.json' }];
const BETTER_SQLITE3 = { name: 'better-sqlite3', file: 'node_modules/better-sqlite3/build/Release/better_sqlite3.node' };

/**
 * Whether node_modules holds what package-lock.json locks: every non-optional package at its
 * locked version in npm's record of the install (node_modules/.package-lock.json), and the
 * NATIVE_BUILDS done (not better-sqlite3's: the bench builds that). Contents, not file times: a
 * checkout or a worktree gives package-lock.json a new time.
 */
export function installIsCurrent(root) {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const lockFile = path.join(root, 'package-lock.json');
  if (!existsSync(installed)) return false;
  if (!existsSync(lockFile)) return true;
  try {
    const have = JSON.parse(readFileSync(installed, 'utf8')).packages ?? {};
    const want = JSON.parse(readFileSync(lockFile, 'utf8')).packages ?? {};
    const locked = Object.entries(want).every(([key, p]) => !key.startsWith('node_modules/') || p.optional || have[key]?.version === p.version);
    return locked && NATIVE_BUILDS.every((b) => existsSync(path.join(root, b.file)));
  } catch {
    return false;
  }
}

/**
 * Installs the locked dependencies unless they are current. The downloads (`npm ci
 * --ignore-scripts`) happen here; esbuild's install script then runs with `npm rebuild`: here too by
 * default, or, with `{ scriptsInBackground: true }`, in the background while the caller does
 * work that needs no native module (test-all's checks), awaiting the returned promise first.
 * Resolves true when everything is installed (at once when the install was current).
 */
export function ensureDependencies(root, { scriptsInBackground = false } = {}) {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  if (installIsCurrent(root)) return Promise.resolve(true);
  console.log(existsSync(installed) ? 'package-lock.json changed since the last install: running `npm ci` first' : 'node_modules is not installed: running `npm ci` first');
  const r = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('npm ci failed; fix that first (see its output above).');
    process.exit(r.status ?? 1);
  }
  const args = ['rebuild', '--no-audit', '--no-fund', ...NATIVE_BUILDS.map((b) => b.name)];
  if (!scriptsInBackground) {
    const built = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) {
      console.error(`npm ${args.join(' ')} failed; fix that first (see its output above).`);
      process.exit(built.status ?? 1);
    }
    return Promise.resolve(true);
  }
  console.log(`running \`npm ${args.join(' ')}\` in the background (while the checks run)`);
  const started = Date.now();
  return runCaptured('npm', args, { cwd: root }).then(({ code, text }) => {
    const ok = code === 0 && installIsCurrent(root);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    if (ok) console.log(`\n(npm ${args.join(' ')}: done in ${seconds} s, in the background)`);
    else console.error(`\nnpm ${args.join(' ')} failed after ${seconds} s:\n${text}`);
    return ok;
  });
}

/**
 * better-sqlite3's native module, for the bench (its native SQLite reference): `npm ci
 * --ignore-scripts` leaves it unbuilt, so the first bench run that loads it builds it here, once.
 * Exits when the build fails.
 */
export function ensureNativeSqlite(root) {
  if (existsSync(path.join(root, BETTER_SQLITE3.file))) return;
  const args = ['rebuild', '--no-audit', '--no-fund', BETTER_SQLITE3.name];
  console.log(`better-sqlite3 is not built yet (the bench's native SQLite): running \`npm ${args.join(' ')}\` once (it compiles SQLite)`);
  const built = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error(`npm ${args.join(' ')} failed; fix that first (see its output above).`);
    process.exit(built.status ?? 1);
  }
  if (!existsSync(path.join(root, BETTER_SQLITE3.file))) {
    console.error(`npm ${args.join(' ')} left no ${BETTER_SQLITE3.file} (is better-sqlite3 installed? npm ci installs it)`);
    process.exit(1);
  }
}
