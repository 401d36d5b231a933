/**
 * Coverage of a set of source files, in a form that merges exactly: several reports about the
 * same file are a union (a line is covered if any report covered it), never an average.
 */

export type CoverageType = 'line' | 'branch' | 'function';
export const COVERAGE_TYPES: readonly CoverageType[] = ['line', 'branch', 'function'];

export interface FileCoverage {
  /** Line number -> hit count. */
  lines: Map<number, number>;
  /** Branch key (line and index) -> covered. */
  branches: Map<string, boolean>;
  /** Function key (name and line) -> covered. */
  functions: Map<string, boolean>;
}

/** Absolute source path -> its coverage. */
export type Coverage = Map<string, FileCoverage>;

export function fileEntry(coverage: Coverage, file: string): FileCoverage {
  let entry = coverage.get(file);
  if (!entry) {
    entry = { lines: new Map(), branches: new Map(), functions: new Map() };
    coverage.set(file, entry);
  }
  return entry;
}

export function addLine(file: FileCoverage, line: number, hits: number): void {
  file.lines.set(line, (file.lines.get(line) ?? 0) + hits);
}

export function addFlag(map: Map<string, boolean>, key: string, covered: boolean): void {
  map.set(key, (map.get(key) ?? false) || covered);
}

export function mergeInto(target: Coverage, source: Coverage): void {
  for (const [path, file] of source) {
    const entry = fileEntry(target, path);
    for (const [line, hits] of file.lines) addLine(entry, line, hits);
    for (const [key, covered] of file.branches) addFlag(entry.branches, key, covered);
    for (const [key, covered] of file.functions) addFlag(entry.functions, key, covered);
  }
}

export function totals(coverage: Iterable<FileCoverage>, type: CoverageType): { covered: number; total: number } {
  let covered = 0;
  let total = 0;
  for (const file of coverage) {
    if (type === 'line') {
      for (const hits of file.lines.values()) {
        total++;
        if (hits > 0) covered++;
      }
    } else {
      for (const isCovered of (type === 'branch' ? file.branches : file.functions).values()) {
        total++;
        if (isCovered) covered++;
      }
    }
  }
  return { covered, total };
}
