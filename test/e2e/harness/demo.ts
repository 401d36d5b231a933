/**
 * `npm run demo` (scripts/demo.mjs builds, then calls this): Tidemark in code-server on a fresh
 * sample workspace with history, until Ctrl-C.
 *
 *   npm run demo                           prints the URL and keeps running until Ctrl-C
 *   npm run demo -- --screenshot FILE.png  opens the report (or the workbench), saves the picture, exits
 *
 * History: after each commit of the sample, `node dist/cli.js collect --cwd <ws> --db <store>`
 * records that commit's metrics into the store the extension reads (its `context.storageUri`),
 * so the report has points on both branches from the start.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FEATURE_BRANCH, makeSampleWorkspace, type SampleCommit } from '../../fixtures/makeSampleWorkspace';
import { installExitHooks, startCodeServer, type CodeServer } from './codeServer';
import { packageExtension } from './extensionPackage';
import { repoRoot } from './paths';
import { waitFor } from './waitFor';
import { canvasPixels, launchBrowser, openWorkbench, quickPick, runCommand, webviewFrame } from './workbench';

/**
 * The extension's store for a workspace folder: `<storageUri>/<hash>-<name>.db`, named as
 * storeFileName() in src/extension/folders.ts does (sha-256 of the folder's URI, as the
 * extension host sees it). Keep the two in step.
 */
export function extensionStorePath(server: CodeServer, folder: string): string {
  const hash = createHash('sha256').update(server.remoteUri(folder)).digest('hex').slice(0, 12);
  const name = path.basename(folder).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40);
  return path.join(server.extensionStorageDir(folder), `${hash}-${name}.db`);
}
const OPEN_REPORT = 'Tidemark: Open Report';

function parseArgs(args: string[]): { screenshot?: string } {
  const at = args.indexOf('--screenshot');
  if (at >= 0 && !args[at + 1]) throw new Error('--screenshot needs a file name');
  const unknown = args.filter((a, i) => i !== at && i !== at + 1);
  if (unknown.length) throw new Error(`unknown arguments: ${unknown.join(' ')} (usage: npm run demo [-- --screenshot FILE])`);
  return { screenshot: at >= 0 ? path.resolve(args[at + 1]) : undefined };
}

/** Records one commit's metrics with the CLI; returns what it printed when it recorded nothing. */
function collect(commit: SampleCommit, workspace: string, store: string): string | undefined {
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  if (!existsSync(cli)) return 'dist/cli.js is missing';
  const before = existsSync(store);
  const r = spawnSync(process.execPath, [cli, 'collect', '--cwd', workspace, '--db', store], { encoding: 'utf8' });
  const output = `${r.stdout}${r.stderr}`.trim();
  if (r.status !== 0 || (!before && !existsSync(store))) return output || `exit ${r.status}`;
  console.log(`  recorded ${commit.branch} ${commit.sha.slice(0, 8)} ${commit.subject}`);
  return undefined;
}

export async function runDemo(args: string[]): Promise<void> {
  const options = parseArgs(args);
  installExitHooks();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tidemark-demo-'));
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  const workspaceDir = path.join(tmp, 'sample-workspace');

  const server = await startCodeServer({ vsix: packageExtension(tmp) });
  const store = extensionStorePath(server, workspaceDir);
  mkdirSync(path.dirname(store), { recursive: true });

  console.log('Creating the sample workspace and recording its history:');
  let cliMissing: string | undefined;
  const workspace = await makeSampleWorkspace(workspaceDir, {
    checkout: FEATURE_BRANCH,
    onCommit: (commit) => {
      if (!cliMissing) cliMissing = collect(commit, workspaceDir, store);
    },
  });
  if (cliMissing) {
    console.log(`  no history recorded: the CLI's \`collect\` is not available yet (it said: ${cliMissing.split('\n')[0]})`);
    console.log('  the workspace still has its git history; Tidemark records new runs as you use it.');
  }

  const url = server.workbenchUrl(workspace.dir);
  if (!options.screenshot) {
    console.log(`\nTidemark is running in code-server on the sample workspace (${workspace.checkedOut}):\n\n  ${url}\n\nOpen it in a browser. Ctrl-C stops it.`);
    // Ctrl-C ends it: codeServer.ts stops the server on SIGINT and exits.
    const code = await server.exited;
    throw new Error(`code-server stopped by itself (exit ${code}); see its log above`);
  }

  const browser = await launchBrowser();
  try {
    const page = await openWorkbench(browser, server, workspace.dir);
    await waitFor(() => server.extensionLog().includes('Tidemark activated'), { what: 'Tidemark to activate' });
    if (await runCommand(page, OPEN_REPORT, { ifPresent: true })) {
      const frame = await webviewFrame(page, 'body *');
      if (await frame.$('canvas')) {
        await waitFor(async () => (await canvasPixels(frame, 'canvas')).painted > 0, { what: 'the report to draw its chart' });
      }
    } else {
      console.log(`("${OPEN_REPORT}" is not contributed yet: the picture shows the workbench and Tidemark's log)`);
      await runCommand(page, 'Output: Show Output Channels...');
      await quickPick(page, 'Tidemark');
      await page.locator('.part.panel .view-lines', { hasText: 'Tidemark activated' }).waitFor({ timeout: 30_000 });
    }
    mkdirSync(path.dirname(options.screenshot), { recursive: true });
    await page.screenshot({ path: options.screenshot });
    console.log(`saved ${options.screenshot}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}
