/**
 * One e2e session = what a test file needs, started once in its `before` and reused by its steps:
 * a fresh sample workspace, the extension packaged and installed into an isolated code-server,
 * Chromium with the workbench open on the workspace. `stop()` tears it all down (also on SIGINT).
 *
 *   const s = await startSession('activation');                       trusted workspace
 *   const s = await startSession('untrusted', { trusted: false });    VS Code asks for trust
 *   s.page, s.server, s.workspace.dir; await s.stop();
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { makeSampleWorkspace, type SampleWorkspace } from '../../fixtures/makeSampleWorkspace';
import { installExitHooks, startCodeServer, type CodeServer } from './codeServer';
import { packageExtension } from './extensionPackage';
import { repoRoot, resultsDir } from './paths';
import { launchBrowser, openWorkbench } from './workbench';

export interface Session {
  server: CodeServer;
  browser: Browser;
  page: Page;
  workspace: SampleWorkspace;
  stop(): Promise<void>;
}

export interface SessionOptions {
  trusted?: boolean;
  /** Branch the sample workspace has checked out (default main). */
  checkout?: string;
  /** Makes the workspace to open in `dir` instead of the plain sample (e.g. a clone of an origin). */
  workspace?: (dir: string) => Promise<SampleWorkspace>;
}

export async function startSession(name: string, options: SessionOptions = {}): Promise<Session> {
  installExitHooks();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tidemark-e2e-'));
  const removeTmp = () => rmSync(tmp, { recursive: true, force: true });
  // Also on exit: SIGINT/SIGTERM end the process through codeServer.ts's handlers, skipping `after`.
  process.once('exit', removeTmp);
  const stops: Array<() => Promise<void> | void> = [removeTmp];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    const workspace = options.workspace
      ? await options.workspace(path.join(tmp, 'workspace'))
      : await makeSampleWorkspace(path.join(tmp, 'workspace'), { checkout: options.checkout });
    const vsix = packageExtension(tmp);
    const server = await startCodeServer({ vsix, trusted: options.trusted, keepLogsIn: path.join(resultsDir, 'e2e', 'logs', name) });
    stops.push(() => server.stop());
    const browser = await launchBrowser();
    stops.push(() => browser.close());
    const page = await openWorkbench(browser, server, workspace.dir);
    return { server, browser, page, workspace, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface ContributedCommand {
  command: string;
  /** As the command palette shows it: "Category: Title". */
  paletteTitle: string;
}

/** The commands package.json contributes, read at test time so new ones are covered. */
export function contributedCommands(): ContributedCommand[] {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  // Titles are %key%s whose English is in package.nls.json, as VS Code shows them.
  const english: Record<string, string> = JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8'));
  const shown = (text: string) => text.replace(/^%([^%\s]+)%$/, (whole, key: string) => english[key] ?? whole);
  const commands: Array<{ command: string; title: string; category?: string }> = manifest.contributes?.commands ?? [];
  return commands.map((c) => ({ command: c.command, paletteTitle: c.category ? `${shown(c.category)}: ${shown(c.title)}` : shown(c.title) }));
}
