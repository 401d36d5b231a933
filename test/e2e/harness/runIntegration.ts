/**
 * Runs the extension-host suite (out/test/integration) inside code-server, where no VS Code
 * download is possible: the workbench is opened on a fresh sample workspace with a `payload` that
 * loads the repository as the development extension and the suite as its tests. The suite
 * writes mocha's JSON to test-results/integration/mocha.json; this driver waits for it, prints
 * a summary and exits non-zero on failures.  Usage: node out/test/e2e/harness/runIntegration.js
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { makeSampleWorkspace } from '../../fixtures/makeSampleWorkspace';
import { writeGitShim } from '../../gitCalls';
import { printSummary, readResults } from '../../integration/results';
import { startCodeServer, type CodeServer } from './codeServer';
import { repoRoot, resultsDir } from './paths';
import { waitFor } from './waitFor';
import { launchBrowser, openWorkbench, screenshot } from './workbench';

const outDir = path.join(resultsDir, 'integration');
const resultFile = path.join(outDir, 'mocha.json');
const suiteEntry = path.resolve(__dirname, '../../integration/index.js');

async function main(): Promise<number> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tidemark-integration-'));
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const consoleLines: string[] = [];
  try {
    const workspace = await makeSampleWorkspace(path.join(tmp, 'workspace'));
    // A git that logs each start (test/gitCalls.ts), for tests that count git processes; the
    // extension host resolves its PATH from a shell, so such a test puts it first there itself.
    const shim = path.join(tmp, 'git-shim');
    mkdirSync(shim);
    writeGitShim(shim, path.join(outDir, 'git-calls.log'));
    const env = { TIDEMARK_INTEGRATION_RESULTS: resultFile, TIDEMARK_INTEGRATION_GIT_SHIM: shim, TIDEMARK_INTEGRATION_GIT_LOG: path.join(outDir, 'git-calls.log') };
    server = await startCodeServer({ env, keepLogsIn: path.join(outDir, 'logs') });
    browser = await launchBrowser();
    const payload: Array<[string, string]> = [
      ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
      ['extensionTestsPath', server.remoteUri(suiteEntry)],
    ];
    const page = await openWorkbench(browser, server, workspace.dir, payload);
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    try {
      const results = await waitFor(() => readResults(resultFile), { what: `the suite's results in ${resultFile}`, timeoutMs: 120_000 });
      printSummary(results);
      return results.stats.failures ? 1 : 0;
    } finally {
      await screenshot(page, 'workbench', outDir);
    }
  } finally {
    writeFileSync(path.join(outDir, 'browser-console.log'), consoleLines.join('\n') + '\n');
    await browser?.close();
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`integration driver: ${err.message}\n(logs: ${path.relative(process.cwd(), outDir)}/)`);
    process.exit(1);
  },
);
