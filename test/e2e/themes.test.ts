// Every surface of Tidemark in Light Modern, Dark Modern and Dark High Contrast, as a user sees
// it in code-server on the sample workspace with a real history (runs on both branches recorded by
// the CLI, a bundle-size budget the feature branch breaks): the Metrics tree and a tooltip, the
// status bar and its tooltip, the report's Overview, Trends and Compare, the Problems panel and a
// toast. Each is saved as test-results/e2e/themes-<theme>-0N-<surface>.png and checked for what
// makes it readable: key text at a contrast of 4.5:1 or more (from the computed styles), chart
// series in the theme's colours at 3:1 or more against their background (from the canvas
// pixels), metrics in config order, and no text cut at VS Code's default widths.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { FEATURE_BRANCH, SAMPLE_CONFIG } from '../fixtures/makeSampleWorkspace';
import { makeHistoryWorkspace } from './harness/history';
import { backgroundBehind, contrastRatio, cutTexts, lowContrast, parseColor, sameColor, textContrast, type TextLook } from './harness/looks';
import { startSession, type Session } from './harness/session';
import { waitFor } from './harness/waitFor';
import { canvasPixels, dismissQuickInput, notifications, quickPick, runCommand, statusBarItems, step, treeItems, webviewFrame } from './harness/workbench';
import { openTidemarkView } from './tidemarkView';

const CONFIG_ORDER = Object.keys(SAMPLE_CONFIG.metrics);
/** The machine is shared with other suites: give the extension time. */
const SLOW = { timeoutMs: 120_000 };
const TEXT_CONTRAST = 4.5;
const SERIES_CONTRAST = 3;

interface Theme {
  label: string;
  slug: string;
  /** The workbench's theme class and the webview body's. */
  workbenchClass: string;
  webviewClass: string;
}

const THEMES: Theme[] = [
  { label: 'Light Modern', slug: 'light-modern', workbenchClass: 'vs', webviewClass: 'vscode-light' },
  { label: 'Dark Modern', slug: 'dark-modern', workbenchClass: 'vs-dark', webviewClass: 'vscode-dark' },
  { label: 'Dark High Contrast', slug: 'dark-high-contrast', workbenchClass: 'hc-black', webviewClass: 'vscode-high-contrast' },
];

const hover = (page: Page) => page.locator('.monaco-hover .hover-contents:visible').first();

/** Points at `target` until its hover shows (the first hover after a theme switch can be missed). */
async function hoverOver(page: Page, target: ReturnType<Page['locator']>): Promise<string> {
  return waitFor(
    async () => {
      if (await hover(page).isVisible()) return (await hover(page).textContent()) ?? '';
      await page.mouse.move(200, 600);
      await target.hover();
      await hover(page).waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
      return undefined;
    },
    { what: 'the hover to show', timeoutMs: 60_000 },
  );
}

function assertContrast(looks: TextLook[], min: number, where: string): void {
  assert.ok(looks.length > 0, `no text found in ${where}`);
  assert.deepEqual(lowContrast(looks, min), [], `text below ${min}:1 in ${where}`);
}

async function assertNothingCut(target: Page | Frame, root: string, where: string): Promise<void> {
  assert.deepEqual(await cutTexts(target, root), [], `text cut in ${where}`);
}

/** Moves the pointer off every hover target and waits until no hover is shown. */
async function noHover(page: Page): Promise<void> {
  // The empty part of the sidebar under the tree: nothing there has a hover.
  await page.mouse.move(200, 600);
  await waitFor(async () => !(await hover(page).isVisible()), { what: 'the hover to close', timeoutMs: 10_000 });
}

async function panelVisible(page: Page): Promise<boolean> {
  return page.locator('.part.panel').isVisible();
}

describe('Every surface in three themes (sample workspace with history and a broken budget)', () => {
  let s: Session;
  let report: Frame | undefined;
  before(async () => {
    s = await startSession('themes', { workspace: (dir) => makeHistoryWorkspace(dir, { checkout: FEATURE_BRANCH, budget: true }) });
    await openTidemarkView(s.page);
  });
  after(async () => {
    await s?.stop();
  });

  for (const theme of THEMES) {
    it(`${theme.label}: tree, status bar, report, Problems and toasts are readable`, async () => {
      const { page } = s;
      const shot = (n: number, surface: string) => `themes-${theme.slug}-0${n}-${surface}`;

      await runCommand(page, 'Preferences: Color Theme');
      await quickPick(page, theme.label);
      await waitFor(async () => (await page.locator('.monaco-workbench').getAttribute('class'))?.split(/\s+/).includes(theme.workbenchClass), {
        what: `the workbench in ${theme.label}`,
      });
      await dismissQuickInput(page);
      if (await panelVisible(page)) await page.keyboard.press('Control+J');

      await step(page, shot(1, 'tree'), async () => {
        const metricRows = async () => (await treeItems(page, 'Metrics')).filter((r) => r.level === 2);
        // The feature branch's bundle-size breaks its budget: the error icon says so.
        const bundleRow = page.locator('.part.sidebar .monaco-list-row[aria-level="2"]', { hasText: 'bundle-size' });
        await waitFor(async () => (await bundleRow.locator('.codicon-error').count()) === 1, { what: 'bundle-size with the error icon', ...SLOW });
        assert.deepEqual((await metricRows()).map((r) => r.label), CONFIG_ORDER);
        // At the default sidebar width, no description is cut (checked before the row's hover
        // actions take their room).
        await noHover(page);
        await assertNothingCut(page, '.part.sidebar .monaco-list-row[aria-level="2"] .monaco-icon-label-container', 'the Metrics tree');
        assertContrast(await textContrast(page, '.part.sidebar .monaco-list-row[aria-level="2"] .label-name'), TEXT_CONTRAST, 'tree labels');
        assertContrast(await textContrast(page, '.part.sidebar .monaco-list-row[aria-level="2"] .label-description'), TEXT_CONTRAST, 'tree descriptions');
        assert.match(await hoverOver(page, bundleRow), /Fails a threshold/);
        // Pointed at, the row shows its inline actions: its description still fits beside them.
        await assertNothingCut(page, '.part.sidebar .monaco-list-row[aria-level="2"]:hover .monaco-icon-label-container', 'the pointed-at tree row');
        assertContrast(await textContrast(page, '.monaco-hover .hover-contents p'), TEXT_CONTRAST, 'the tree tooltip');
      });

      await step(page, shot(2, 'status-bar'), async () => {
        await noHover(page);
        // The pinned metric is the one with a budget; its alarm is an icon too, as Dark High
        // Contrast gives the item no background colour.
        const item = await waitFor(
          async () => {
            const [i] = await statusBarItems(page, 'tidemark.status');
            return i && /^bundle-size /.test(i.text) && (await page.locator(`[id="${i.id}"] .codicon-error`).count()) === 1 ? i : undefined;
          },
          { what: 'the bundle-size status bar item with the error icon', ...SLOW },
        );
        const selector = `[id="${item.id}"]`;
        assertContrast(await textContrast(page, `${selector} a, ${selector} .statusbar-item-label`), TEXT_CONTRAST, 'the status bar item');
        await assertNothingCut(page, selector, 'the status bar item');
        assert.match(await hoverOver(page, page.locator(selector)), /icon and background mean a threshold fails/);
        assertContrast(await textContrast(page, '.monaco-hover .hover-contents p'), TEXT_CONTRAST, 'the status bar tooltip');
      });

      await step(page, shot(3, 'overview'), async () => {
        await noHover(page);
        if (!report) {
          await runCommand(page, 'Tidemark: Open Report');
          report = await webviewFrame(page, '.tile');
        }
        const frame = report;
        await frame.locator('vscode-tab-header', { hasText: 'Overview' }).click();
        await waitFor(async () => (await frame.getAttribute('body', 'class'))?.split(/\s+/).includes(theme.webviewClass), { what: `the report in ${theme.label}` });
        await frame.waitForSelector('.tile[data-metric="bundle-size"]');
        assert.deepEqual(await frame.$$eval('.tile', (tiles) => tiles.map((t) => (t as unknown as { dataset: { metric: string } }).dataset.metric)), CONFIG_ORDER);
        assertContrast(await textContrast(frame, '.tile-title, .tile-value, .tile .channel-text, .tile-foot, .summary-label, .summary-value'), TEXT_CONTRAST, 'the Overview');
        await assertNothingCut(frame, '.tile', 'the Overview tiles');
      });

      await step(page, shot(4, 'trends'), async () => {
        const frame = report!;
        await frame.locator('vscode-tab-header', { hasText: 'Trends' }).click();
        await frame.waitForSelector('.chart-card.drawn[data-metric="bundle-size"]');
        assert.deepEqual(await frame.$$eval('.chart-card', (cards) => cards.map((c) => (c as unknown as { dataset: { metric: string } }).dataset.metric)), CONFIG_ORDER);
        assertContrast(await textContrast(frame, '.chart-head h3'), TEXT_CONTRAST, 'the chart titles');
        // The series are drawn in the theme's chart colours, readable on the chart's background.
        const palette = await frame.evaluate(`['blue', 'purple', 'orange', 'green', 'yellow', 'red'].map((c) => getComputedStyle(document.body).getPropertyValue('--vscode-charts-' + c).trim())`) as string[];
        const background = await backgroundBehind(frame, '.chart-card[data-metric="bundle-size"] canvas');
        await waitFor(
          async () => {
            const pixels = await canvasPixels(frame, '.chart-card[data-metric="bundle-size"] canvas');
            const series = pixels.colors.filter(([c, n]) => n >= 20 && palette.some((p) => p && sameColor(c, parseColor(p))));
            return series.length > 0 ? series : undefined;
          },
          { what: `the bundle-size chart drawn in the theme's chart colours ${JSON.stringify(palette)} (re-drawn for ${theme.label})`, timeoutMs: 30_000 },
        );
        for (const card of await frame.$$('.chart-card.drawn')) {
          const metric = await card.getAttribute('data-metric');
          const pixels = await canvasPixels(frame, `.chart-card[data-metric="${metric}"] canvas`);
          const series = pixels.colors.filter(([c, n]) => n >= 20 && palette.some((p) => p && sameColor(c, parseColor(p))));
          for (const [color] of series) {
            const ratio = contrastRatio(color, background);
            assert.ok(ratio >= SERIES_CONTRAST, `${metric}: series colour ${color} on ${background} has a contrast of ${ratio.toFixed(2)}:1`);
          }
        }
      });

      await step(page, shot(5, 'compare'), async () => {
        const frame = report!;
        await frame.locator('vscode-tab-header', { hasText: 'Compare' }).click();
        await frame.waitForSelector('.compare-table tbody tr[data-metric="bundle-size"]');
        assert.deepEqual(
          await frame.$$eval('.compare-table tbody tr[data-metric]', (rows) => rows.map((r) => (r as unknown as { dataset: { metric: string } }).dataset.metric)),
          CONFIG_ORDER,
        );
        // One screen, one baseline: Compare opens on the run the header names, so its change
        // for bundle-size is the one the tree and the Overview tile show.
        const percentIn = (text: string | null) => {
          const found = /([\d.,]+)\s*%/.exec(text ?? '');
          assert.ok(found, `no percent in "${text}"`);
          return found[1];
        };
        const headerSha = /against main at ([0-9a-f]{7})/.exec((await frame.locator('.subtitle').textContent()) ?? '')?.[1];
        assert.ok(headerSha, 'the header names the baseline run');
        await waitFor(async () => (await frame.locator('.compare .sides').textContent())?.startsWith(`main at ${headerSha} (baseline) → `), {
          what: `Compare to open on main at ${headerSha}`,
        });
        const treeRow = (await treeItems(page, 'Metrics')).find((r) => r.level === 2 && r.label === 'bundle-size');
        const comparePercent = percentIn(await frame.locator('.compare-table tbody tr[data-metric="bundle-size"] td').nth(3).textContent());
        assert.equal(comparePercent, percentIn(treeRow?.description ?? null), 'Compare and the tree give bundle-size different changes');
        await frame.locator('vscode-tab-header', { hasText: 'Overview' }).click();
        assert.equal(percentIn(await frame.locator('.tile[data-metric="bundle-size"] [data-channel="change"]').textContent()), comparePercent, 'Compare and the Overview tile differ');
        await frame.locator('vscode-tab-header', { hasText: 'Compare' }).click();
        await frame.locator('.compare-table').waitFor({ state: 'visible' });
        assertContrast(await textContrast(frame, '.compare-table th, .compare-table td'), TEXT_CONTRAST, 'the Compare table');
        await assertNothingCut(frame, '.compare-table', 'the Compare table');
      });

      await step(page, shot(6, 'problems'), async () => {
        if (!(await panelVisible(page))) await page.keyboard.press('Control+Shift+M');
        const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'bundle-size' }).first();
        await row.waitFor({ state: 'visible', timeout: 30_000 });
        assert.equal(await row.locator('.codicon-error').count(), 1, 'the budget is not shown as an error');
        await page.locator('.markers-panel .monaco-list-row', { hasText: 'Judged against the baseline' }).first().waitFor({ state: 'visible', timeout: 10_000 });
        await assertNothingCut(page, '.markers-panel .monaco-list-row', 'the Problems panel');
        assertContrast(await textContrast(page, '.markers-panel .monaco-list-row .marker-message'), TEXT_CONTRAST, 'the Problems panel');
      });

      await step(page, shot(7, 'toast'), async () => {
        // Hide the panel and let it go first: the panel taking focus while the palette opens closes the palette.
        await page.keyboard.press('Control+J');
        await waitFor(async () => !(await panelVisible(page)), { what: 'the panel to hide' });
        await runCommand(page, 'Tidemark: Measure Baseline Now');
        // Measured once it has faded in (VS Code marks the end of that animation).
        const toast = page.locator('.notification-toast.notification-fade-in-done .notification-list-item', { hasText: 'Measured the baseline' }).first();
        await toast.waitFor({ state: 'visible', timeout: SLOW.timeoutMs });
        await assertNothingCut(page, '.notification-toast .notification-list-item-message', 'the toast');
        assertContrast(await textContrast(page, '.notification-toast .notification-list-item-message'), TEXT_CONTRAST, 'the toast');
      });
      await runCommand(page, 'Notifications: Clear All Notifications');
      await waitFor(async () => (await notifications(page)).length === 0, { what: 'the toasts to close' });
    });
  }
});
