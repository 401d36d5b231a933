// Makes `npm test` and `npm run demo` work on a fresh clone: installs the locked npm dependencies
// when node_modules has not been installed yet.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export function ensureDependencies(root) {
  if (existsSync(path.join(root, 'node_modules', '.package-lock.json'))) return;
  console.log('node_modules is not installed: running `npm ci` first');
  const r = spawnSync('npm', ['ci'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('npm ci failed; fix that first (see its output above).');
    process.exit(r.status ?? 1);
  }
}
