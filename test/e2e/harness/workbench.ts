/**
 * Drives the code-server workbench in Debian's Chromium with playwright-core: what a user sees
 * and does. Every helper waits on a condition with a deadline (never a fixed sleep) and fails
 * with a message that says what it was waiting for.
 *
 *   const browser = await launchBrowser();                 headless, or headed with TIDEMARK_E2E_HEADED=1 and a DISPLAY
 *   const page = await openWorkbench(browser, server, folder)   waits until the workbench is up
 *   await runCommand(page, 'Tidemark: Run All Metrics')    through the command palette (F1), clicks the row with that exact title
 *   await runCommand(page, title, { ifPresent: true })     false instead of failing when the palette hides it
 *   await quickPick(page, 'Tidemark')                     picks a row of the quick pick a command opened
 *   await openQuickInput(page)                            { title, placeholder, value } of the open quick input, or undefined
 *   await dismissQuickInput(page)                         Escapes a quick pick or file dialog unchosen, waits until it is gone
 *   await statusBarItems(page, 'tidemark')                 [{ id, text, label }] of items whose id contains it
 *   await statusBarText(page, 'tidemark')                  their texts (extension items' ids start with 'tidemark.tidemark.')
 *   await treeItems(page, 'Metrics')                       [{ label, description, level }] of a view's tree rows, by view title
 *   const frame = await webviewFrame(page, 'canvas')       the webview frame that contains the selector
 *   await canvasPixels(frame, 'canvas')                    { width, height, painted, colors } of a canvas
 *   await saveFile(page, 'src/app.js', text)               open via Go to File, replace the text, Ctrl+S, wait until on disk
 *   await clickDialogButton(page, "No, I don't trust the authors")
 *   await closeDialogs(page)                               Escape any modal dialog (runCommand does this first)
 *   await notifications(page)                              texts of the visible notification toasts
 *   await screenshot(page, 'name')                         test-results/e2e/name.png (or another folder)
 *   await step(page, 'name', async () => { ... })          runs one scenario step, screenshot after it (name-FAILED on failure)
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { resultsDir } from './paths';
import { CHROMIUM_PATH, requireSystemPackages } from './systemPackages';
import { waitFor } from './waitFor';

export const screenshotDir = path.join(resultsDir, 'e2e');
const defaultTimeoutMs = 60_000;
/**
 * Deadline for what the extension host or the server does in reply to an action (a command's
 * quick pick opening, a saved file reaching the disk): the e2e suite runs two VS Codes on two
 * cores, so these wait longer than the workbench's own widgets (10 s). A deadline, not a pause:
 * every wait returns as soon as its condition holds.
 */
const reactionTimeoutMs = 30_000;

/** Chromium flags for this machine: no sandbox as root, no GPU, no calls to Google's services. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchBrowser(): Promise<Browser> {
  requireSystemPackages(['chromium']);
  const headed = process.env.TIDEMARK_E2E_HEADED === '1' && !!process.env.DISPLAY;
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: !headed, args: chromiumArgs });
}

const folders = new WeakMap<Page, string>();
const pageErrorLog = new WeakMap<Page, string[]>();

/** Opens `folder` in the workbench and waits until the workbench and its status bar are shown. */
export async function openWorkbench(
  browser: Browser,
  server: CodeServer,
  folder: string,
  payload?: Array<[string, string]>,
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  folders.set(page, folder);
  const errors: string[] = [];
  pageErrorLog.set(page, errors);
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(server.workbenchUrl(folder, payload));
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: defaultTimeoutMs });
  return page;
}

/** Uncaught errors the workbench page threw so far. */
export function pageErrors(page: Page): string[] {
  return pageErrorLog.get(page) ?? [];
}

/** Resolves once the page has painted twice, i.e. after the UI reacted to the last input. */
async function rendered(page: Page): Promise<void> {
  await page.evaluate(() => {
    // Runs in the page; this project compiles without the DOM library, hence the local type.
    const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame;
    return new Promise<void>((resolve) => raf(() => raf(() => resolve())));
  });
}

const quickInputBox = '.quick-input-widget .quick-input-box input';
const quickInputRow = '.quick-input-widget .quick-input-list .monaco-list-row';

async function quickInputRows(page: Page): Promise<string[]> {
  return page.$$eval(quickInputRow, (rows) => rows.map((r) => (r.querySelector('.label-name')?.textContent ?? '').trim()));
}

/** The rendered row labelled exactly `label` (a locator, so a re-rendered list cannot shift it onto another row). */
function rowLabelled(page: Page, label: string) {
  // A codicon before the text ($(history) Last 10…) leaves a space in front of it.
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  return page.locator(quickInputRow).filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
}

export interface QuickInputState {
  title: string;
  placeholder: string;
  value: string;
}

/** The quick input on screen (the palette, a command's quick pick, a file dialog), or undefined. */
export async function openQuickInput(page: Page): Promise<QuickInputState | undefined> {
  const input = page.locator(quickInputBox);
  if (!(await input.isVisible())) return undefined;
  const title = await page.locator('.quick-input-widget .quick-input-title').textContent().catch(() => '');
  return { title: (title ?? '').trim(), placeholder: (await input.getAttribute('placeholder')) ?? '', value: await input.inputValue() };
}

/** Escapes the open quick input without choosing anything, and waits until it is gone. */
export async function dismissQuickInput(page: Page): Promise<void> {
  await waitFor(
    async () => {
      if (!(await page.locator(quickInputBox).isVisible())) return true;
      await page.keyboard.press('Escape');
      return false;
    },
    { what: 'the quick input to close', timeoutMs: 10_000 },
  );
}

/**
 * Opens a quick input with `open`, types `text` and clicks the row labelled exactly `label`.
 * It waits until the widget shows `text` and that row (the list re-renders as it filters), and
 * clicks the row itself, never "the nth row". Without the row it reopens and retypes until the
 * deadline (quick open caches its file list per opening, so a new file shows only in a new one).
 * A click that finds the widget gone (something took the focus) is retried in a fresh opening.
 * After the click it waits until the widget no longer shows `text`, i.e. the row was accepted.
 */
async function pickQuickInputRow(page: Page, open: () => Promise<void>, text: string, label: string, ifPresent: boolean): Promise<boolean> {
  const input = page.locator(quickInputBox);
  const row = rowLabelled(page, label);
  const showsText = async () => (await input.isVisible()) && (await input.inputValue()) === text;
  const openAndType = async () => {
    await dismissQuickInput(page);
    await closeDialogs(page);
    await open();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    // Short: if something takes focus and closes the palette, the loop below opens it again.
    await input.fill(text, { timeout: 5_000 });
    await rendered(page);
  };
  if (ifPresent) {
    await openAndType();
    if (!(await showsText()) || !(await row.isVisible())) {
      await dismissQuickInput(page);
      return false;
    }
  }
  await waitFor(
    async () => {
      if (!(await showsText()) || !(await row.isVisible())) await openAndType();
      if (!(await showsText()) || !(await row.isVisible())) return false;
      await row.click({ timeout: 5_000 });
      return true;
    },
    { what: `"${label}" in the quick input`, timeoutMs: 30_000 },
  ).catch(async (err: Error) => {
    throw new Error(`${err.message}; rows shown: ${JSON.stringify(await quickInputRows(page).catch(() => []))}`);
  });
  await waitFor(async () => !(await showsText().catch(() => false)), { what: `the quick input to accept "${label}"`, timeoutMs: 10_000 });
  return true;
}

/**
 * Runs a command by its palette title ("Category: Title"). Returns false only with
 * `ifPresent` when the palette does not offer it (e.g. disabled in Restricted Mode). It returns
 * once the palette accepted the row; what the command shows afterwards is the caller's to await.
 */
export async function runCommand(page: Page, title: string, options: { ifPresent?: boolean } = {}): Promise<boolean> {
  return pickQuickInputRow(page, () => page.keyboard.press('F1'), `>${title}`, title, options.ifPresent ?? false);
}

/** Picks the row labelled `label` in a quick pick that a command opened. */
export async function quickPick(page: Page, label: string): Promise<void> {
  const input = page.locator(quickInputBox);
  await input.waitFor({ state: 'visible', timeout: reactionTimeoutMs });
  await input.fill(label);
  const row = rowLabelled(page, label);
  await waitFor(() => row.isVisible(), { what: `"${label}" in the quick pick`, timeoutMs: reactionTimeoutMs }).catch(async (err: Error) => {
    throw new Error(`${err.message}; rows shown: ${JSON.stringify(await quickInputRows(page).catch(() => []))}`);
  });
  await row.click();
}

export interface StatusBarItem {
  id: string;
  text: string;
  label: string;
}

export async function statusBarItems(page: Page, idContains = ''): Promise<StatusBarItem[]> {
  const items = await page.$$eval('.part.statusbar .statusbar-item', (els) =>
    els.map((e) => ({ id: e.id, text: (e.textContent ?? '').trim(), label: e.getAttribute('aria-label') ?? '' })),
  );
  return items.filter((i) => i.id.includes(idContains));
}

export async function statusBarText(page: Page, idContains = ''): Promise<string[]> {
  return (await statusBarItems(page, idContains)).map((i) => i.text);
}

export interface TreeItem {
  label: string;
  description: string;
  level: number;
}

/** Rows of the tree in the view titled `viewTitle` (all visible trees if omitted). */
export async function treeItems(page: Page, viewTitle?: string): Promise<TreeItem[]> {
  return page.$$eval(
    '.pane',
    (panes, title) =>
      panes
        .filter((p) => !title || (p.querySelector('.pane-header .title')?.textContent ?? '').trim().toLowerCase() === title.toLowerCase())
        .flatMap((p) => [...p.querySelectorAll('.monaco-list-row[role="treeitem"]')])
        .map((row) => ({
          label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
          description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
          level: Number(row.getAttribute('aria-level') ?? 1),
        })),
    viewTitle,
  );
}

/** Waits for the webview frame (they are nested iframes) that contains `selector`. */
export async function webviewFrame(page: Page, selector: string, timeoutMs = defaultTimeoutMs): Promise<Frame> {
  return waitFor(
    async () => {
      for (const frame of page.frames()) {
        if (frame !== page.mainFrame() && (await frame.$(selector).catch(() => null))) return frame;
      }
      return undefined;
    },
    { what: `a webview frame containing ${selector}`, timeoutMs },
  );
}

export interface CanvasPixels {
  width: number;
  height: number;
  /** Pixels with any opacity: 0 means nothing was drawn. */
  painted: number;
  /** The most frequent painted colours as `rgba(r,g,b,a)` with their pixel counts. */
  colors: Array<[string, number]>;
}

export async function canvasPixels(frame: Frame, selector: string): Promise<CanvasPixels> {
  return frame.$eval(selector, (el) => {
    type Canvas2d = { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
    const canvas = el as unknown as { width: number; height: number; getContext(kind: '2d'): Canvas2d | null };
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
    if (!data) throw new Error('canvas has no 2d context');
    const counts = new Map<string, number>();
    let painted = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      painted++;
      const key = `rgba(${data[i]},${data[i + 1]},${data[i + 2]},${data[i + 3]})`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const colors = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    return { width: canvas.width, height: canvas.height, painted, colors };
  });
}

/**
 * Opens an existing workspace file with Go to File, replaces its whole text as typed input and
 * saves with Ctrl+S (a real save: onDidSaveTextDocument fires). Waits until the tab is clean
 * and the file on disk holds `text`.
 */
export async function saveFile(page: Page, relPath: string, text: string): Promise<void> {
  const name = path.basename(relPath);
  await pickQuickInputRow(page, () => page.keyboard.press('Control+P'), relPath, name, false);
  const tab = page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`);
  await tab.waitFor({ state: 'visible', timeout: 10_000 });
  await page.locator('.editor-group-container.active .monaco-editor textarea').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  await page.keyboard.press('Control+S');
  const folder = folders.get(page);
  await waitFor(
    async () => !(await tab.evaluate((t) => t.classList.contains('dirty'))) && (!folder || readFileSync(path.join(folder, relPath), 'utf8') === text),
    { what: `${relPath} to be saved`, timeoutMs: reactionTimeoutMs },
  );
}

/**
 * Runs the action labelled `label` of the open context menu (a right-click's menu) and waits for
 * the menu to close. VS Code listens for mouseup on a menu item only from 100 ms after the menu
 * is built (so the right-click's own mouseup chooses nothing); a click sooner does nothing, so
 * this clicks again while the item is still on screen.
 */
export async function chooseMenuAction(page: Page, label: string): Promise<void> {
  const item = page.locator('.context-view .monaco-menu .action-item', { hasText: label });
  await item.waitFor({ state: 'visible', timeout: reactionTimeoutMs });
  await waitFor(
    async () => {
      if (!(await item.isVisible())) return true;
      await item.click({ timeout: 5_000 });
      return false;
    },
    { what: `the context menu to run "${label}"`, timeoutMs: reactionTimeoutMs },
  );
}

/** Closes modal dialogs (a previous command's confirmation or error) that would swallow keys. */
export async function closeDialogs(page: Page): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box');
  for (let i = 0; i < 5 && (await dialog.isVisible()); i++) await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
}

export async function clickDialogButton(page: Page, label: string): Promise<void> {
  await page.locator('.monaco-dialog-box .monaco-button', { hasText: label }).first().click({ timeout: defaultTimeoutMs });
  await page.locator('.monaco-dialog-box').waitFor({ state: 'hidden', timeout: 10_000 });
}

export async function notifications(page: Page): Promise<string[]> {
  return page.$$eval('.notification-toast .notification-list-item-message', (els) => els.map((e) => (e.textContent ?? '').trim()));
}

export async function screenshot(page: Page, name: string, dir = screenshotDir): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** One scenario step: its screenshot is taken after it, or as `<name>-FAILED` when it throws. */
export async function step<T>(page: Page, name: string, body: () => Promise<T>): Promise<T> {
  try {
    const result = await body();
    await screenshot(page, name);
    return result;
  } catch (err) {
    const file = await screenshot(page, `${name}-FAILED`).catch(() => 'no screenshot');
    (err as Error).message += `\n(screenshot: ${file})`;
    throw err;
  }
}
