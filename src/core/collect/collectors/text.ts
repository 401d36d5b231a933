/** Reading files as text, and writing numbers the way unit parsing reads them back. */
import { promises as fs } from 'node:fs';
import { CollectorError } from './errors';

/** The file's text, or null for a binary file (a NUL byte in its first 8000 bytes, as git decides). */
export async function readTextFile(absPath: string): Promise<string | null> {
  const data = await fs.readFile(absPath);
  if (data.subarray(0, 8000).includes(0)) return null;
  return data.toString('utf8');
}

/** Reads a report file a collector was pointed at; a missing or empty file is invalid output. */
export async function readReport(absPath: string, shownAs: string): Promise<string> {
  let text: string;
  try {
    text = await fs.readFile(absPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CollectorError(code === 'ENOENT' ? `${shownAs} does not exist` : `cannot read ${shownAs}: ${(error as Error).message}`);
  }
  if (text.trim() === '') throw new CollectorError(`${shownAs} is empty`);
  return text.replace(/^\uFEFF/, '');
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
