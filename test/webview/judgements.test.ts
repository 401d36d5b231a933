/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Judgements (threshold rules) in the exported report, from a real git repository, a real store and a
 * tidemark.json with a budget: the Trends chart draws the budget line at its height, and
 * Compare's Thresholds column says why the head fails.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { evaluate } from '../../src/core/analysis';
import { parseConfig } from '../../src/core/config';
import type { ReportSource } from '../../src/core/report/backend';
import { exportReportHtml } from '../../src/core/report/standaloneHtml';
import { openStore } from '../../src/core/store';
import type { StoreApi } from '../../src/core/store/api';
import type { TidemarkConfig } from '../../src/core/types';
import { DIST, launch, openPage, openTab, screenshot } from './browser';

const CONFIG = `{
  "baseline": { "referenceBranch": "main" },
  "metrics": {
    "bundle-size": { "type": "numeric", "command": "true", "unit": "bytes", "direction": "lower-is-better", "name": "Bundle size",
      "thresholds": { "max": "250 kB", "maxIncreasePercent": 10 } }
  }
}`;

let dir: string;
let store: StoreApi;
let config: TidemarkConfig;
let source: ReportSource;
let browser: Browser;
let page: Page;

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' }).trim();
}

async function commitAndRecord(message: string, branch: string, value: number, hoursAgo: number): Promise<void> {
  fs.writeFileSync(path.join(dir, `${message}.txt`), message);
  git('add', `${message}.txt`);
  git('commit', '-qm', message);
  const outcome = await store.recordBuild({
    build: { commitSha: git('rev-parse', 'HEAD'), branch, runId: `run-${message}`, event: 'ci', timestamp: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(), dirty: false },
    definitions: [{ id: 'bundle-size', type: 'numeric', unit: 'bytes', direction: 'lower-is-better', name: 'Bundle size' }],
    results: [{ metric: 'bundle-size', status: 'ok', value, durationMs: 1 }],
  });
  assert.deepEqual(outcome.rejected, []);
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  fs.writeFileSync(path.join(dir, 'tidemark.json'), CONFIG);
  const parsed = parseConfig(CONFIG);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  config = parsed.config;
  store = await openStore(path.join(dir, 'tidemark.db'));
  await commitAndRecord('one', 'main', 200_000, 5);
  await commitAndRecord('two', 'main', 205_000, 4);
  await commitAndRecord('three', 'main', 210_000, 3);
  git('checkout', '-qb', 'feature');
  await commitAndRecord('four', 'feature', 300_000, 1);
  source = { store, folderName: 'repo', cwd: dir, config, currentBranch: async () => 'feature', referenceBranch: async () => 'main' };
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, await exportReportHtml(source, DIST));
  browser = await launch();
  ({ page } = await openPage(browser, file));
  await page.waitForSelector('.tile');
});

after(async () => {
  await browser?.close();
  await store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Parses a #rrggbb theme variable of the page into [r, g, b]. */
async function themeColour(name: string): Promise<number[]> {
  const value = await page.evaluate((n) => getComputedStyle(document.body).getPropertyValue(n).trim(), name);
  const hex = /^#([0-9a-f]{6})/i.exec(value);
  assert.ok(hex, `${name} is a hex colour (${value})`);
  return [0, 2, 4].map((i) => parseInt(hex[1].slice(i, i + 2), 16));
}

test('Trends: the chart of a metric over its budget draws the dashed budget line between the head and the baseline values', async () => {
  await openTab(page, 'Trends');
  // Over the last 90 days by time, the newest runs of both branches are at the right edge
  // (the default commit axis puts the feature after its fork point, and "all" spans only these hours).
  await page.locator('.chips[aria-label="X axis"] .chip', { hasText: 'Time' }).click();
  await page.waitForSelector('.trends[data-axis="time"] .chart-card.drawn[data-metric="bundle-size"]');
  const before = await page.getAttribute('.chart-card[data-metric="bundle-size"] canvas', 'data-x-ticks');
  await page.locator('.chips[aria-label="Time range"] .chip', { hasText: '90d' }).click();
  await page.waitForFunction((old) => document.querySelector('.chart-card[data-metric="bundle-size"] canvas')?.getAttribute('data-x-ticks') !== old, before);
  const canvas = page.locator('.chart-card[data-metric="bundle-size"] canvas');
  assert.match((await canvas.getAttribute('aria-label')) ?? '', /budget 250 kB, upper limit 231 kB; head fail/);
  const red = await themeColour('--vscode-charts-red');
  // The current branch draws in the palette's first colour, the reference branch in its second.
  const head = await themeColour('--vscode-charts-blue');
  const reference = await themeColour('--vscode-charts-purple');
  // Per canvas row: pixels in the budget colour, and the branches' colours near the right edge,
  // where the newest runs are (the legend below the plot is centred and stays left of it).
  const rows = await canvas.evaluate((node, colours) => {
    const c = node as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const near = (i: number, rgb: number[]) => data[i + 3] > 200 && rgb.every((v, k) => Math.abs(data[i + k] - v) < 24);
    const out: { red: number; head: number; reference: number }[] = [];
    for (let y = 0; y < c.height; y++) {
      const row = { red: 0, head: 0, reference: 0 };
      for (let x = 0; x < c.width; x++) {
        const i = (y * c.width + x) * 4;
        if (near(i, colours.red)) row.red++;
        if (x < c.width * 0.85) continue;
        if (near(i, colours.head)) row.head++;
        if (near(i, colours.reference)) row.reference++;
      }
      out.push(row);
    }
    return { width: c.width, rows: out };
  }, { red, head, reference });
  const budgetY = rows.rows.reduce((best, row, y) => (row.red > rows.rows[best].red ? y : best), 0);
  assert.ok(rows.rows[budgetY].red > rows.width * 0.4, `a dashed line spans the plot (${rows.rows[budgetY].red} of ${rows.width} pixels in row ${budgetY})`);
  const headRows = rows.rows.flatMap((row, y) => (row.head > 0 ? [y] : []));
  const referenceRows = rows.rows.flatMap((row, y) => (row.reference > 0 ? [y] : []));
  assert.ok(headRows.length > 0 && referenceRows.length > 0, 'both branches draw their newest runs');
  // The head (300 kB) lies above the 250 kB budget, the main runs (≤ 210 kB) below it.
  assert.ok(Math.max(...headRows) < budgetY, `the head value is drawn above the budget line (rows ${Math.min(...headRows)}–${Math.max(...headRows)}, budget ${budgetY})`);
  assert.ok(Math.min(...referenceRows) > budgetY, `the main runs are drawn below the budget line (from row ${Math.min(...referenceRows)}, budget ${budgetY})`);
  await canvas.scrollIntoViewIfNeeded();
  await screenshot(page, 'judgements-trends-budget');
});

test('Compare: the Thresholds column says it fails a threshold with evaluate()\'s explanation; the direction stays a direction', async () => {
  // Compare opens on feature against its baseline run (main at the merge-base): the judgement is
  // the one the tree and `check` give, in the same words.
  const evaluation = await evaluate({ cwd: dir, store, config, head: 'feature' });
  const mergeBase = evaluation.baseline?.build.commitSha;
  assert.ok(mergeBase);
  const failed = evaluation.metrics[0].checks.filter((c) => c.status === 'fail');
  assert.ok(failed.length > 0);
  await openTab(page, 'Compare');
  await page.waitForSelector('.compare-table tbody tr[data-metric="bundle-size"]');
  assert.match((await page.locator('.compare .sides').innerText()).trim(), new RegExp(`^main at ${mergeBase.slice(0, 7)} \\(baseline\\) → feature @ `));
  const headers = await page.$$eval('.compare-table thead th', (ths) => ths.map((th) => th.textContent!.trim()));
  assert.deepEqual(headers.slice(-2), ['Direction', 'Thresholds']);
  const row = page.locator('.compare-table tbody tr[data-metric="bundle-size"]');
  assert.equal((await row.locator('td.direction').innerText()).trim(), 'worse');
  const cell = row.locator('td.check');
  assert.equal((await cell.innerText()).trim(), 'fails a threshold');
  assert.equal(await cell.locator('.codicon-error').count(), 1);
  const explanation = failed.map((c) => c.explanation).join(' · ');
  assert.match(explanation, /250 kB/);
  assert.equal(await cell.getAttribute('title'), explanation);
  assert.equal(await cell.getAttribute('aria-label'), `fails a threshold: ${explanation}`);
  await screenshot(page, 'judgements-compare-check');
});
