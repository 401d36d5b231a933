/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/** Headless Chromium for the report tests, and helpers to read what the page shows. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '../../..');
export const DIST = path.join(ROOT, 'dist');
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'webview');

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--headless'],
  });
}

/** Everything that would mean the page misbehaved: dialogs, page errors, console errors (CSP violations land there). */
export interface PageProblems {
  dialogs: string[];
  errors: string[];
  requests: string[];
}

export interface OpenOptions {
  width?: number;
  height?: number;
  colorScheme?: 'light' | 'dark';
  /** Runs on the new context before the page loads (bindings, init scripts). */
  prepare?: (context: BrowserContext) => Promise<void>;
}

export async function openPage(browser: Browser, file: string, options: OpenOptions = {}): Promise<{ page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, colorScheme: options.colorScheme ?? 'dark' });
  await options.prepare?.(context);
  const page = await context.newPage();
  const problems: PageProblems = { dialogs: [], errors: [], requests: [] };
  page.on('dialog', (dialog) => {
    problems.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => problems.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.errors.push(message.text());
  });
  page.on('request', (request) => {
    if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) problems.requests.push(request.url());
  });
  await page.goto(`file://${file}`);
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** Pixels of a canvas that differ from transparent and from the page background. */
export function canvasStats(page: Page, selector: string): Promise<{ drawn: number; colours: Record<string, number> }> {
  return page.$eval(selector, (canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const colours: Record<string, number> = {};
    let drawn = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] < 200) continue;
      drawn++;
      const key = `${data[i] >> 4},${data[i + 1] >> 4},${data[i + 2] >> 4}`;
      colours[key] = (colours[key] ?? 0) + 1;
    }
    return { drawn, colours };
  });
}

/** Selects a tab by its visible name, as a user would. */
export async function openTab(page: Page, name: string): Promise<void> {
  await page.locator('vscode-tab-header', { hasText: name }).click();
}

/** Waits for a condition checked in Node (not in the page) with a deadline. */
export async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
