/**
 * Packages the extension into a VSIX with `vsce package` (offline). vsce runs
 * `vscode:prepublish` first, i.e. a production build of dist/ (minified, no maps).
 *
 * The VSIX is cached in .cache/vsix/ (git-ignored) and rebuilt only when a packaging input
 * (src/, webview/, media/, package.json, package.nls.json, l10n/, esbuild.mjs, .vscodeignore, README.md) is
 * newer, so the
 * e2e files of one run package once instead of once each.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';

export const vsixCache = path.join(repoRoot, '.cache', 'vsix');
const INPUTS = ['src', 'webview', 'media', 'package.json', 'package.nls.json', 'l10n', 'esbuild.mjs', '.vscodeignore', 'README.md'];

function newestMtime(file: string): number {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, name)));
  return newest;
}

/** Returns the path of an up-to-date packaged VSIX (the argument is kept for callers that pass a folder). */
export function packageExtension(_outDir?: string): string {
  const vsix = path.join(vsixCache, 'tidemark.vsix');
  const newestInput = Math.max(...INPUTS.map((p) => newestMtime(path.join(repoRoot, p))));
  if (existsSync(vsix) && statSync(vsix).mtimeMs > newestInput) return vsix;
  mkdirSync(vsixCache, { recursive: true });
  const partial = path.join(vsixCache, `tidemark.${process.pid}.vsix`);
  const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--skip-license', '-o', partial], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (r.status !== 0 || !existsSync(partial)) throw new Error(`vsce package failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  renameSync(partial, vsix);
  return vsix;
}
