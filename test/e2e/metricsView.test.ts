// The Metrics view, the status bar, run on save and config feedback, as a user sees them in
// code-server, checked against what the CLI reads from the extension's own store.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { formatValue } from '../../src/core/units';
import type { Unit } from '../../src/core/types';
import { SAMPLE_CONFIG } from '../fixtures/makeSampleWorkspace';
import { repoRoot } from './harness/paths';
import { storeFile } from './extensionStore';
import { startSession, type Session } from './harness/session';
import { openTidemarkView } from './tidemarkView';
import { waitFor } from './harness/waitFor';
import { chooseMenuAction, clickDialogButton, notifications, openQuickInput, quickPick, runCommand, saveFile, screenshot, statusBarText, step, treeItems } from './harness/workbench';

interface HistoryPoint {
  value: number | string;
  event: string;
  dirty: boolean;
  runNumber: number;
}

const metricIds = Object.keys(SAMPLE_CONFIG.metrics);

/** `tidemark history METRIC --json` on the store the extension wrote. */
function cliHistory(db: string, metric: string): { unit: Unit | null; points: HistoryPoint[] } {
  const out = execFileSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'history', metric, '--json', '--db', db], { encoding: 'utf8' });
  return JSON.parse(out);
}

async function metricRows(page: Page) {
  return (await treeItems(page, 'Metrics')).filter((r) => r.level === 2);
}

/** Tree descriptions and status bar text the view must show for the latest recorded values. */
function expectedReadings(db: string): Map<string, string> {
  return new Map(
    metricIds.map((id) => {
      const { unit, points } = cliHistory(db, id);
      return [id, formatValue(points[points.length - 1].value, unit)];
    }),
  );
}

describe('Metrics view and status bar in code-server (trusted sample workspace)', () => {
  let s: Session;
  let db: string;
  before(async () => {
    s = await startSession('metrics-view');
  });
  after(async () => {
    await s?.stop();
  });

  it('lists every configured metric under the folder, never run', async () => {
    await step(s.page, 'ui-01-never-run', async () => {
      await openTidemarkView(s.page);
      const rows = await waitFor(async () => ((await metricRows(s.page)).length === metricIds.length ? metricRows(s.page) : undefined), {
        what: 'the four sample metrics in the Metrics view',
      });
      assert.deepEqual(rows.map((r) => r.label).sort(), [...metricIds].sort());
      assert.deepEqual(rows.map((r) => r.label), metricIds, 'in config order');
      assert.ok(rows.every((r) => r.description === 'never ran'), JSON.stringify(rows));
    });
  });

  it('Run All Metrics shows the recorded values in the tree and the status bar', async () => {
    await step(s.page, 'ui-02-run-all', async () => {
      await runCommand(s.page, 'Tidemark: Run All Metrics');
      db = await waitFor(() => storeFile(s), { what: "the extension's store in the workspace storage" });
      await waitFor(() => metricIds.every((id) => cliHistory(db, id).points.length === 1), { what: 'one recorded value per metric', timeoutMs: 30_000 });
      const expected = expectedReadings(db);
      // The first clean run on main is its own baseline: unchanged, so only the value is shown.
      await waitFor(
        async () => {
          const rows = await metricRows(s.page);
          return rows.length === metricIds.length && rows.every((r) => r.description === expected.get(r.label));
        },
        { what: `tree descriptions ${JSON.stringify([...expected])}` },
      );
      // The default pinned metric is one with a direction, not the label or a timing.
      const bundle = expected.get('bundle-size');
      await waitFor(async () => (await statusBarText(s.page, 'tidemark')).some((t) => t === `bundle-size ${bundle}`), {
        what: `the status bar to show bundle-size ${bundle}`,
      });
      const history = cliHistory(db, 'bundle-size').points[0];
      assert.equal(history.event, 'manual');
      assert.equal(history.dirty, false);
    });
  });

  it('saving a matching file records a save run and the status bar shows the change', async () => {
    await step(s.page, 'ui-03-run-on-save', async () => {
      const app = readFileSync(path.join(s.workspace.dir, 'src/app.js'), 'utf8');
      await saveFile(s.page, 'src/app.js', `${app}export const extra = [${'1, '.repeat(200)}];\n`);
      const points = await waitFor(
        () => {
          const p = cliHistory(db, 'bundle-size').points;
          return p.length === 2 ? p : undefined;
        },
        { what: 'a second bundle-size value recorded after the save', timeoutMs: 30_000 },
      );
      assert.equal(points[1].event, 'save');
      assert.equal(points[1].dirty, true);
      assert.ok(Number(points[1].value) > Number(points[0].value));
      // coverage.txt and test-status.txt did not change: their metrics were not run.
      assert.equal(cliHistory(db, 'coverage').points.length, 1);
      const now = formatValue(points[1].value, 'bytes');
      const percent = (((Number(points[1].value) - Number(points[0].value)) / Number(points[0].value)) * 100).toFixed(1);
      await waitFor(async () => (await statusBarText(s.page, 'tidemark')).includes(`bundle-size ${now} ▲ ${percent}%`), {
        what: `the status bar to show bundle-size ${now} ▲ ${percent}%`,
      });
      // The tree renders from the same folder state, but draws on its own schedule.
      await waitFor(async () => (await metricRows(s.page)).find((r) => r.label === 'bundle-size')?.description === `${now} ▲ ${percent}%`, {
        what: `the tree to show bundle-size ${now} ▲ ${percent}%`,
      });
      // Worse, but no threshold: news, not an error — no warning or error background.
      const item = s.page.locator('.part.statusbar .statusbar-item[id*="tidemark"]').first();
      assert.doesNotMatch((await item.getAttribute('class')) ?? '', /warning-kind|error-kind/);
      assert.match((await item.getAttribute('aria-label')) ?? '', /against the baseline, worse/);
      assert.deepEqual((await notifications(s.page)).filter((n) => /tidemark|metric/i.test(n)), [], 'a run on save showed a notification');
    });
    await step(s.page, 'ui-04-recent-runs', async () => {
      // Expanding the metric lists its runs, newest first.
      await s.page.locator('.monaco-list-row[aria-level="2"]', { hasText: 'bundle-size' }).locator('.monaco-tl-twistie').click();
      const points = cliHistory(db, 'bundle-size').points;
      const expected = [...points].reverse().map((p) => `#${p.runNumber} ${formatValue(p.value, 'bytes')}`);
      await waitFor(async () => (await treeItems(s.page, 'Metrics')).filter((r) => r.level === 3).map((r) => r.label).join() === expected.join(), {
        what: `the runs ${expected.join(', ')} under bundle-size`,
      });
      const runs = (await treeItems(s.page, 'Metrics')).filter((r) => r.level === 3);
      // Short enough for the sidebar: age and branch (a * for uncommitted changes).
      assert.match(runs[0].description, / · main\*$/);
      assert.match(runs[1].description, / · main$/);
    });
    await s.page.locator('.monaco-list-row[aria-level="2"]', { hasText: 'bundle-size' }).locator('.monaco-tl-twistie').click();
  });

  it('the metric tooltip says in sentences: the value and its change, the last run, the baseline, the command', async () => {
    await step(s.page, 'ui-05-tooltip', async () => {
      await s.page.locator('.monaco-list-row[aria-level="2"]', { hasText: 'bundle-size' }).hover();
      const hover = s.page.locator('.monaco-hover .markdown-hover, .monaco-hover .hover-contents').first();
      await hover.waitFor({ state: 'visible', timeout: 10_000 });
      const text = (await hover.textContent()) ?? '';
      assert.ok(text.includes(SAMPLE_CONFIG.metrics['bundle-size'].command), text);
      assert.match(text, /Now .+, \+.+ \(\+\d+\.\d%\) against the baseline, worse\./);
      assert.match(text, /Last run .+ \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\): ran ok/);
      assert.match(text, /Baseline: .+ from run #1 on main @ [0-9a-f]{7}/);
      await screenshot(s.page, 'ui-05-tooltip-hover');
    });
    await s.page.mouse.move(900, 600);
  });

  it('an invalid tidemark.json is reported at its line in Problems, and nothing runs', async () => {
    const configPath = path.join(s.workspace.dir, 'tidemark.json');
    const valid = readFileSync(configPath, 'utf8');
    const invalid = valid.replace('"command": "cat coverage.txt",', '"command": "cat coverage.txt",\n      "timeout": "soon",');
    const line = invalid.split('\n').findIndex((l) => l.includes('"soon"')) + 1;
    await step(s.page, 'ui-06-invalid-config', async () => {
      // Written from outside the editor: the file watcher must pick the change up.
      writeFileSync(configPath, invalid);
      await waitFor(async () => (await treeItems(s.page, 'Metrics')).some((r) => r.label === 'tidemark.json has 1 problem'), {
        what: 'the "tidemark.json has 1 problem" item in the Metrics view',
      });
      await s.page.locator('.monaco-list-row', { hasText: 'tidemark.json has 1 problem' }).click();
      const problem = await waitFor(
        async () => (await s.page.$$eval('.markers-panel .monaco-list-row', (rows) => rows.map((r) => (r.textContent ?? '').trim()))).find((t) => t.includes('metrics.coverage.timeout')),
        { what: 'the timeout problem in the Problems view' },
      );
      assert.match(problem, new RegExp(`\\[Ln ${line}, Col \\d+\\]`), problem);
      const before = cliHistory(db, 'coverage').points.length;
      await runCommand(s.page, 'Tidemark: Run All Metrics');
      await waitFor(async () => (await notifications(s.page)).some((n) => /^Fix the problems in .+'s tidemark\.json first\.$/.test(n)), {
        what: 'a notification that says to fix the config',
      });
      assert.equal(cliHistory(db, 'coverage').points.length, before, 'a metric ran with an invalid config');
    });
    writeFileSync(configPath, valid);
    // The metrics' definitions are what they were: their values are not outdated.
    await waitFor(async () => (await metricRows(s.page)).filter((r) => !r.description.includes('outdated')).length === metricIds.length, {
      what: 'the metrics back in the view, not outdated, after fixing the config',
    });
  });

  it('history is still shown after the window reloads', async () => {
    await step(s.page, 'ui-07-after-reload', async () => {
      const expected = expectedReadings(db);
      await s.page.reload();
      await s.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
      await openTidemarkView(s.page);
      await waitFor(
        async () => {
          const rows = await metricRows(s.page);
          return rows.length === metricIds.length && rows.every((r) => r.description.startsWith(expected.get(r.label) ?? '?'));
        },
        { what: `tree values ${JSON.stringify([...expected])} after the reload` },
      );
    });
  });

  it("the row's context menu pins another metric to the status bar", async () => {
    await step(s.page, 'ui-08-pin', async () => {
      // Not an inline action: two (run, chart) leave a hovered row room for its description.
      const row = s.page.locator('.monaco-list-row[aria-level="2"]', { hasText: 'coverage' });
      await row.click({ button: 'right' });
      await chooseMenuAction(s.page, 'Pin Metric to Status Bar…');
      // code-server's context menu may call it without the row: then it asks which metric.
      const asks = await waitFor(async () => ((await openQuickInput(s.page))?.placeholder === 'Show which metric in the status bar?' ? 'asks' : (await statusBarText(s.page, 'tidemark')).some((t) => t.includes('coverage')) ? 'pinned' : undefined), {
        what: 'the pin to ask or to show coverage',
      });
      if (asks === 'asks') await quickPick(s.page, 'coverage');
      const coverage = expectedReadings(db).get('coverage');
      await waitFor(async () => (await statusBarText(s.page, 'tidemark')).includes(`coverage ${coverage}`), {
        what: `the status bar to show coverage ${coverage}`,
      });
    });
  });

  it('a failing on-demand run shows one message whose Show Log opens the log', async () => {
    const configPath = path.join(s.workspace.dir, 'tidemark.json');
    const valid = readFileSync(configPath, 'utf8');
    const config = JSON.parse(valid);
    config.metrics.broken = { type: 'numeric', command: 'echo "no such tool" >&2; exit 3' };
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    await step(s.page, 'ui-09-failed-run', async () => {
      await waitFor(async () => (await metricRows(s.page)).some((r) => r.label === 'broken'), { what: 'the broken metric in the view' });
      await runCommand(s.page, 'Tidemark: Run Metric…');
      const row = s.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'broken' });
      await row.first().click();
      const toast = s.page.locator('.notification-toast', { hasText: '1 of 1 metric failed: broken.' });
      await toast.waitFor({ state: 'visible', timeout: 30_000 });
      await waitFor(async () => (await metricRows(s.page)).find((r) => r.label === 'broken')?.description === 'failed', { what: 'broken to show failed' });
      await toast.locator('.monaco-button', { hasText: 'Show Log' }).click();
      await waitFor(async () => ((await s.page.locator('.part.panel').textContent()) ?? '').includes('broken'), { what: 'the Tidemark log in the panel' });
    });
    writeFileSync(configPath, valid);
    await waitFor(async () => !(await metricRows(s.page)).some((r) => r.label === 'broken'), { what: 'the broken metric to go' });
  });

  it('Export History writes the recorded values as JSONL where the user says', async () => {
    await step(s.page, 'ui-10-export-history', async () => {
      const values = metricIds.reduce((n, id) => n + cliHistory(db, id).points.length, 0);
      const target = path.join(s.workspace.dir, 'tidemark-history-workspace.jsonl');
      await runCommand(s.page, 'Tidemark: Export History…');
      // code-server's save dialog is a quick input holding the proposed path.
      const input = s.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await waitFor(async () => (await input.inputValue()) === target, { what: `the save dialog to propose ${target}`, timeoutMs: 10_000 });
      await s.page.keyboard.press('Enter');
      const lines = await waitFor(() => (existsSync(target) ? readFileSync(target, 'utf8').trim().split('\n') : undefined), { what: `${target} to be written` });
      assert.equal(lines.length, values);
      await waitFor(async () => (await notifications(s.page)).some((n) => n.startsWith(`Exported ${values} values`)), { what: 'the export notification' });
      rmSync(target);
    });
  });

  it('Clear History asks how many runs it deletes, then deletes them', async () => {
    await step(s.page, 'ui-11-clear-history', async () => {
      // This scenario made three runs: Run All, the save, and the failed run (which has no value).
      const runs = 3;
      assert.equal(new Set(metricIds.flatMap((id) => cliHistory(db, id).points.map((p) => p.runNumber))).size, runs - 1);
      await runCommand(s.page, 'Tidemark: Clear History…');
      const dialog = s.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 10_000 });
      assert.match((await dialog.textContent()) ?? '', new RegExp(`Delete all ${runs} recorded runs of workspace\\?`));
      await screenshot(s.page, 'ui-11-clear-history-confirm');
      await clickDialogButton(s.page, `Delete ${runs} Runs`);
      await waitFor(() => metricIds.every((id) => cliHistory(db, id).points.length === 0), { what: 'the history to be empty' });
      await waitFor(async () => (await metricRows(s.page)).every((r) => r.description === 'never ran'), { what: 'every metric to show never ran' });
    });
  });

  it('Create Config writes a starter tidemark.json in a folder without one', async () => {
    await step(s.page, 'ui-12-create-config', async () => {
      const configPath = path.join(s.workspace.dir, 'tidemark.json');
      rmSync(configPath);
      const welcome = s.page.locator('.welcome-view-content', { hasText: 'No tidemark.json' });
      await welcome.waitFor({ state: 'visible', timeout: 30_000 });
      await welcome.locator('.monaco-button', { hasText: 'Create Config' }).click();
      const created = await waitFor(() => existsSync(configPath) && JSON.parse(readFileSync(configPath, 'utf8')), { what: 'tidemark.json to be created' });
      const ids = Object.keys(created.metrics).sort();
      // The sample has JavaScript sources: a line count at least is proposed.
      assert.ok(ids.length > 0, JSON.stringify(created));
      await s.page.locator('.tabs-container .tab.active[aria-label^="tidemark.json"]').waitFor({ state: 'visible', timeout: 10_000 });
      await waitFor(async () => (await metricRows(s.page)).map((r) => r.label).sort().join() === ids.join(), {
        what: `the created metrics ${ids.join(', ')} in the Metrics view`,
      });
    });
  });
});
