/**
 * coverage.py's JSON report (`coverage json`, format 2 and later):
 * { "meta": {"version", "branch_coverage", ...}, "files": { "<path>": { "executed_lines",
 *   "missing_lines", "summary": { "covered_lines", "num_statements", "num_branches",
 *   "covered_branches", ... } } }, "totals": {...} }.
 * coverage.py's own percentage is (covered statements + covered branches) / (statements +
 * branches), branches only when measured; `statement` and `branch` give each part alone.
 */
import { CollectorError } from '../errors';

export type PythonCoverageType = 'total' | 'statement' | 'branch';
export const PYTHON_COVERAGE_TYPES: readonly PythonCoverageType[] = ['total', 'statement', 'branch'];

export interface PythonFileCounts {
  statements: number;
  coveredStatements: number;
  branches: number;
  coveredBranches: number;
}

/** Path as written in the report (relative to where coverage ran) -> counts. */
export function parseCoveragePyJson(text: string, shownAs: string): Map<string, PythonFileCounts> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new CollectorError(`${shownAs} is not valid JSON: ${(error as Error).message}`);
  }
  const files = doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>).files : undefined;
  if (!files || typeof files !== 'object' || Array.isArray(files)) {
    throw new CollectorError(`${shownAs} is not a coverage.py JSON report (no "files" object; write one with \`coverage json\`)`);
  }
  const result = new Map<string, PythonFileCounts>();
  for (const [file, entry] of Object.entries(files as Record<string, unknown>)) {
    const summary = entry && typeof entry === 'object' ? (entry as Record<string, unknown>).summary : undefined;
    if (!summary || typeof summary !== 'object') throw new CollectorError(`${shownAs}: "${file}" has no "summary"`);
    const s = summary as Record<string, unknown>;
    const count = (key: string, optional: boolean): number => {
      const v = s[key];
      if (v === undefined && optional) return 0;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new CollectorError(`${shownAs}: "${file}".summary.${key} is not a whole number (${JSON.stringify(v)})`);
      return v;
    };
    const counts: PythonFileCounts = {
      statements: count('num_statements', false),
      coveredStatements: count('covered_lines', false),
      branches: count('num_branches', true),
      coveredBranches: count('covered_branches', true),
    };
    if (counts.coveredStatements > counts.statements || counts.coveredBranches > counts.branches) {
      throw new CollectorError(`${shownAs}: "${file}" covers more than it has (${JSON.stringify(summary)})`);
    }
    result.set(file, counts);
  }
  return result;
}

export function pythonCounts(file: PythonFileCounts, type: PythonCoverageType): { covered: number; total: number } {
  if (type === 'statement') return { covered: file.coveredStatements, total: file.statements };
  if (type === 'branch') return { covered: file.coveredBranches, total: file.branches };
  return { covered: file.coveredStatements + file.coveredBranches, total: file.statements + file.branches };
}
