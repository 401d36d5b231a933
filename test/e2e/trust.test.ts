// Restricted Mode as the Metrics view shows it, and trusting the workspace later: everything
// starts working without a reload.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { expectedTiles, storeFile, tileValues } from './extensionStore';
import { startSession, type Session } from './harness/session';
import { waitFor } from './harness/waitFor';
import { openTidemarkView } from './tidemarkView';
import { clickDialogButton, runCommand, step, treeItems, webviewFrame } from './harness/workbench';

/** The Metrics view's title bar shows Tidemark's Manage Workspace Trust action (the view's header may hold a hidden copy). */
function trustActionShown(page: Page): Promise<boolean> {
  return page
    .locator('.part.sidebar .action-label[aria-label="Manage Workspace Trust"]')
    .evaluateAll((els) => els.some((e) => (e as HTMLElement).offsetParent !== null && e.getBoundingClientRect().width > 0));
}

describe('Tidemark in Restricted Mode, then trusted', () => {
  let s: Session;
  before(async () => {
    s = await startSession('trust', { trusted: false });
    await s.page.locator('.monaco-dialog-box').waitFor({ state: 'visible', timeout: 60_000 });
    await clickDialogButton(s.page, "No, I don't trust the authors");
  });
  after(async () => {
    await s?.stop();
  });

  it('says in the Metrics view why nothing runs, and offers no run action', async () => {
    await step(s.page, 'trust-01-restricted', async () => {
      await openTidemarkView(s.page);
      const rows = await waitFor(
        async () => {
          const r = await treeItems(s.page, 'Metrics');
          return r.some((x) => x.label === 'bundle-size') ? r : undefined;
        },
        { what: 'the sample metrics in the Metrics view' },
      );
      assert.ok(rows.some((r) => r.label === 'Restricted Mode: nothing runs'), JSON.stringify(rows));
      // The way out is offered even though the tree has metrics (the welcome view only shows in an empty tree).
      await waitFor(() => trustActionShown(s.page), { what: 'the Manage Workspace Trust action in the Metrics view title bar', timeoutMs: 10_000 });
      assert.equal(await runCommand(s.page, 'Tidemark: Run All Metrics', { ifPresent: true }), false, 'Run All Metrics is offered in Restricted Mode');
      const storage = s.server.extensionStorageDir(s.workspace.dir);
      assert.deepEqual(existsSync(storage) ? readdirSync(storage) : [], [], 'a store was created in Restricted Mode');
    });
  });

  it('trusting the workspace enables runs without a reload, and the report opened before shows them', async () => {
    await step(s.page, 'trust-02-trusted-and-ran', async () => {
      await s.page.locator('.monaco-list-row', { hasText: 'Restricted Mode: nothing runs' }).click();
      await s.page.locator('.workspace-trust-editor .monaco-button', { hasText: 'Trust' }).first().waitFor();
      // The report opened before trusting, beside the trust editor so that it stays visible.
      await runCommand(s.page, 'Tidemark: Open Report');
      await webviewFrame(s.page, '.empty h2');
      await runCommand(s.page, 'View: Move Editor into Right Group');
      const report = await webviewFrame(s.page, '.empty h2');
      assert.equal(await report.locator('.empty h2').innerText(), 'The report is not available');
      // Marks this page: a reloaded page (which would say ready again) would not have it.
      await report.evaluate(() => ((window as unknown as { pageBeforeTrust: boolean }).pageBeforeTrust = true));
      await s.page.locator('.workspace-trust-editor .monaco-button', { hasText: 'Trust' }).first().click();
      await waitFor(async () => !(await treeItems(s.page, 'Metrics')).some((r) => r.label.startsWith('Restricted Mode')), {
        what: 'the Restricted Mode notice to go',
      });
      await waitFor(async () => !(await trustActionShown(s.page)), {
        what: 'the Manage Workspace Trust action to go once trusted',
      });
      await runCommand(s.page, 'Tidemark: Run All Metrics');
      await waitFor(
        async () => {
          const rows = (await treeItems(s.page, 'Metrics')).filter((r) => r.level === 2);
          return rows.length === 4 && rows.every((r) => r.description !== 'never ran');
        },
        { what: 'every metric to have a value after trusting' },
      );
      // The report opened in Restricted Mode shows the recorded run without being reopened.
      const db = await waitFor(() => storeFile(s), { what: "the extension's store" });
      const expected = await expectedTiles(db, s.workspace.dir);
      assert.equal(Object.keys(expected).length, 4, JSON.stringify(expected));
      await waitFor(async () => JSON.stringify(await tileValues(report)) === JSON.stringify(expected) || undefined, {
        what: `the report opened before trusting to show tiles ${JSON.stringify(expected)}`,
        timeoutMs: 30_000,
      });
      assert.equal(await report.evaluate(() => (window as unknown as { pageBeforeTrust?: boolean }).pageBeforeTrust), true, 'the page opened before trusting updated itself');
    });
  });
});
