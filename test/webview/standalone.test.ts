/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The exported report in headless Chromium, on a real store: every view shows the store's
 * numbers, charts draw and follow theme switches, hostile strings stay text, nothing is
 * fetched and nothing violates the file's CSP.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { exportReportHtml } from '../../src/core/report/standaloneHtml';
import { CHANGE_WORDS, compareValues, formatDifference, formatPercent } from '../../src/core/analysis/vocabulary';
import { formatValue } from '../../src/core/units';
import { canvasStats, DIST, launch, openPage, openTab, screenshot, type PageProblems } from './browser';
import { createFixture, DEFINITIONS, HOSTILE, type Fixture } from './fixtureStore';

let fixture: Fixture;
let browser: Browser;
let file: string;
let page: Page;
let problems: PageProblems;

before(async () => {
  fixture = await createFixture();
  file = path.join(fixture.dir, 'report.html');
  fs.writeFileSync(file, await exportReportHtml(fixture.source, DIST));
  browser = await launch();
  ({ page, problems } = await openPage(browser, file));
  await page.waitForSelector('.tile');
});

after(async () => {
  await browser?.close();
  await fixture?.close();
});

test('the file is self-contained: data escaped in a JSON script element, CSP without remote sources', () => {
  const html = fs.readFileSync(file, 'utf8');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(csp, /https?:|unsafe-inline|unsafe-eval/);
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=["']?https?:/i, 'nothing loads from the network');
  const data = /<script type="application\/json" id="tidemark-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  assert.ok(data.length > 1000);
  assert.doesNotMatch(data, /[<>&\u2028\u2029]/, 'the inlined JSON carries no raw <, >, & or line separators');
  const parsed = JSON.parse(data) as { meta: { branches: { branch: string }[] } };
  assert.ok(parsed.meta.branches.some((b) => b.branch === HOSTILE.branch), 'the hostile branch survives the escaping');
});

test('Overview: one tile per metric with the latest value of the current branch, and the summary', async () => {
  const latest = await fixture.store.latest({ ref: 'feature/faster' });
  const stats = await fixture.store.stats();
  const tiles = await page.$$eval('.tile', (nodes) =>
    nodes.map((n) => ({ metric: (n as HTMLElement).dataset.metric, title: n.querySelector('.tile-title')!.textContent, value: n.querySelector('.tile-value')!.textContent })),
  );
  assert.equal(tiles.length, DEFINITIONS.length);
  for (const d of DEFINITIONS) {
    const tile = tiles.find((t) => t.metric === d.id);
    assert.ok(tile, `a tile for ${d.id}`);
    assert.equal(tile.title, d.name);
    assert.equal(tile.value, formatValue(latest.find((l) => l.metric === d.id)?.value ?? null, d.unit));
  }
  const summary = (await page.locator('.summary').evaluate((el) => [...el.children].map((c) => c.textContent).join('\n'))).replace(/([a-z])(?=[0-9A-Z])/g, '$1 ');
  assert.match(summary, new RegExp(`Runs\\s+${stats.builds}`));
  assert.match(summary, /Branches\s+3/);
  // By collection status, as the tiles say it: lint-warnings has no value but its runs failed (it did not "never run").
  assert.match(summary, /5 ran ok · 2 last run failed · 0 never ran/);
  // What is compared, in words (never "main vs main" or "no clean run").
  const comparing = await page.locator('.summary-item', { hasText: 'Comparing' }).locator('.summary-value').innerText();
  assert.match(comparing, /^feature\/faster against main at [0-9a-f]{7}$/);
  const never = await page.locator('.tile[data-metric="lint-warnings"] .tile-error').innerText();
  // The error's text alone: that the run failed is the collection channel's to say, once.
  assert.equal(never.replace(/\s+/g, ' ').trim(), HOSTILE.error.replace('\u2028', '').replace(/\s+/g, ' ').trim());
  await screenshot(page, 'overview-dark');
});

test('Overview: the summary says how completely the metrics were recorded over the last 30 days, with the failures as its title', async () => {
  const summary = await fixture.store.summary({
    since: new Date(fixture.now - 30 * 86_400_000).toISOString(),
    until: new Date(fixture.now).toISOString(),
    metrics: DEFINITIONS.map((d) => d.id),
  });
  const count = (status: string) => summary.metrics.filter((m) => m.status === status).length;
  const failing = summary.metrics.filter((m) => m.status !== 'ok');
  assert.ok(failing.length > 0 && count('ok') > 0, 'the fixture has complete and incomplete metrics');
  const part = page.locator('.summary-item', { hasText: 'Last 30 days' });
  assert.equal((await part.locator('.summary-value').innerText()).trim(), `${count('ok')} ok · ${count('partial')} partial · ${count('missing')} missing`);
  const title = (await part.getAttribute('title')) ?? '';
  for (const m of failing) {
    const name = DEFINITIONS.find((d) => d.id === m.metric)?.name ?? m.metric;
    assert.ok(title.includes(`${name}: ${m.status}`), `the title names ${m.metric} as ${m.status}: ${title}`);
  }
  const withNote = failing.find((m) => m.note && !/[\u2028\u2029]/.test(m.note));
  assert.ok(withNote, 'a failure message to show');
  assert.ok(title.includes(withNote.note!), `the title carries the latest failure of ${withNote.metric}`);
});

test('Trends: every metric gets a chart that draws on its canvas', async () => {
  await openTab(page, 'Trends');
  await page.waitForSelector('.chart-card');
  const ids = await page.$$eval('.chart-card', (cards) => cards.map((c) => (c as HTMLElement).dataset.metric!));
  assert.deepEqual([...ids].sort(), DEFINITIONS.map((d) => d.id).sort());
  for (const id of ids) {
    const card = page.locator(`.chart-card[data-metric="${id}"]`);
    await card.scrollIntoViewIfNeeded();
    if (id === 'lint-warnings') {
      assert.match(await card.locator('.chart-empty').innerText(), /^No values in this range/, 'a metric that never succeeded says so instead of drawing empty axes');
      continue;
    }
    await page.waitForSelector(`.chart-card.drawn[data-metric="${id}"]`);
    const stats = await canvasStats(page, `.chart-card[data-metric="${id}"] canvas`);
    assert.ok(stats.drawn > 500, `${id} drew ${stats.drawn} opaque pixels`);
  }
  await page.locator('.chart-card').first().scrollIntoViewIfNeeded();
  await screenshot(page, 'trends-dark');
});

test('Trends: a chart is reachable by keyboard and Enter opens that run in the drill-down', async () => {
  await openTab(page, 'Trends');
  const canvas = page.locator('.chart-card[data-metric="bundle-size"] canvas');
  await canvas.focus();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const [newest] = await fixture.store.builds({ branch: 'feature/faster', dirty: false, limit: 1 });
  const text = await dialog.innerText();
  assert.ok(text.includes(newest.build.commitSha), 'the drill-down shows the full sha of the newest run of the current branch');
  assert.ok(text.includes(formatValue(newest.outcomes.find((o) => o.metric === 'bundle-size')!.value, 'bytes')));
  assert.ok(text.includes('Copy SHA'));
  assert.ok(!text.includes('Compare with'), 'an exported file cannot compare single commits, so it does not offer to');
  await screenshot(page, 'drilldown-dark');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), 'Tab stays inside the dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'CANVAS', 'focus returns to the chart');
});

test('Compare: the table shows store.compare(main, feature/faster), formatted', async () => {
  const expected = await fixture.store.compare('main', 'feature/faster');
  await openTab(page, 'Compare');
  await page.waitForSelector('.compare-table tbody tr[data-metric]');
  const rows = await page.$$eval('.compare-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent!.trim())));
  assert.equal(rows.length, expected.metrics.length);
  for (const m of expected.metrics) {
    const name = DEFINITIONS.find((d) => d.id === m.metric)!.name!;
    const row = rows.find((r) => r[0] === name);
    assert.ok(row, `a row for ${m.metric}`);
    // The core vocabulary's words and rounding (pp for percent metrics), as in the tree and `check`.
    const change = compareValues(m.head, m.base, { unit: m.unit, direction: m.direction });
    const percent = change.percent === null ? '—' : formatPercent(change.percent);
    assert.deepEqual(row.slice(1), [formatValue(m.base, m.unit), formatValue(m.head, m.unit), m.delta === null ? '—' : formatDifference(m.delta, m.unit), percent, CHANGE_WORDS[change.direction]]);
  }
  // The axis reads like the table: "+20%", "0%", "−20%" (one precision, no "−0", no duplicates).
  const ticks = JSON.parse((await page.getAttribute('.compare-chart canvas', 'data-x-ticks')) ?? '[]') as string[];
  assert.ok(ticks.length >= 3, `ticks: ${ticks.join(' | ')}`);
  assert.equal(new Set(ticks).size, ticks.length, `no two ticks read the same: ${ticks.join(' | ')}`);
  for (const t of ticks) assert.match(t, /^(0|[+−]\d+(\.\d+)?)%$/, `tick "${t}"`);
  assert.equal(new Set(ticks.filter((t) => t !== '0%').map((t) => t.split('.')[1]?.length ?? 0)).size, 1, `one precision on every tick: ${ticks.join(' | ')}`);
  // As many decimals as the step needs: whole steps read without any.
  const values = ticks.map((t) => Number(t.replace('−', '-').replace(/[+%]/g, '')));
  if (values.slice(1).every((v, i) => Number.isInteger(v - values[i]))) assert.ok(ticks.every((t) => !t.includes('.')), `whole steps, whole labels: ${ticks.join(' | ')}`);
  const bars = await canvasStats(page, '.compare-chart canvas');
  assert.ok(bars.drawn > 500, 'the relative-change bar chart draws');
  await screenshot(page, 'compare-dark');
});

test('Compare: sorting by Change % orders the rows by the numbers and says so to assistive tech', async () => {
  await openTab(page, 'Compare');
  await page.getByRole('button', { name: 'Sort by Change %' }).click();
  const header = page.locator('th', { has: page.getByRole('button', { name: 'Sort by Change %' }) });
  assert.equal(await header.getAttribute('aria-sort'), 'ascending');
  const expected = (await fixture.store.compare('main', 'feature/faster')).metrics
    .map((m) => compareValues(m.head, m.base, { unit: m.unit, direction: m.direction }).percent)
    .filter((p) => p !== null)
    .sort((a, b) => a - b)
    .map((p) => formatPercent(p));
  const shown = await page.$$eval('.compare-table tbody tr td:nth-child(5)', (cells) => cells.map((c) => c.textContent!.trim()));
  assert.deepEqual(shown.slice(0, expected.length), expected);
});

test('theme switch: charts are re-coloured from the new theme variables', async () => {
  await openTab(page, 'Trends');
  const selector = '.chart-card[data-metric="coverage"] canvas';
  await page.locator(selector).scrollIntoViewIfNeeded();
  const before = await canvasStats(page, selector);
  const darkBlue = '3,9,15'; // --vscode-charts-blue #3794ff, 4 bits per channel
  assert.ok((before.colours[darkBlue] ?? 0) > 50, 'the dark theme line colour is drawn');
  await page.evaluate(() => document.body.classList.replace('vscode-dark', 'vscode-light'));
  const lightBlue = '1,8,15'; // --vscode-charts-blue #1a85ff
  await page.waitForFunction(
    ({ sel, colour }) => {
      const c = document.querySelector(sel) as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] >= 200 && `${data[i] >> 4},${data[i + 1] >> 4},${data[i + 2] >> 4}` === colour) n++;
      return n > 50;
    },
    { sel: selector, colour: lightBlue },
  );
  const after = await canvasStats(page, selector);
  assert.ok((after.colours[darkBlue] ?? 0) < (before.colours[darkBlue] ?? 0) / 4, 'the dark line colour is gone');
  await page.locator('.chart-card').first().scrollIntoViewIfNeeded();
  await screenshot(page, 'trends-light');
  await openTab(page, 'Overview');
  await screenshot(page, 'overview-light');
  await page.evaluate(() => document.body.classList.replace('vscode-light', 'vscode-high-contrast'));
  await openTab(page, 'Compare');
  await screenshot(page, 'compare-high-contrast');
  await page.evaluate(() => document.body.classList.replace('vscode-high-contrast', 'vscode-dark'));
});

test('hostile names, labels, branches and messages appear literally and nothing executes', async () => {
  await openTab(page, 'Overview');
  const text = await page.evaluate(() => document.body.innerText);
  assert.ok(text.includes(HOSTILE.metricName), 'metric name shown as text');
  assert.ok(text.includes(HOSTILE.label), 'label value shown as text');
  assert.ok(text.includes(HOSTILE.folder), 'folder name shown as text');
  await openTab(page, 'Trends');
  const legend = await page.locator('vscode-multi-select').evaluate((el) => el.textContent);
  assert.ok(legend?.includes(HOSTILE.branch), 'hostile branch listed literally in the branch picker');
  const injected = await page.evaluate(() => ({
    images: document.querySelectorAll('img').length,
    scripts: [...document.querySelectorAll('script')].map((s) => s.type || 'js'),
    bold: document.querySelectorAll('b, svg').length,
  }));
  assert.deepEqual(injected, { images: 0, scripts: ['application/json', 'js'], bold: 0 });
  assert.deepEqual(problems.dialogs, [], 'no alert() ran');
  assert.deepEqual(problems.errors, [], 'no page errors or CSP violations');
  assert.deepEqual(problems.requests, [], 'no network requests');
  assert.equal(await page.title(), `Tidemark report · ${HOSTILE.folder}`);
});

test('narrow width: one column of tiles and no horizontal scrolling', async () => {
  const narrow = await openPage(browser, file, { width: 360, height: 800, colorScheme: 'light' });
  await narrow.page.waitForSelector('.tile');
  const overflow = await narrow.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
  assert.equal(await narrow.page.evaluate(() => document.body.className), 'vscode-light', 'the file follows the system light theme');
  await screenshot(narrow.page, 'overview-narrow-light');
  await narrow.page.context().close();
});
