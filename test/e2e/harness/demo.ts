/**
 * `npm run demo` (scripts/demo.mjs builds, then calls this): Tidemark in code-server on a fresh
 * sample workspace with history (and a bundle-size budget its feature branch breaks), until
 * Ctrl-C. It prints what to look at.
 *
 *   npm run demo                           prints the URL and keeps running until Ctrl-C
 *   npm run demo -- --screenshot FILE.png  opens the Metrics view and the report's Compare, saves the picture, exits
 *
 * History: harness/history.ts records every commit of the sample with the CLI into the store the
 * extension reads (the folder's .tidemark/tidemark.db), so the report has points on both branches.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { folderStorePath } from '../../../src/core/store/location';
import { FEATURE_BRANCH } from '../../fixtures/makeSampleWorkspace';
import { installExitHooks, startCodeServer, type CodeServer } from './codeServer';
import { packageExtension } from './extensionPackage';
import { makeHistoryWorkspace } from './history';
import { waitFor } from './waitFor';
import { openTidemarkView } from '../tidemarkView';
import { canvasPixels, launchBrowser, openWorkbench, runCommand, webviewFrame } from './workbench';

/**
 * The extension's store for a workspace folder: the folder's own `.tidemark/tidemark.db`, which
 * `tidemark collect` writes too (one history for the editor and the CLI).
 */
export function extensionStorePath(_server: CodeServer, folder: string): string {
  return folderStorePath(folder);
}
const OPEN_REPORT = 'Tidemark: Open Report';

/** What the demo's windows (and its screenshot) show, printed for whoever runs it. */
export const WHAT_TO_LOOK_AT = [
  `The sample is on ${FEATURE_BRANCH}, 2 commits ahead of main; every commit of both branches has a recorded run.`,
  'Metrics view (left): each metric with its value and change against main; bundle-size has the error icon',
  '  because the branch breaks its 5% budget. Hover a row for the sentences behind it.',
  'Status bar (bottom left): bundle-size with an error icon and its change; its tooltip says why it is coloured.',
  `Report, Compare tab: ${FEATURE_BRANCH} against main, one bar per metric and the Thresholds column with the failed budget.`,
  'Report, Trends tab: each metric over time, main and the branch; Problems panel (Ctrl+Shift+M): the budget as an error.',
];

function printWhatToLookAt(): void {
  console.log(['', 'What to look at:', ...WHAT_TO_LOOK_AT.map((l) => (l.startsWith('  ') ? `   ${l}` : ` - ${l}`))].join('\n'));
}

function parseArgs(args: string[]): { screenshot?: string } {
  const at = args.indexOf('--screenshot');
  if (at >= 0 && !args[at + 1]) throw new Error('--screenshot needs a file name');
  const unknown = args.filter((a, i) => i !== at && i !== at + 1);
  if (unknown.length) throw new Error(`unknown arguments: ${unknown.join(' ')} (usage: npm run demo [-- --screenshot FILE])`);
  return { screenshot: at >= 0 ? path.resolve(args[at + 1]) : undefined };
}

/** What the screenshot shows, for the demo's own test. */
export interface DemoResult {
  recordedRuns: number;
  /** The "Runs" figure of the report's summary line. */
  reportRuns?: string;
  /** The Thresholds cell of bundle-size in the Compare table of the picture. */
  compareCheck?: string;
}

export async function runDemo(args: string[]): Promise<DemoResult> {
  const options = parseArgs(args);
  installExitHooks();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tidemark-demo-'));
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  const workspaceDir = path.join(tmp, 'sample-workspace');

  const server = await startCodeServer({ vsix: packageExtension(tmp) });

  console.log('Creating the sample workspace and recording its history:');
  const workspace = await makeHistoryWorkspace(workspaceDir, { checkout: FEATURE_BRANCH, budget: true, log: (line) => console.log(line) });
  const recordedRuns = workspace.recordedRuns;

  const url = server.workbenchUrl(workspace.dir);
  if (!options.screenshot) {
    console.log(`\nTidemark is running in code-server on the sample workspace (${workspace.checkedOut}):\n\n  ${url}\n\nOpen it in a browser. Ctrl-C stops it.`);
    printWhatToLookAt();
    // Ctrl-C ends it: codeServer.ts stops the server on SIGINT and exits.
    const code = await server.exited;
    throw new Error(`code-server stopped by itself (exit ${code}); see its log above`);
  }

  const browser = await launchBrowser();
  try {
    const page = await openWorkbench(browser, server, workspace.dir);
    await waitFor(() => server.extensionLog().includes('Tidemark activated'), { what: 'Tidemark to activate' });
    await openTidemarkView(page);
    await runCommand(page, OPEN_REPORT);
    const frame = await webviewFrame(page, '.summary-value');
    await waitFor(async () => (await canvasPixels(frame, '.tile .sparkline')).painted > 0, { what: 'the report to draw its sparklines' });
    const reportRuns = await frame.$eval('.summary-item:first-child .summary-value', (e) => e.textContent ?? '');
    // The picture: Compare, the branch against main with its broken budget.
    await frame.locator('vscode-tab-header', { hasText: 'Compare' }).click();
    await frame.waitForSelector('.compare-table tbody tr[data-metric="bundle-size"] .check');
    await waitFor(async () => (await canvasPixels(frame, '.compare-chart canvas')).painted > 0, { what: 'the Compare chart to be drawn' });
    const compareCheck = await frame.$eval('.compare-table tbody tr[data-metric="bundle-size"] .check', (e) => (e.textContent ?? '').trim());
    // Nothing under the pointer, so no stray tooltip in the picture; wait until none is shown.
    await page.mouse.move(640, 5);
    await waitFor(async () => !(await page.locator('.monaco-hover, .workbench-hover').first().isVisible()), { what: 'no hover in the picture', timeoutMs: 10_000 });
    mkdirSync(path.dirname(options.screenshot), { recursive: true });
    await page.screenshot({ path: options.screenshot });
    console.log(`saved ${options.screenshot}`);
    printWhatToLookAt();
    return { recordedRuns, reportRuns, compareCheck };
  } finally {
    await browser.close();
    await server.stop();
  }
}
