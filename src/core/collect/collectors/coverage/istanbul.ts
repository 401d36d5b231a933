/**
 * Istanbul's coverage-summary.json (`json-summary` reporter of nyc, c8, jest, vitest):
 * { "total": {lines, statements, functions, branches: {total, covered, skipped, pct}},
 *   "<file>": {...same per file} }.
 * Only counts per file exist here, so the percentage is summed counts over summed totals.
 */
import path from 'node:path';
import { CollectorError } from '../errors';
import { jsonErrorPosition, kindOf } from '../safeRead';

export type SummaryType = 'line' | 'branch' | 'function' | 'statement';
export const SUMMARY_TYPES: readonly SummaryType[] = ['line', 'branch', 'function', 'statement'];
const KEYS: Record<SummaryType, string> = { line: 'lines', branch: 'branches', function: 'functions', statement: 'statements' };

export interface SummaryCounts {
  covered: number;
  total: number;
}

/** Summed counts of the files the filter keeps (absolute paths). */
export function summaryCounts(
  text: string,
  shownAs: string,
  baseDir: string,
  type: SummaryType,
  keep: (absPath: string) => boolean,
  onFile?: (absPath: string, counts: SummaryCounts) => void,
): SummaryCounts {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new CollectorError(`${shownAs} is not valid JSON: ${jsonErrorPosition(error)}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || !('total' in doc)) {
    throw new CollectorError(`${shownAs} is not an istanbul coverage summary (no "total" entry)`);
  }
  const entries = doc as Record<string, unknown>;
  // A summary reduced to its total has nothing to filter.
  if (Object.keys(entries).length === 1) return counts(entries.total, `${shownAs}: total`, type);
  const sum = { covered: 0, total: 0 };
  for (const [file, entry] of Object.entries(entries)) {
    const abs = path.resolve(baseDir, file);
    if (file === 'total' || !keep(abs)) continue;
    const c = counts(entry, `${shownAs}: ${file}`, type);
    onFile?.(abs, c);
    sum.covered += c.covered;
    sum.total += c.total;
  }
  return sum;
}

function counts(entry: unknown, where: string, type: SummaryType): SummaryCounts {
  const metric = entry && typeof entry === 'object' ? (entry as Record<string, unknown>)[KEYS[type]] : undefined;
  if (!metric || typeof metric !== 'object') throw new CollectorError(`${where} has no "${KEYS[type]}" counts`);
  const { total, covered } = metric as Record<string, unknown>;
  if (typeof total !== 'number' || typeof covered !== 'number' || covered > total || covered < 0) {
    throw new CollectorError(`${where}.${KEYS[type]}: expected numbers "covered" <= "total" (got ${kindOf(metric)})`);
  }
  return { covered, total };
}
