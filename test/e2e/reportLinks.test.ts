// The ways into the report from the Metrics view, the status bar and Compare Branches.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startSession, type Session } from './harness/session';
import { waitFor } from './harness/waitFor';
import { runCommand, step, treeItems } from './harness/workbench';
import { openTidemarkView } from './tidemarkView';

const reportTab = (page: Page) => page.locator('.tabs-container .tab', { hasText: 'Tidemark Report: workspace' });

/** Closes the report with its tab's close button (the webview can take the palette's focus). */
async function closeReport(page: Page): Promise<void> {
  await reportTab(page).hover();
  await reportTab(page).locator('.tab-actions .action-label').first().click();
  await waitFor(async () => (await reportTab(page).count()) === 0, { what: 'the report to close' });
}

describe('Opening the report from the Metrics view, the status bar and Compare Branches', () => {
  let s: Session;
  before(async () => {
    s = await startSession('report-links');
    await openTidemarkView(s.page);
    await runCommand(s.page, 'Tidemark: Run All Metrics');
    await waitFor(async () => (await treeItems(s.page, 'Metrics')).filter((r) => r.level === 2).every((r) => r.description !== 'never ran'), {
      what: 'every metric to have a value',
    });
  });
  after(async () => {
    await s?.stop();
  });

  it("the chart action of a metric opens the report's trends", async () => {
    await step(s.page, 'report-links-01-chart-action', async () => {
      const row = s.page.locator('.monaco-list-row[aria-level="2"]', { hasText: 'coverage' });
      await row.hover();
      await row.locator('.action-label[aria-label="Open Report"]').click();
      await reportTab(s.page).waitFor({ state: 'visible', timeout: 30_000 });
    });
    await closeReport(s.page);
  });

  it('clicking the status bar item opens the report', async () => {
    await step(s.page, 'report-links-02-status-bar', async () => {
      await s.page.locator('.part.statusbar .statusbar-item[id$="tidemark.status"] a, .part.statusbar .statusbar-item[id$="tidemark.status"]').first().click();
      await reportTab(s.page).waitFor({ state: 'visible', timeout: 30_000 });
    });
    await closeReport(s.page);
  });

  it('Compare Branches offers the recorded branches and opens the comparison', async () => {
    await step(s.page, 'report-links-03-compare', async () => {
      await runCommand(s.page, 'Tidemark: Compare Branches…');
      const rows = s.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
      await rows.first().waitFor({ state: 'visible', timeout: 10_000 });
      const labels = await rows.locator('.label-name').allTextContents();
      assert.ok(labels.map((l) => l.trim()).includes('main'), JSON.stringify(labels));
      await rows.filter({ hasText: 'main' }).first().click();
      await waitFor(async () => ((await s.page.locator('.quick-input-widget .quick-input-title').textContent()) ?? '').includes('2/2'), { what: 'the head pick' });
      await rows.filter({ hasText: 'main' }).first().click();
      await reportTab(s.page).waitFor({ state: 'visible', timeout: 30_000 });
    });
  });
});
