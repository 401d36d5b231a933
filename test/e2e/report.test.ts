// The report panel in code-server after real runs: Overview, Trends and Compare show the
// numbers in the extension's own store, a new run appears in the open panel, and a reload
// brings the panel back.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { formatValue } from '../../src/core/units';
import { expectedTiles, storeFile, tileValues, withStore } from './extensionStore';
import { startSession, type Session } from './harness/session';
import { waitFor } from './harness/waitFor';
import { canvasPixels, runCommand, step, webviewFrame } from './harness/workbench';

describe('Report panel in code-server (trusted sample workspace)', () => {
  let s: Session;
  let db: string;
  let frame: Frame;
  before(async () => {
    s = await startSession('report');
  });
  after(async () => {
    await s?.stop();
  });

  it('Open Report after a run: Overview, Trends and Compare show the store numbers', async () => {
    await step(s.page, 'report-01-overview', async () => {
      await runCommand(s.page, 'Tidemark: Run All Metrics');
      db = await waitFor(() => storeFile(s), { what: "the extension's store" });
      await waitFor(async () => (await withStore(db, (st) => st.stats())).builds === 1 || undefined, { what: 'the first recorded run', timeoutMs: 30_000 });
      await runCommand(s.page, 'Tidemark: Open Report');
      frame = await webviewFrame(s.page, '.tile');
      const expected = await expectedTiles(db, s.workspace.dir);
      await waitFor(async () => JSON.stringify(await tileValues(frame)) === JSON.stringify(expected) || undefined, { what: `tiles ${JSON.stringify(expected)}` });
    });
    await step(s.page, 'report-02-trends', async () => {
      await frame.locator('vscode-tab-header', { hasText: 'Trends' }).click();
      await frame.waitForSelector('.chart-card.drawn[data-metric="bundle-size"]');
      const pixels = await canvasPixels(frame, '.chart-card[data-metric="bundle-size"] canvas');
      assert.ok(pixels.painted > 500, `the bundle-size chart painted ${pixels.painted} pixels`);
    });
    await step(s.page, 'report-03-compare', async () => {
      await frame.locator('vscode-tab-header', { hasText: 'Compare' }).click();
      await frame.waitForSelector('.compare-table tbody tr[data-metric="coverage"]');
      const expected = await withStore(db, (st) => st.compare('main', 'main'));
      const coverage = expected.metrics.find((m) => m.metric === 'coverage')!;
      const cells = await frame.$$eval('.compare-table tbody tr[data-metric="coverage"] td', (tds) => tds.map((td) => td.textContent!.trim()));
      assert.deepEqual(cells.slice(0, 2), [formatValue(coverage.base, 'percent'), formatValue(coverage.head, 'percent')]);
    });
  });

  it('a new run shows up in the open panel without reopening it', async () => {
    await step(s.page, 'report-04-live-update', async () => {
      await frame.locator('vscode-tab-header', { hasText: 'Overview' }).click();
      // Changed on disk (an editor would hide the panel), then recorded from the palette, so the
      // panel stays visible: the same frame must show the new value.
      writeFileSync(path.join(s.workspace.dir, 'coverage.txt'), '91.5\n');
      await runCommand(s.page, 'Tidemark: Run All Metrics');
      await waitFor(async () => (await tileValues(frame)).coverage === formatValue(91.5, 'percent') || undefined, {
        what: 'the coverage tile of the open panel to show the new value',
        timeoutMs: 30_000,
      });
      assert.match(await frame.locator('.summary').innerText(), /Runs\s+2/i);
    });
  });

  it('a reload restores the panel', async () => {
    await step(s.page, 'report-05-restored', async () => {
      // The workbench's own reload saves its editor layout first (a bare page reload may not).
      await runCommand(s.page, 'Developer: Reload Window');
      const expected = JSON.stringify(await expectedTiles(db, s.workspace.dir));
      // The restored webview may be laid out (and its frame replaced) more than once: look afresh each time.
      await waitFor(
        async () => {
          for (const f of s.page.frames()) {
            const values = await f.$('.tile').then((tile) => (tile ? tileValues(f) : undefined)).catch(() => undefined);
            if (values && JSON.stringify(values) === expected) return true;
          }
          return undefined;
        },
        { what: `the restored panel to show ${expected}`, timeoutMs: 60_000 },
      );
    });
  });
});
