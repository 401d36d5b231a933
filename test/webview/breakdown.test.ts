/// <reference lib="dom" />
/**
 * The report's Compare names the files that moved a metric: a real git repository where a
 * branch adds one file and grows another, collected by the built CLI, exported as the
 * standalone report and opened in headless Chromium.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { exportReportHtml } from '../../src/core/report/standaloneHtml';
import type { StoreApi } from '../../src/core/store/api';
import { openStore } from '../../src/core/store/sqlStore';
import { formatDelta } from '../../src/core/units';
import { DIST, launch, openPage, openTab, screenshot, type PageProblems } from './browser';

let dir: string;
let repo: string;
let store: StoreApi;
let browser: Browser;
let page: Page;
let problems: PageProblems;

const CLI = path.join(DIST, 'cli.js');
const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: repo, encoding: 'utf8' });
const write = (rel: string, text: string): void => {
  fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
  fs.writeFileSync(path.join(repo, rel), text);
};
const collect = (): void => {
  const run = spawnSync('node', [CLI, 'collect'], { cwd: repo, encoding: 'utf8', env: { ...process.env, CI: '', GITHUB_HEAD_REF: '', GITHUB_REF_NAME: '' } });
  assert.equal(run.status, 0, run.stderr);
};

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
  repo = path.join(dir, 'repo');
  fs.mkdirSync(repo);
  git('init', '-q', '-b', 'main');
  write('.gitignore', '.tidemark/\n');
  write('tidemark.json', JSON.stringify({ metrics: { 'bundle-size': { type: 'numeric', name: 'Bundle size', command: '@collect size "dist/**/*.js"', unit: 'bytes', direction: 'lower-is-better' } } }));
  write('dist/app.js', 'console.log("app");\n'.repeat(50));
  write('dist/vendor.js', 'var v = 1;\n'.repeat(300));
  git('add', '-A');
  git('commit', '-qm', 'main');
  collect();
  git('checkout', '-qb', 'feature/charts');
  write('dist/app.js', 'console.log("app");\n'.repeat(60));
  write('dist/chunk-charts.js', 'drawChart();\n'.repeat(80));
  git('add', '-A');
  git('commit', '-qm', 'charts');
  collect();

  store = await openStore(path.join(repo, '.tidemark', 'tidemark.db'));
  const source = { store, folderName: 'repo', currentBranch: async () => 'feature/charts', referenceBranch: async () => 'main', now: () => Date.now() };
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, await exportReportHtml(source, DIST, { view: 'compare', base: 'main', head: 'feature/charts' }));
  browser = await launch();
  ({ page, problems } = await openPage(browser, file));
});

after(async () => {
  await browser?.close();
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('Compare lists the new chunk and the grown file under the metric, with their sizes', async () => {
  await openTab(page, 'Compare');
  const partsRow = page.locator('.compare-table tr.parts-row[data-parts-of="bundle-size"]');
  await partsRow.waitFor();
  const items = await partsRow.locator('li').allInnerTexts();
  const added = fs.statSync(path.join(repo, 'dist/chunk-charts.js')).size;
  const grown = 10 * 'console.log("app");\n'.length;
  assert.deepEqual(items, [`dist/chunk-charts.js ${formatDelta(added, 'bytes')} (new)`, `dist/app.js ${formatDelta(grown, 'bytes')}`]);
  const metricRow = await page.$$eval('.compare-table tr[data-metric="bundle-size"] td', (tds) => tds.map((td) => td.textContent!.trim()));
  assert.equal(metricRow[2], formatDelta(added + grown, 'bytes'));
  assert.match(await partsRow.innerText(), /^Files that moved it:/);
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.requests, []);
  await page.locator('.compare-table').scrollIntoViewIfNeeded();
  await screenshot(page, 'compare-files');
});
