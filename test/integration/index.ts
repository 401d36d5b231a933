/**
 * The extension-host test suite's entry: VS Code loads this module (extensionTestsPath) inside
 * the extension host and awaits `run()`. Runs every `*.test.js` next to it with mocha and writes
 * mocha's JSON results to TIDEMARK_INTEGRATION_RESULTS (or test-results/integration/mocha.json).
 * Drivers: out/test/e2e/harness/runIntegration.js (code-server) and runWithElectron.js (desktop).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { defaultResultsFile } from './results';

export function run(): Promise<void> {
  const output = process.env.TIDEMARK_INTEGRATION_RESULTS ?? defaultResultsFile;
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'json', reporterOptions: { output } });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
