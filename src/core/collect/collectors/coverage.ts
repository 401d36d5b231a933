/**
 * `@collect coverage-lcov FILE… [--type line|branch|function]` and its Cobertura, Clover and
 * istanbul-summary siblings: a coverage percentage. Several reports are merged as a union of
 * what each covered per source file. With `sources` in the config, only source files in that
 * scope count.
 */
import path from 'node:path';
import { oneOf, parseArgs, single } from './args';
import type { CollectorContext, CollectorOutput } from './context';
import { CollectorError, throwIfAborted } from './errors';
import { globFilter, isAlwaysExcluded } from './files';
import { parseClover } from './coverage/clover';
import { parseCobertura } from './coverage/cobertura';
import { parseCoveragePyJson, PYTHON_COVERAGE_TYPES, pythonCounts, type PythonCoverageType } from './coverage/coveragePy';
import { goModulePath, parseGoCoverprofile, type StatementCounts } from './coverage/goCover';
import { summaryCounts, SUMMARY_TYPES, type SummaryType } from './coverage/istanbul';
import { parseLcov } from './coverage/lcov';
import { COVERAGE_TYPES, mergeInto, totals, type Coverage, type CoverageType } from './coverage/model';
import { percent, readReport } from './text';
import { promises as fs } from 'node:fs';

type Parser = (text: string, shownAs: string, baseDir: string) => Coverage;

/** Relative source paths inside a report are resolved against the working directory. */
const FORMATS: Record<string, Parser> = {
  'coverage-lcov': parseLcov,
  'coverage-cobertura': parseCobertura,
  'coverage-clover': parseClover,
};

const TYPE_NAMES: Record<string, string> = { line: 'lines', branch: 'branches', function: 'functions', statement: 'statements' };

/**
 * Absolute source path -> counted. Never node_modules, dist, .git or .tidemark; with `sources`
 * configured, only files in that scope. Without it, files outside the folder stay (a report
 * written on another machine has other absolute paths).
 */
function scopeFilter(ctx: CollectorContext): (absPath: string) => boolean {
  const inScope = ctx.config.sources?.length ? globFilter(ctx.config.sources) : undefined;
  return (absPath) => {
    const rel = path.relative(ctx.cwd, absPath).split(path.sep).join('/');
    const outside = rel.startsWith('../') || path.isAbsolute(rel);
    if (!outside && isAlwaysExcluded(rel)) return false;
    return inScope ? !outside && inScope(rel) : true;
  };
}

/** Covered share of one file or package, in percent to 2 decimals; absent when it has nothing to measure. */
function share(covered: number, total: number): number | undefined {
  return total > 0 ? Math.round((covered / total) * 1e4) / 100 : undefined;
}

/** A source path as the breakdown names it: relative to the folder when inside it. */
function shownPath(cwd: string, absPath: string): string {
  const rel = path.relative(cwd, absPath).split(path.sep).join('/');
  return rel.startsWith('../') || path.isAbsolute(rel) ? absPath : rel;
}

function withParts(text: string, entries: [name: string, covered: number, total: number][]): CollectorOutput {
  const parts: Record<string, number> = {};
  for (const [name, covered, total] of entries) {
    const pct = share(covered, total);
    if (pct !== undefined) parts[name] = pct;
  }
  return { text, parts };
}

export async function coverageReport(collector: string, argv: string[], ctx: CollectorContext): Promise<CollectorOutput> {
  const parse = FORMATS[collector];
  const args = parseArgs(collector, argv, { values: ['type'] });
  const type = oneOf<CoverageType>(collector, 'type', single(collector, args, 'type'), COVERAGE_TYPES, 'line');
  if (args.positionals.length === 0) throw new CollectorError(`@collect ${collector}: name the report file(s)`);
  const merged: Coverage = new Map();
  for (const file of args.positionals) {
    throwIfAborted(ctx.signal);
    const text = await readReport(path.resolve(ctx.cwd, file), file, ctx);
    mergeInto(merged, parse(text, file, ctx.cwd));
  }
  const keep = scopeFilter(ctx);
  const kept = [...merged].filter(([absPath]) => keep(absPath));
  const { covered, total } = totals(kept.map(([, coverage]) => coverage), type);
  const text = percent(covered, total, TYPE_NAMES[type]);
  return withParts(text, kept.map(([absPath, coverage]) => {
    const t = totals([coverage], type);
    return [shownPath(ctx.cwd, absPath), t.covered, t.total];
  }));
}

export async function coverageIstanbul(argv: string[], ctx: CollectorContext): Promise<CollectorOutput> {
  const args = parseArgs('coverage-istanbul', argv, { values: ['type'] });
  const type = oneOf<SummaryType>('coverage-istanbul', 'type', single('coverage-istanbul', args, 'type'), SUMMARY_TYPES, 'line');
  if (args.positionals.length !== 1) throw new CollectorError('@collect coverage-istanbul: name one coverage-summary.json file');
  const file = args.positionals[0];
  const text = await readReport(path.resolve(ctx.cwd, file), file, ctx);
  const perFile: [string, number, number][] = [];
  const { covered, total } = summaryCounts(text, file, ctx.cwd, type, scopeFilter(ctx), (absPath, c) => perFile.push([shownPath(ctx.cwd, absPath), c.covered, c.total]));
  return withParts(percent(covered, total, TYPE_NAMES[type]), perFile);
}


/**
 * `@collect coverage-go FILE…`: statement coverage of Go coverprofiles, as `go tool cover -func`
 * totals it. Import paths under go.mod's module are read as files of the folder, so `sources`
 * applies to them.
 */
export async function coverageGo(argv: string[], ctx: CollectorContext): Promise<CollectorOutput> {
  const args = parseArgs('coverage-go', argv, {});
  if (args.positionals.length === 0) throw new CollectorError('@collect coverage-go: name the coverprofile(s), e.g. @collect coverage-go cover.out');
  let goMod = '';
  try {
    goMod = await fs.readFile(path.join(ctx.cwd, 'go.mod'), 'utf8');
  } catch {
    // No go.mod: import paths stay as they are (outside the folder).
  }
  const modulePath = goModulePath(goMod);
  const toAbs = (importPath: string): string =>
    modulePath && importPath.startsWith(`${modulePath}/`) ? path.join(ctx.cwd, importPath.slice(modulePath.length + 1)) : path.resolve('/', '@go', importPath);
  // Several profiles are concatenated, so a block in two of them is one block.
  let text = '';
  for (const file of args.positionals) {
    throwIfAborted(ctx.signal);
    text += `${await readReport(path.resolve(ctx.cwd, file), file, ctx)}\n`;
  }
  const coverage = parseGoCoverprofile(text, args.positionals.join(' + '));
  const keep = scopeFilter(ctx);
  const sum: StatementCounts = { covered: 0, total: 0 };
  // The breakdown is by package (the folder of the file), as `go test -cover` reports it.
  const packages = new Map<string, StatementCounts>();
  for (const [importPath, counts] of coverage) {
    const abs = toAbs(importPath);
    if (!keep(abs)) continue;
    sum.covered += counts.covered;
    sum.total += counts.total;
    const rel = path.relative(ctx.cwd, abs).split(path.sep).join('/');
    const pkg = rel.startsWith('../') ? importPath.slice(0, importPath.lastIndexOf('/')) : path.posix.dirname(rel);
    const p = packages.get(pkg) ?? { covered: 0, total: 0 };
    p.covered += counts.covered;
    p.total += counts.total;
    packages.set(pkg, p);
  }
  return withParts(percent(sum.covered, sum.total, 'statements'), [...packages].map(([pkg, c]) => [pkg, c.covered, c.total]));
}

/** `@collect coverage-python FILE… [--type total|statement|branch]` from coverage.py's JSON report. */
export async function coveragePython(argv: string[], ctx: CollectorContext): Promise<CollectorOutput> {
  const args = parseArgs('coverage-python', argv, { values: ['type'] });
  const type = oneOf<PythonCoverageType>('coverage-python', 'type', single('coverage-python', args, 'type'), PYTHON_COVERAGE_TYPES, 'total');
  if (args.positionals.length === 0) throw new CollectorError('@collect coverage-python: name the coverage.py JSON report(s), e.g. @collect coverage-python coverage.json');
  const keep = scopeFilter(ctx);
  const sum = { covered: 0, total: 0 };
  const perFile: [string, number, number][] = [];
  const seen = new Map<string, string>();
  for (const file of args.positionals) {
    throwIfAborted(ctx.signal);
    const report = parseCoveragePyJson(await readReport(path.resolve(ctx.cwd, file), file, ctx), file);
    for (const [source, counts] of report) {
      const abs = path.resolve(ctx.cwd, source);
      // Lines are not listed per file in a form that merges; coverage.py merges data files itself.
      if (seen.has(abs)) throw new CollectorError(`@collect coverage-python: ${source} is in both ${seen.get(abs)} and ${file}; merge the data with \`coverage combine\` and report once`);
      seen.set(abs, file);
      if (!keep(abs)) continue;
      const c = pythonCounts(counts, type);
      sum.covered += c.covered;
      sum.total += c.total;
      perFile.push([shownPath(ctx.cwd, abs), c.covered, c.total]);
    }
  }
  return withParts(percent(sum.covered, sum.total, type === 'branch' ? 'branches (run coverage with --branch)' : 'statements'), perFile);
}
