// The harness's workbench helpers, checked against VS Code's own UI (explorer, Markdown preview
// webview, editor minimap canvas), so scenarios can rely on them before Tidemark's UI exists.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSession, type Session } from './harness/session';
import { waitFor } from './harness/waitFor';
import { canvasPixels, chooseMenuAction, runCommand, saveFile, statusBarItems, step, treeItems, webviewFrame } from './harness/workbench';

describe('workbench helpers on VS Code’s own UI', () => {
  let s: Session;
  before(async () => {
    s = await startSession('helpers');
  });
  after(async () => {
    await s?.stop();
  });

  it('treeItems reads the explorer', async () => {
    await step(s.page, 'helpers-01-explorer', async () => {
      const rows = await waitFor(async () => {
        const items = await treeItems(s.page, path.basename(s.workspace.dir));
        return items.some((i) => i.label === 'tidemark.json') ? items : undefined;
      }, { what: 'tidemark.json in the explorer' });
      assert.ok(rows.some((r) => r.label === 'src' && r.level === 1), JSON.stringify(rows));
    });
  });

  it("chooseMenuAction runs an explorer row's context-menu action at once after the right-click", async () => {
    await step(s.page, 'helpers-01b-context-menu', async () => {
      await s.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'tidemark.json' }).click({ button: 'right' });
      await chooseMenuAction(s.page, 'Open to the Side');
      const tabs = await waitFor(async () => {
        const groups = await s.page.$$eval('.editor-group-container', (els) => els.map((g) => (g.querySelector('.tab.active')?.textContent ?? '').trim()));
        return groups.length === 2 ? groups : undefined;
      }, { what: 'a second editor group' });
      assert.ok(tabs.some((t) => t.startsWith('tidemark.json')), JSON.stringify(tabs));
      await runCommand(s.page, 'View: Close All Editor Groups');
      await waitFor(async () => (await s.page.locator('.editor-group-container').count()) === 1, { what: 'one editor group again' });
    });
  });

  it('saveFile saves through the editor and statusBarItems reads the cursor position', async () => {
    await step(s.page, 'helpers-02-save', async () => {
      await saveFile(s.page, 'coverage.txt', '99.5\nsecond line\n');
      const cursor = await waitFor(async () => (await statusBarItems(s.page, 'status.editor.selection'))[0], { what: 'the cursor position item' });
      assert.equal(cursor.text, 'Ln 3, Col 1');
    });
  });

  it('canvasPixels sees what the minimap draws', async () => {
    await step(s.page, 'helpers-03-canvas', async () => {
      const pixels = await waitFor(async () => {
        const p = await canvasPixels(s.page.mainFrame(), '.editor-group-container.active .minimap canvas:not(.minimap-decorations-layer)');
        return p.painted > 0 ? p : undefined;
      }, { what: 'the minimap canvas to be painted' });
      assert.ok(pixels.width > 0 && pixels.colors.length > 0);
    });
  });

  it('webviewFrame finds the content of a webview (Markdown preview)', async () => {
    await step(s.page, 'helpers-04-webview', async () => {
      writeFileSync(path.join(s.workspace.dir, 'NOTES.md'), '# Harness notes\n\nA paragraph.\n');
      await saveFile(s.page, 'NOTES.md', '# Harness notes\n\nA paragraph.\n');
      await runCommand(s.page, 'Markdown: Open Preview');
      const frame = await webviewFrame(s.page, 'h1');
      assert.equal((await frame.textContent('h1'))?.trim(), 'Harness notes');
    });
  });
});
