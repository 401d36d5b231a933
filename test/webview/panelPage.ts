/// <reference lib="dom" />
/**
 * The report as the VS Code panel runs it: the panel's page (CSP with a nonce, bundle loaded
 * from dist/) in headless Chromium, talking to the real ReportHost over a channel that stands in
 * for the webview's postMessage, with what VS Code provides inside a webview (the API object, the
 * theme class and variables).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ReportSource } from '../../src/core/report/backend';
import { ReportHost } from '../../src/core/report/host';
import { panelHtml } from '../../src/core/report/panelHtml';
import { STANDALONE_THEME_CSS } from '../../src/core/report/standaloneTheme';
import type { Logger } from '../../src/core/types';
import type { ReportL10n } from '../../src/shared/protocol';
import { DIST, openPage, type PageProblems } from './browser';
import type { Fixture } from './fixtureStore';

export interface Panel {
  page: Page;
  problems: PageProblems;
  host: ReportHost;
  /** What the host logged as warnings and errors. */
  hostLog: string[];
  runAllCalls: number;
}

export interface PanelOptions {
  /** Where the host gets its data (default: the fixture's source). */
  source?: () => Promise<ReportSource>;
  l10n?: ReportL10n;
  openCommit?: (sha: string) => Promise<void>;
  height?: number;
}

/** Opens the panel page for a store (its page file goes in `at.dir`), wired to a ReportHost the way the extension wires it. */
export async function openPanel(browser: Browser, at: Pick<Fixture, 'dir' | 'source'>, options: PanelOptions = {}): Promise<Panel> {
  const file = path.join(at.dir, 'panel.html');
  fs.writeFileSync(file, panelHtml({ nonce: 'dGVzdC1ub25jZQ==', cspSource: 'file:', scriptUri: `file://${DIST}/webview.js`, styleUri: `file://${DIST}/webview.css` }));
  const panel = { hostLog: [], runAllCalls: 0 } as unknown as Panel;
  // The page says ready while it is still loading, before openPage returns it.
  let pageOpened!: (page: Page) => void;
  const pagePromise = new Promise<Page>((resolve) => (pageOpened = resolve));
  const logger: Logger = { trace() {}, debug() {}, info() {}, warn: (m) => panel.hostLog.push(m), error: (m) => panel.hostLog.push(String(m)) };
  panel.host = new ReportHost({
    source: options.source ?? (async () => at.source),
    post: async (message) => (await pagePromise).evaluate((m) => window.postMessage(m, '*'), message as never),
    logger,
    folderUri: 'file:///workspace/project',
    runAll: async () => {
      panel.runAllCalls++;
    },
    copy: async () => {},
    ...(options.l10n && { l10n: options.l10n }),
    ...(options.openCommit && { openCommit: options.openCommit }),
  });
  const opened = await openPage(browser, file, {
    ...(options.height && { height: options.height }),
    prepare: async (context) => {
      await context.exposeBinding('toHost', (_source, json: string) => void panel.host.receive(JSON.parse(json)));
      await context.addInitScript((themeCss: string) => {
        let state: unknown;
        const w = window as unknown as { acquireVsCodeApi(): unknown; toHost(json: string): void };
        w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => w.toHost(JSON.stringify(m)), getState: () => state, setState: (s: unknown) => (state = s) });
        document.addEventListener('DOMContentLoaded', () => {
          document.body.classList.add('vscode-dark');
          const sheet = new CSSStyleSheet();
          sheet.replaceSync(themeCss);
          document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
        });
      }, STANDALONE_THEME_CSS);
    },
  });
  panel.page = opened.page;
  panel.problems = opened.problems;
  pageOpened(opened.page);
  return panel;
}
