/**
 * Which lines of which source files a coverage metric's report covers: what the editor's
 * coverage gutter draws. Reads the same report files, with the same parsers and the same
 * workspace confinement, as the metric's `@collect coverage-*` command. No vscode import.
 */
import path from 'node:path';
import { splitArgv } from '../../argv';
import { parseArgs } from '../args';
import { CollectorError, throwIfAborted } from '../errors';
import { readReport } from '../text';
import { parseClover } from './clover';
import { parseCobertura } from './cobertura';
import { parseLcov } from './lcov';
import { mergeInto, type Coverage, type FileCoverage } from './model';

type Parser = (text: string, shownAs: string, baseDir: string) => Coverage;

const LINE_FORMATS: Record<string, Parser> = {
  'coverage-lcov': parseLcov,
  'coverage-cobertura': parseCobertura,
  'coverage-clover': parseClover,
};

/** Coverage collectors whose reports have no per-line detail, and why. */
const NO_LINES: Record<string, string> = {
  'coverage-istanbul': 'an istanbul json-summary report has per-file totals only, no lines; add the lcov reporter and use @collect coverage-lcov',
  'coverage-go': 'line coverage of Go coverprofiles is not read yet',
  'coverage-python': 'line coverage of coverage.py JSON reports is not read yet',
};

/** One source file's lines as a report has them, ascending. */
export interface FileLines {
  covered: number[];
  uncovered: number[];
}

/** What a metric's command says about per-line coverage. */
export type LineReportSpec =
  | { kind: 'lines'; collector: string; files: string[] }
  | { kind: 'no-lines'; collector: string; reason: string }
  | { kind: 'not-coverage' };

/** The line-coverage report files an `@collect coverage-*` command reads (relative as written). */
export function lineReportSpec(command: string): LineReportSpec {
  let argv: string[];
  try {
    argv = splitArgv(command.trimStart());
  } catch {
    return { kind: 'not-coverage' };
  }
  const [prefix, collector = '', ...rest] = argv;
  if (prefix !== '@collect') return { kind: 'not-coverage' };
  if (NO_LINES[collector]) return { kind: 'no-lines', collector, reason: NO_LINES[collector] };
  if (!LINE_FORMATS[collector]) return { kind: 'not-coverage' };
  const args = parseArgs(collector, rest, { values: ['type'] });
  return { kind: 'lines', collector, files: args.positionals };
}

/** Line number -> hits becomes sorted covered and uncovered lists. */
export function fileLines(file: FileCoverage): FileLines {
  const covered: number[] = [];
  const uncovered: number[] = [];
  for (const [line, hits] of [...file.lines].sort((a, b) => a[0] - b[0])) (hits > 0 ? covered : uncovered).push(line);
  return { covered, uncovered };
}

/**
 * Parses report text of a line format into absolute source path -> lines (relative source
 * paths resolved against `cwd`, as the collector does).
 */
export function parseLineCoverage(collector: string, text: string, shownAs: string, cwd: string): Map<string, FileLines> {
  const parse = LINE_FORMATS[collector];
  if (!parse) throw new CollectorError(`@collect ${collector} has no per-line coverage`);
  return linesOf(parse(text, shownAs, cwd));
}

function linesOf(coverage: Coverage): Map<string, FileLines> {
  const out = new Map<string, FileLines>();
  for (const [file, entry] of coverage) out.set(path.resolve(file), fileLines(entry));
  return out;
}

/**
 * Reads and merges (a union, like the metric) every report of a coverage metric's command.
 * Report files are confined to the workspace folder `cwd`; CollectorError for a missing,
 * outside or malformed report and for a command without per-line reports.
 */
export async function readLineCoverage(command: string, cwd: string, signal: AbortSignal): Promise<Map<string, FileLines>> {
  const spec = lineReportSpec(command);
  if (spec.kind === 'not-coverage') throw new CollectorError('this metric is not an @collect coverage-lcov, coverage-cobertura or coverage-clover command');
  if (spec.kind === 'no-lines') throw new CollectorError(spec.reason);
  if (spec.files.length === 0) throw new CollectorError(`@collect ${spec.collector}: name the report file(s)`);
  const merged: Coverage = new Map();
  for (const file of spec.files) {
    throwIfAborted(signal);
    const text = await readReport(path.resolve(cwd, file), file, { cwd, signal });
    mergeInto(merged, LINE_FORMATS[spec.collector](text, file, cwd));
  }
  return linesOf(merged);
}

/** Whether a metric's command reads a report with per-line coverage (never throws). */
export function hasLineCoverage(command: string): boolean {
  try {
    return lineReportSpec(command).kind === 'lines';
  } catch {
    return false;
  }
}
