// Makes `npm test`, `npm run demo` and .ci/run work on a fresh clone: installs the locked npm
// dependencies when node_modules is missing or older than package-lock.json, and does nothing
// (no second `npm ci`) when an install is already current.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

export function ensureDependencies(root) {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(installed) && (!existsSync(lock) || statSync(installed).mtimeMs >= statSync(lock).mtimeMs)) return;
  console.log(existsSync(installed) ? 'package-lock.json changed since the last install: running `npm ci` first' : 'node_modules is not installed: running `npm ci` first');
  const r = spawnSync('npm', ['ci'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('npm ci failed; fix that first (see its output above).');
    process.exit(r.status ?? 1);
  }
}
