/**
 * Runs the same extension-host suite in desktop VS Code through @vscode/test-electron, which
 * downloads VS Code: only on machines with internet. `npm run test:vscode`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { makeSampleWorkspace } from '../fixtures/makeSampleWorkspace';
import { defaultResultsFile, printSummary, readResults } from './results';

async function main(): Promise<number> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tidemark-vscode-'));
  try {
    rmSync(defaultResultsFile, { force: true });
    const workspace = await makeSampleWorkspace(path.join(tmp, 'workspace'));
    await runTests({
      extensionDevelopmentPath: path.resolve(__dirname, '../../..'),
      extensionTestsPath: path.join(__dirname, 'index'),
      extensionTestsEnv: { TIDEMARK_INTEGRATION_RESULTS: defaultResultsFile },
      launchArgs: [workspace.dir, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(tmp, 'user-data')],
    }).catch((err: Error) => {
      if (!readResults(defaultResultsFile)) throw err;
    });
    const results = readResults(defaultResultsFile);
    if (!results) throw new Error(`the suite wrote no results to ${defaultResultsFile}`);
    printSummary(results);
    return results.stats.failures ? 1 : 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    const offline = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo/.test(err.message);
    const hint = offline ? '\n(this downloads VS Code and needs internet; offline, `npm run test:integration` runs the same suite in code-server)' : '';
    console.error(`test:vscode: ${err.message}${hint}`);
    process.exit(1);
  },
);
