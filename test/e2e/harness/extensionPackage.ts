/** Packages the built extension (dist/) into a VSIX with `vsce package`, which works offline. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';

/** Writes `<outDir>/tidemark.vsix` and returns its path. Needs `npm run build` first. */
export function packageExtension(outDir: string): string {
  if (!existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` before packaging the extension.');
  }
  mkdirSync(outDir, { recursive: true });
  const vsix = path.join(outDir, 'tidemark.vsix');
  const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--skip-license', '-o', vsix], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (r.status !== 0 || !existsSync(vsix)) throw new Error(`vsce package failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return vsix;
}
