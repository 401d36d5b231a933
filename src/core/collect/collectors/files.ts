/**
 * Which files the collectors look at.
 *
 * Source scope (loc, files, todo, coverage): inside git, the files git knows about that are
 * not ignored (`git ls-files -co --exclude-standard`, exact .gitignore semantics); outside
 * git, a walk honouring every .gitignore on the way. Never node_modules, dist, .git or
 * Tidemark's own store. The config's `sources` globs (with `!` excludes) narrow it further.
 *
 * Output globs (size): the file system as it is, since build outputs are usually ignored.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { CollectorError, throwIfAborted } from './errors';
import { isConfinedRegularFile } from './safeRead';
import { compileGlobs, GlobError } from '../../glob';

/** Globs matched in linear time (core/glob.ts); a glob it cannot run is invalid collector input. */
function linearGlobs(globs: string[]): (relPath: string) => boolean {
  try {
    return compileGlobs(globs);
  } catch (error) {
    if (error instanceof GlobError) throw new CollectorError(error.message);
    throw error;
  }
}

/** Directory names never counted as sources, wherever they appear. */
export const ALWAYS_EXCLUDED_DIRS = ['node_modules', 'dist', '.git', '.tidemark'];

export interface ScopeOptions {
  cwd: string;
  signal: AbortSignal;
  /** The config's `sources`; absent or empty means every file in the default scope. */
  sources?: string[];
}

/** A predicate over relative POSIX paths: any positive glob matches (all when there is none) and no `!` glob does. */
export function globFilter(globs: readonly string[] | undefined): (relPath: string) => boolean {
  const list = (globs ?? []).map((g) => g.trim()).filter((g) => g !== '');
  const positives = list.filter((g) => !g.startsWith('!')).map(normalizeGlob);
  const negatives = list.filter((g) => g.startsWith('!')).map((g) => normalizeGlob(g.slice(1)));
  const include = positives.length ? linearGlobs(positives) : () => true;
  const exclude = negatives.length ? linearGlobs(negatives) : () => false;
  return (relPath) => include(relPath) && !exclude(relPath);
}

/** `./src/` -> `src/**`, `src` stays a glob that also matches everything under it. */
function normalizeGlob(glob: string): string {
  let g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  if (g.endsWith('/')) g += '**';
  return g;
}

/** Turns plain paths (files or folders) into globs; anything already a glob is kept. */
export function pathsToGlobs(paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    const g = normalizeGlob(p).replace(/\/+$/, '');
    if (g === '' || g === '.') return ['**'];
    return picomatch.scan(g).isGlob ? [g] : [g, `${g}/**`];
  });
}

export function isAlwaysExcluded(relPath: string): boolean {
  return relPath.split('/').some((segment) => ALWAYS_EXCLUDED_DIRS.includes(segment));
}

/** Relative POSIX paths of the regular files in the source scope, sorted. */
export async function listSourceFiles(options: ScopeOptions): Promise<string[]> {
  const { cwd, signal } = options;
  const candidates = (await gitListFiles(cwd, signal)) ?? (await walkHonouringGitignore(cwd, signal));
  const inSources = globFilter(options.sources);
  const files: string[] = [];
  for (const rel of candidates) {
    if (isAlwaysExcluded(rel) || !inSources(rel)) continue;
    files.push(rel);
  }
  // ls-files also lists tracked files deleted from the work tree, gitlinks (submodules) and
  // tracked symlinks, which count only when they resolve to a regular file inside the workspace.
  const root = await fs.realpath(cwd).catch(() => cwd);
  const existing = await Promise.all(files.map(async (rel) => ((await isConfinedRegularFile(cwd, rel, root)) ? rel : null)));
  throwIfAborted(signal);
  return existing.filter((rel): rel is string => rel !== null).sort();
}

/** Files git tracks plus untracked ones it does not ignore; null outside a work tree. */
function gitListFiles(cwd: string, signal: AbortSignal): Promise<string[] | null> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      { cwd, signal, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout) => {
        if (error) resolve(null);
        else resolve([...new Set(stdout.split('\0').filter((f) => f !== ''))]);
      },
    );
  });
}

async function walkHonouringGitignore(root: string, signal: AbortSignal): Promise<string[]> {
  const files: string[] = [];
  // Each directory carries the .gitignore rules of itself and its ancestors, with their base.
  const stack: { rel: string; rules: { base: string; ig: Ignore }[] }[] = [{ rel: '', rules: [] }];
  while (stack.length) {
    throwIfAborted(signal);
    const { rel, rules: inherited } = stack.pop()!;
    const dir = path.join(root, rel);
    const rules = [...inherited];
    const own = await readOptional(path.join(dir, '.gitignore'));
    if (own !== null) rules.push({ base: rel, ig: ignore().add(own) });
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (ALWAYS_EXCLUDED_DIRS.includes(entry.name)) continue;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const isDir = entry.isDirectory();
      if (isIgnored(rules, childRel, isDir)) continue;
      if (isDir) stack.push({ rel: childRel, rules });
      else if (entry.isFile()) files.push(childRel);
    }
  }
  return files;
}

function isIgnored(rules: { base: string; ig: Ignore }[], rel: string, isDir: boolean): boolean {
  for (const { base, ig } of rules) {
    const local = base ? rel.slice(base.length + 1) : rel;
    if (ig.ignores(isDir ? `${local}/` : local)) return true;
  }
  return false;
}

async function readOptional(p: string): Promise<string | null> {
  try {
    return await fs.readFile(p, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Files on disk matching the globs (relative to cwd), sorted. node_modules and .git are only
 * entered when a glob names them.
 */
export async function globOnDisk(cwd: string, globs: readonly string[], signal: AbortSignal): Promise<string[]> {
  const matches = new Set<string>();
  for (const glob of globs) {
    const normal = normalizeGlob(glob);
    const scan = picomatch.scan(normal);
    const isMatch = linearGlobs([normal]);
    const entersSkipped = /(^|\/)(node_modules|\.git)(\/|$)/.test(normal);
    const base = path.resolve(cwd, scan.isGlob ? scan.base : normal);
    const within = path.relative(cwd, base);
    if (within === '..' || within.startsWith(`..${path.sep}`) || path.isAbsolute(within)) {
      throw new CollectorError(`"${glob}" points outside the workspace folder ${cwd}; collectors only read files inside it`);
    }
    if (!scan.isGlob) {
      if (await isConfinedRegularFile(cwd, normal)) matches.add(normal);
      continue;
    }
    const stack = [scan.base];
    while (stack.length) {
      throwIfAborted(signal);
      const rel = stack.pop()!;
      let entries;
      try {
        entries = await fs.readdir(path.join(cwd, rel), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        const childRel = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!entersSkipped && (entry.name === 'node_modules' || entry.name === '.git')) continue;
          stack.push(childRel);
        } else if (entry.isFile() && isMatch(childRel)) {
          matches.add(childRel);
        }
      }
    }
  }
  return [...matches].sort();
}
