/** The built `tidemark` executable that process-level tests run, rebuilt when src/ is newer. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The repository root (this file compiles to out/test/unit/builtCli.js). */
export const root = path.resolve(__dirname, '../../..');
export const cli = path.join(root, 'dist', 'cli.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** test-all.mjs builds first; a direct `node --test` run after editing src/ must not test a stale bundle. */
export function ensureBuilt(): void {
  if (!existsSync(cli) || statSync(cli).mtimeMs < newestMtime(path.join(root, 'src'))) {
    execFileSync('node', ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  }
}
