/** Reading files as text, and writing numbers the way unit parsing reads them back. */
import { LIMITS } from '../../limits';
import { CollectorError } from './errors';
import { readRegularFile, readWorkspaceText } from './safeRead';

/**
 * The file's text, or null for a binary file (a NUL byte in its first 8000 bytes, as git
 * decides) or one larger than a collector reads. Regular files only, opened without blocking.
 */
export async function readTextFile(absPath: string, signal: AbortSignal = new AbortController().signal): Promise<string | null> {
  let data: Buffer;
  try {
    data = await readRegularFile(absPath, absPath, { signal, maxBytes: LIMITS.reportFileBytes });
  } catch (error) {
    if (signal.aborted || !(error instanceof CollectorError)) throw error;
    return null;
  }
  if (data.subarray(0, 8000).includes(0)) return null;
  return data.toString('utf8');
}

/**
 * Reads a report file a collector was pointed at, confined to the workspace (safeRead.ts); a
 * missing or empty file is invalid output.
 */
export async function readReport(absPath: string, shownAs: string, ctx: { cwd: string; signal: AbortSignal }): Promise<string> {
  return readWorkspaceText(ctx, absPath, shownAs);
}

/** A number as collector output: integers as they are, fractions to 4 decimals. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new CollectorError(`the result is not a finite number (${n})`);
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1e4) / 1e4);
}

/** `covered / total` as a percentage; no measured items is invalid output, not 0% or 100%. */
export function percent(covered: number, total: number, what: string): string {
  if (total === 0) throw new CollectorError(`the report has no ${what} to measure`);
  return formatNumber((covered / total) * 100);
}
