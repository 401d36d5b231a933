/**
 * The extension-host test suite's entry: VS Code loads this module (extensionTestsPath) inside
 * the extension host and awaits `run()`. Runs every `*.test.js` next to it with mocha and writes
 * mocha's JSON results to TIDEMARK_INTEGRATION_RESULTS (or test-results/integration/mocha.json).
 * Drivers: out/test/e2e/harness/runIntegration.js (code-server) and runWithElectron.js (desktop).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { defaultResultsFile } from './results';

export async function run(): Promise<void> {
  const output = process.env.TIDEMARK_INTEGRATION_RESULTS ?? defaultResultsFile;
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'json', reporterOptions: { output } });
  // TIDEMARK_INTEGRATION_FILES=refreshCount,ui runs only those files (by name, without .test.js).
  const only = process.env.TIDEMARK_INTEGRATION_FILES?.split(',').map((f) => `${f.trim()}.test.js`);
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js') && (!only || only.includes(f))).sort()) mocha.addFile(path.join(__dirname, file));
  let failures: number;
  try {
    // mocha.run requires the test files first and throws if one of them throws while loading.
    failures = await new Promise<number>((resolve) => mocha.run(resolve));
  } catch (err) {
    // Still write results, so the driver reports the failure at once instead of waiting for a file.
    const failure = { fullTitle: 'loading the integration suite', err: { message: String(err), stack: (err as Error).stack } };
    mkdirSync(path.dirname(output), { recursive: true });
    writeFileSync(output, JSON.stringify({ stats: { tests: 1, passes: 0, failures: 1, pending: 0, duration: 0 }, tests: [failure], failures: [failure] }));
    throw err;
  }
  if (failures) throw new Error(`${failures} integration test(s) failed`);
}
