/**
 * Which lines of which source files a coverage metric's report covers: what the editor's
 * coverage gutter draws. Reads the same report files, with the same parsers and the same
 * workspace confinement, as the metric's `@collect coverage-*` command. No vscode import.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { splitArgv } from '../../argv';
import { parseArgs } from '../args';
import { CollectorError, throwIfAborted } from '../errors';
import { readReport } from '../text';
import { parseClover } from './clover';
import { parseCobertura } from './cobertura';
import { parseLcov } from './lcov';
import { parseCoveragePyJson } from './coveragePy';
import { goModulePath, parseGoCoverprofile } from './goCover';
import { addLine, fileEntry, mergeInto, type Coverage, type FileCoverage } from './model';

/** `goModule`: go.mod's module path in the folder, which Go profiles name files under. */
type Parser = (text: string, shownAs: string, baseDir: string, goModule?: string) => Coverage;

const LINE_FORMATS: Record<string, Parser> = {
  'coverage-lcov': parseLcov,
  'coverage-cobertura': parseCobertura,
  'coverage-clover': parseClover,
  'coverage-go': parseGoLines,
  'coverage-python': parsePythonLines,
};

/** Coverage collectors whose reports have no per-line detail, and why. */
const NO_LINES: Record<string, string> = {
  'coverage-istanbul': 'an istanbul json-summary report has per-file totals only, no lines; add the lcov reporter and use @collect coverage-lcov',
};

/**
 * A Go coverprofile's lines: every line a block spans (start to end line) gets the block's count,
 * a line in several blocks the largest, so a line is covered when any block on it ran (the
 * blocks are validated and merged as the coverage-go collector does). Files under go.mod's
 * module are files of the folder; others (another module's) keep their import path under /@go.
 */
function parseGoLines(text: string, shownAs: string, baseDir: string, goModule?: string): Coverage {
  parseGoCoverprofile(text, shownAs);
  const coverage: Coverage = new Map();
  const block = /^(.+):(\d+)\.\d+,(\d+)\.\d+ (\d+) (\d+)$/;
  for (const raw of text.split(/\r?\n/)) {
    const m = block.exec(raw.trim());
    if (!m || Number(m[4]) === 0) continue;
    const [, importPath, from, to, , count] = m;
    const file = goModule && importPath.startsWith(`${goModule}/`) ? path.join(baseDir, importPath.slice(goModule.length + 1)) : path.resolve('/', '@go', importPath);
    const entry = fileEntry(coverage, file);
    for (let line = Number(from); line <= Number(to); line++) entry.lines.set(line, Math.max(entry.lines.get(line) ?? 0, Number(count)));
  }
  return coverage;
}

/** A coverage.py JSON report's lines: `executed_lines` covered, `missing_lines` not; paths relative to the folder. */
function parsePythonLines(text: string, shownAs: string, baseDir: string): Coverage {
  parseCoveragePyJson(text, shownAs);
  const files = (JSON.parse(text) as { files: Record<string, { executed_lines?: unknown; missing_lines?: unknown }> }).files;
  const coverage: Coverage = new Map();
  for (const [name, entry] of Object.entries(files)) {
    const file = fileEntry(coverage, path.resolve(baseDir, name));
    for (const [key, hits] of [['executed_lines', 1], ['missing_lines', 0]] as const) {
      const lines = entry[key] ?? [];
      if (!Array.isArray(lines) || !lines.every((l) => Number.isInteger(l) && l > 0)) throw new CollectorError(`${shownAs}: "${name}".${key} is not a list of line numbers`);
      for (const line of lines as number[]) addLine(file, line, hits);
    }
  }
  return coverage;
}

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
  if (spec.kind === 'not-coverage') throw new CollectorError('this metric is not an @collect coverage-lcov, coverage-cobertura, coverage-clover, coverage-go or coverage-python command');
  if (spec.kind === 'no-lines') throw new CollectorError(spec.reason);
  if (spec.files.length === 0) throw new CollectorError(`@collect ${spec.collector}: name the report file(s)`);
  const goModule = spec.collector === 'coverage-go' ? goModulePath(await fs.readFile(path.join(cwd, 'go.mod'), 'utf8').catch(() => '')) : undefined;
  const merged: Coverage = new Map();
  for (const file of spec.files) {
    throwIfAborted(signal);
    const text = await readReport(path.resolve(cwd, file), file, { cwd, signal });
    mergeInto(merged, LINE_FORMATS[spec.collector](text, file, cwd, goModule));
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
