// The coverage gutter in code-server: a real c8 lcov of a file in the sample workspace, toggled
// from the palette, the Metrics tree and the status bar; the marks drawn in the editor are the
// lines c8 itself reports uncovered, and they follow a newly recorded run.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { repoRoot } from './harness/paths';
import { startSession, type Session } from './harness/session';
import { openTidemarkView } from './tidemarkView';
import { waitFor } from './harness/waitFor';
import { runCommand, saveFile, statusBarText, step, treeItems } from './harness/workbench';
import { COVERAGE_LIB } from '../fixtures/coverageLib';

const lib = COVERAGE_LIB;

/** Runs c8 in the workspace (lcov into coverage/) and returns c8's own uncovered lines of src/lib.js. */
function c8(dir: string, script: string): number[] {
  const table = execFileSync(
    path.join(repoRoot, 'node_modules', '.bin', 'c8'),
    ['--reports-dir', 'coverage', '--include', 'src/lib.js', '--reporter=lcov', '--reporter=text', 'node', script],
    { cwd: dir, encoding: 'utf8' },
  );
  const row = table.split('\n').find((l) => /^\s*lib\.js\s*\|/.test(l));
  assert.ok(row, table);
  const cell = row.split('|').at(-1)!.trim();
  return cell === '' ? [] : cell.split(',').flatMap((range) => {
    const [from, to = from] = range.split('-').map(Number);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

/**
 * The editor's line numbers that carry a gutter icon, and how many line backgrounds are drawn
 * in the contributed theme colour (read through its --vscode-* variable, so any theme works).
 */
async function marks(page: Page): Promise<{ gutter: number[]; backgrounds: number }> {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    if (!editor) return { gutter: [], backgrounds: 0 };
    const probe = document.createElement('div');
    probe.style.background = 'var(--vscode-tidemark-coverage-uncoveredBackground)';
    editor.appendChild(probe);
    const colour = getComputedStyle(probe).backgroundColor;
    probe.remove();
    // Glyph margin icons are positioned beside the rows, not inside them: a row by its height.
    const numbers = [...editor.querySelectorAll('.line-numbers')].map((n) => ({ top: n.getBoundingClientRect().top, line: Number((n.textContent ?? '').trim()) }));
    const gutter = [...editor.querySelectorAll('.cgmr')]
      .filter((m) => getComputedStyle(m).backgroundImage.includes('coverage-uncovered'))
      .map((m) => numbers.find((n) => Math.abs(n.top - m.getBoundingClientRect().top) < 2)?.line ?? -1)
      .sort((a, b) => a - b);
    const backgrounds = [...editor.querySelectorAll('.view-overlays .cdr')].filter((d) => getComputedStyle(d).backgroundColor === colour).length;
    return { gutter, backgrounds };
  });
}

async function marksAre(page: Page, lines: number[]): Promise<void> {
  await waitFor(
    async () => {
      const m = await marks(page);
      return JSON.stringify(m.gutter) === JSON.stringify(lines) && m.backgrounds === lines.length;
    },
    { what: `coverage marks on lines [${lines.join(', ')}] (now ${JSON.stringify(await marks(page))})`, timeoutMs: 20_000 },
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}; drawn: ${JSON.stringify(await marks(page))}`);
  });
}

describe('coverage gutter in code-server (trusted sample workspace)', () => {
  let s: Session;
  let uncovered: number[];
  before(async () => {
    s = await startSession('coverage-gutter');
    const dir = s.workspace.dir;
    writeFileSync(path.join(dir, 'src', 'lib.js'), lib);
    writeFileSync(path.join(dir, 'some.js'), "const l = require('./src/lib'); l.add(1, 2); l.sign(1);\n");
    writeFileSync(path.join(dir, 'all.js'), "const l = require('./src/lib'); l.add(1, 2); l.sign(1); l.sign(-1); l.unused(2);\n");
    uncovered = c8(dir, 'some.js');
    const config = JSON.parse(readFileSync(path.join(dir, 'tidemark.json'), 'utf8'));
    config.metrics['line-coverage'] = { type: 'numeric', command: '@collect coverage-lcov coverage/lcov.info', unit: 'percent', direction: 'higher-is-better' };
    writeFileSync(path.join(dir, 'tidemark.json'), JSON.stringify(config, null, 2));
  });
  after(async () => s?.stop());

  it('is off by default; the palette toggle marks exactly the lines c8 reports uncovered', () =>
    step(s.page, 'coverage-01-palette-on', async () => {
      await openTidemarkView(s.page);
      await waitFor(async () => (await treeItems(s.page, 'Metrics')).some((r) => r.label === 'line-coverage'), { what: 'the line-coverage metric in the tree' });
      assert.ok(uncovered.length >= 3, `c8 reports uncovered lines: ${uncovered.join(',')}`);
      await saveFile(s.page, 'src/lib.js', lib);
      await waitFor(async () => (await statusBarText(s.page, 'tidemark.coverage')).some((t) => t.includes('Coverage')), { what: 'the coverage status bar item' });
      assert.deepEqual((await marks(s.page)).gutter, [], 'no marks before the toggle');
      await runCommand(s.page, 'Tidemark: Toggle Coverage Gutter');
      await marksAre(s.page, uncovered);
      await waitFor(async () => (await statusBarText(s.page, 'tidemark.coverage')).some((t) => t.includes(`${uncovered.length} uncovered lines`)), {
        what: `"${uncovered.length} uncovered lines" in the status bar`,
      });
    }));

  it("the coverage metric's inline action in the Metrics tree turns it off", () =>
    step(s.page, 'coverage-02-tree-off', async () => {
      await marksAre(s.page, uncovered);
      const row = s.page.locator('.pane .monaco-list-row[role="treeitem"]', { hasText: 'line-coverage' });
      await row.hover();
      await row.locator('.action-label[aria-label="Tidemark: Toggle Coverage Gutter"], .action-label[aria-label="Toggle Coverage Gutter"]').click();
      await marksAre(s.page, []);
    }));

  it('the status bar item turns it on again, and a recorded run with a new report redraws it', () =>
    step(s.page, 'coverage-03-after-run', async () => {
      await s.page.locator('.part.statusbar .statusbar-item[id*="tidemark.coverage"] a, .part.statusbar .statusbar-item[id*="tidemark.coverage"]').first().click();
      await marksAre(s.page, uncovered);
      const fewer = c8(s.workspace.dir, 'all.js');
      assert.ok(fewer.length > 0 && fewer.length < uncovered.length, `${fewer.join(',')} vs ${uncovered.join(',')}`);
      await runCommand(s.page, 'Tidemark: Run All Metrics');
      await marksAre(s.page, fewer);
      await waitFor(async () => (await statusBarText(s.page, 'tidemark.coverage')).some((t) => t.includes(`${fewer.length} uncovered line`)), {
        what: `"${fewer.length} uncovered line(s)" in the status bar`,
      });
    }));
});
