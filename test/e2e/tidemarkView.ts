/** Workbench helpers for the Tidemark container (used by the UI scenarios). */
import type { Page } from 'playwright-core';
import { waitFor } from './harness/waitFor';

/** Shows the Tidemark container; a click toggles it, so each click is checked and repeated if needed. */
export async function openTidemarkView(page: Page): Promise<void> {
  const icon = page.locator('.activitybar .action-item a[aria-label^="Tidemark"]');
  await icon.waitFor({ state: 'visible', timeout: 30_000 });
  // The container's only view: VS Code hides its header but keeps it in the DOM.
  const header = page.locator('.part.sidebar .pane-header[aria-label="Metrics Section"]');
  await waitFor(
    async () => {
      if ((await header.count()) > 0 && (await page.locator('.part.sidebar').isVisible())) return true;
      await icon.click();
      return false;
    },
    { what: 'the Metrics view to be shown', intervalMs: 1000 },
  );
}
