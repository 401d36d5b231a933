// Makes `npm test`, `npm run demo` and .ci/run work on a fresh clone: installs the locked npm
// dependencies when node_modules is missing or older than package-lock.json, and does nothing
// (no second `npm ci`) when an install is already current.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether node_modules holds what package-lock.json locks: every non-optional package at its
 * locked version in npm's record of the install (node_modules/.package-lock.json). Contents,
 * not file times: a checkout or a worktree gives package-lock.json a new time.
 */
export function installIsCurrent(root) {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const lockFile = path.join(root, 'package-lock.json');
  if (!existsSync(installed)) return false;
  if (!existsSync(lockFile)) return true;
  try {
    const have = JSON.parse(readFileSync(installed, 'utf8')).packages ?? {};
    const want = JSON.parse(readFileSync(lockFile, 'utf8')).packages ?? {};
    return Object.entries(want).every(([key, p]) => !key.startsWith('node_modules/') || p.optional || have[key]?.version === p.version);
  } catch {
    return false;
  }
}

export function ensureDependencies(root) {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  if (installIsCurrent(root)) return;
  console.log(existsSync(installed) ? 'package-lock.json changed since the last install: running `npm ci` first' : 'node_modules is not installed: running `npm ci` first');
  const r = spawnSync('npm', ['ci'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('npm ci failed; fix that first (see its output above).');
    process.exit(r.status ?? 1);
  }
}
