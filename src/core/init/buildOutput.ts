/**
 * Where a JavaScript/TypeScript project writes its build: the folders package.json points into
 * (`main`, `module`, `exports`, `bin`, `files`) and tsconfig.json's `outDir`, then the usual
 * dist/, build/ and out/. A folder at the root of a path is the output folder
 * (`./distribution/index.js` -> `distribution`); files at the root name no folder.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';

export const DEFAULT_OUTPUT_DIRS = ['dist', 'build', 'out'];

export interface OutputDir {
  dir: string;
  /** Where it was named: `package.json main`, `tsconfig.json outDir`, or `default`. */
  from: string[];
}

type Pkg = Record<string, unknown>;

/** String leaves of a value (exports maps nest conditions and subpaths). */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}

/** `./distribution/index.js` -> `distribution`; root files, parents and absolute paths -> undefined. */
function topFolder(p: string, allowBare: boolean): string | undefined {
  const normal = p.replace(/\\/g, '/').replace(/^\.\//, '');
  if (normal === '' || normal.startsWith('/') || normal.startsWith('../') || /^[A-Za-z]:/.test(normal)) return undefined;
  const slash = normal.indexOf('/');
  const first = slash < 0 ? (allowBare ? normal : undefined) : normal.slice(0, slash);
  if (!first || first === '.' || first === '..' || first === 'node_modules' || /[*?{[]/.test(first)) return undefined;
  return first;
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export async function buildOutputDirs(cwd: string, pkg: Pkg | null): Promise<OutputDir[]> {
  const found = new Map<string, string[]>();
  const add = (dir: string | undefined, from: string): void => {
    if (!dir) return;
    const list = found.get(dir) ?? [];
    if (!list.includes(from)) list.push(from);
    found.set(dir, list);
  };
  if (pkg) {
    for (const field of ['main', 'module', 'exports', 'bin']) {
      for (const target of strings(pkg[field])) add(topFolder(target, false), `package.json ${field}`);
    }
    // `files` lists what is published: a bare name is a folder only when it is one on disk.
    for (const entry of strings(pkg.files)) {
      if (entry.startsWith('!')) continue;
      const bare = !entry.replace(/^\.\//, '').includes('/');
      const folder = topFolder(entry, true);
      if (folder && (!bare || (await isDirectory(path.join(cwd, folder))))) add(folder, 'package.json files');
    }
  }
  try {
    const tsconfig = parseJsonc(await fs.readFile(path.join(cwd, 'tsconfig.json'), 'utf8')) as { compilerOptions?: { outDir?: unknown } } | undefined;
    const outDir = tsconfig?.compilerOptions?.outDir;
    if (typeof outDir === 'string') add(topFolder(outDir.endsWith('/') ? outDir : `${outDir}/`, false), 'tsconfig.json outDir');
  } catch {
    // No tsconfig.json (or unreadable): nothing to add.
  }
  for (const dir of DEFAULT_OUTPUT_DIRS) if (!found.has(dir)) found.set(dir, ['default']);
  return [...found].map(([dir, from]) => ({ dir, from }));
}
