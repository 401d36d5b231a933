// A multi-root workspace: every folder with a tidemark.json has its own tree node, runs and store.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { makeSampleWorkspace, SAMPLE_CONFIG } from '../fixtures/makeSampleWorkspace';
import { startCodeServer, type CodeServer } from './harness/codeServer';
import { packageExtension } from './harness/extensionPackage';
import { resultsDir } from './harness/paths';
import { waitFor } from './harness/waitFor';
import { openTidemarkView } from './tidemarkView';
import { launchBrowser, runCommand, step, treeItems } from './harness/workbench';

/** Store files (X.db or, before the first snapshot, only X.db.journal) under every workspace storage. */
/** The folders' stores (each folder's .tidemark/tidemark.db, or its journal before the first snapshot). */
function storeFiles(folders: string[]): string[] {
  return folders.map((f) => path.join(f, '.tidemark', 'tidemark.db')).filter((db) => existsSync(db) || existsSync(`${db}.journal`));
}

describe('Tidemark in a multi-root workspace', () => {
  let tmp: string;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  const folders: string[] = [];

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'tidemark-e2e-'));
    const sample = await makeSampleWorkspace(path.join(tmp, 'app'));
    // A second folder outside git, with one metric of its own.
    const notes = path.join(tmp, 'notes');
    mkdirSync(notes);
    writeFileSync(path.join(notes, 'tidemark.json'), JSON.stringify({ metrics: { 'note-count': { type: 'numeric', unit: 'integer', command: 'echo 42' } } }, null, 2));
    folders.push(sample.dir, notes);
    const workspaceFile = path.join(tmp, 'both.code-workspace');
    writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: sample.dir }, { path: notes }] }));
    server = await startCodeServer({ vsix: packageExtension(tmp), keepLogsIn: path.join(resultsDir, 'e2e', 'logs', 'multi-root') });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/?${new URLSearchParams({ workspace: workspaceFile }).toString()}`);
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('shows one node per folder with that folder’s metrics', async () => {
    await step(page, 'multi-root-01-two-folders', async () => {
      await openTidemarkView(page);
      const rows = await waitFor(
        async () => {
          const r = await treeItems(page, 'Metrics');
          return r.filter((x) => x.level === 1).length === 2 && r.some((x) => x.label === 'note-count') ? r : undefined;
        },
        { what: 'two folder nodes in the Metrics view' },
      );
      assert.deepEqual(
        rows.filter((r) => r.level === 1).map((r) => r.label),
        ['app', 'notes'],
      );
      const appIndex = rows.findIndex((r) => r.label === 'app');
      const notesIndex = rows.findIndex((r) => r.label === 'notes');
      const under = (from: number, to: number) => rows.slice(from + 1, to).filter((r) => r.level === 2).map((r) => r.label);
      assert.deepEqual(under(appIndex, notesIndex).sort(), Object.keys(SAMPLE_CONFIG.metrics).sort());
      // The notes folder is not a git repository: the view says so, and shows its metric.
      assert.deepEqual(under(notesIndex, rows.length), ['Not a git repository', 'note-count']);
    });
  });

  it('Run All Metrics in all folders records each folder in its own store', async () => {
    await step(page, 'multi-root-02-run-all', async () => {
      await runCommand(page, 'Tidemark: Run All Metrics');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'All folders' }).click();
      await waitFor(
        async () => {
          const rows = await treeItems(page, 'Metrics');
          return rows.find((r) => r.label === 'note-count')?.description === '42' && rows.find((r) => r.label === 'coverage')?.description === '77.2%';
        },
        { what: 'note-count = 42 and coverage = 77.2% in the Metrics view' },
      );
      assert.equal(storeFiles(folders).length, 2, `store files: ${storeFiles(folders).join(', ')}`);
    });
  });
});
