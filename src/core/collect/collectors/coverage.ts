/**
 * `@collect coverage-lcov FILE… [--type line|branch|function]` and its Cobertura, Clover and
 * istanbul-summary siblings: a coverage percentage. Several reports are merged as a union of
 * what each covered per source file. With `sources` in the config, only source files in that
 * scope count.
 */
import path from 'node:path';
import { oneOf, parseArgs, single } from './args';
import type { CollectorContext } from './context';
import { CollectorError, throwIfAborted } from './errors';
import { globFilter, isAlwaysExcluded } from './files';
import { parseClover } from './coverage/clover';
import { parseCobertura } from './coverage/cobertura';
import { summaryCounts, SUMMARY_TYPES, type SummaryType } from './coverage/istanbul';
import { parseLcov } from './coverage/lcov';
import { COVERAGE_TYPES, mergeInto, totals, type Coverage, type CoverageType } from './coverage/model';
import { percent, readReport } from './text';

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

export async function coverageReport(collector: string, argv: string[], ctx: CollectorContext): Promise<string> {
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
  const files = [...merged].filter(([absPath]) => keep(absPath)).map(([, coverage]) => coverage);
  const { covered, total } = totals(files, type);
  return percent(covered, total, TYPE_NAMES[type]);
}

export async function coverageIstanbul(argv: string[], ctx: CollectorContext): Promise<string> {
  const args = parseArgs('coverage-istanbul', argv, { values: ['type'] });
  const type = oneOf<SummaryType>('coverage-istanbul', 'type', single('coverage-istanbul', args, 'type'), SUMMARY_TYPES, 'line');
  if (args.positionals.length !== 1) throw new CollectorError('@collect coverage-istanbul: name one coverage-summary.json file');
  const file = args.positionals[0];
  const text = await readReport(path.resolve(ctx.cwd, file), file, ctx);
  const { covered, total } = summaryCounts(text, file, ctx.cwd, type, scopeFilter(ctx));
  return percent(covered, total, TYPE_NAMES[type]);
}

