/** Where the extension-host suite writes mocha's JSON results, and a summary of them for drivers. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Repository root (this file compiles to out/test/integration/results.js). */
const repoRoot = path.resolve(__dirname, '../../..');

/** Drivers pass their own path in TIDEMARK_INTEGRATION_RESULTS; this is the default. */
export const defaultResultsFile = path.join(repoRoot, 'test-results', 'integration', 'mocha.json');

export interface MochaJson {
  stats: { tests: number; passes: number; failures: number; pending: number; duration: number };
  tests: Array<{ fullTitle: string; err: { message?: string; stack?: string } }>;
  failures: Array<{ fullTitle: string; err: { message?: string; stack?: string } }>;
}

/** Parsed results, or undefined while the file is missing or still being written. */
export function readResults(file: string): MochaJson | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as MochaJson;
  } catch {
    return undefined;
  }
}

export function printSummary(results: MochaJson): void {
  const failed = new Set(results.failures.map((f) => f.fullTitle));
  for (const t of results.tests) console.log(`  ${failed.has(t.fullTitle) ? '✘' : '✔'} ${t.fullTitle}`);
  for (const f of results.failures) console.log(`\n✘ ${f.fullTitle}\n${f.err.stack ?? f.err.message ?? ''}`);
  const { passes, failures, pending } = results.stats;
  console.log(`\nintegration: ${passes} passing, ${failures} failing${pending ? `, ${pending} pending` : ''}`);
}
