/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The report as the VS Code panel runs it (panelPage.ts: the panel's page in headless Chromium,
 * talking to the real ReportHost). Covers the handshake, validation on both ends,
 * live updates when a run is recorded, and the empty state's Run All Metrics button.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { formatValue } from '../../src/core/units';
import { launch, openTab, screenshot, until } from './browser';
import { createFixture, DEFINITIONS, HOSTILE, sha } from './fixtureStore';
import { openPanel } from './panelPage';

let browser: Browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('panel: ready handshake, Overview over the message channel, nothing rejected or blocked', async () => {
  const fixture = await createFixture({ runs: 20 });
  try {
    const panel = await openPanel(browser, fixture);
    await panel.page.waitForSelector('.tile');
    const latest = await fixture.store.latest({ ref: 'feature/faster' });
    const size = await panel.page.locator('.tile[data-metric="bundle-size"] .tile-value').innerText();
    assert.equal(size, formatValue(latest.find((l) => l.metric === 'bundle-size')!.value, 'bytes'));
    assert.equal(await panel.page.locator('.tile').count(), DEFINITIONS.length);
    await screenshot(panel.page, 'panel-overview');
    const text = await panel.page.evaluate(() => document.body.innerText);
    for (const hostile of [HOSTILE.metricName, HOSTILE.label]) assert.ok(text.includes(hostile), `${hostile} shown literally`);
    await openTab(panel.page, 'Trends');
    assert.ok((await panel.page.locator('vscode-multi-select').evaluate((el) => el.textContent))?.includes(HOSTILE.branch));
    assert.equal(await panel.page.evaluate(() => document.querySelectorAll('img, b, svg').length), 0, 'no element made from data');
    assert.deepEqual(panel.problems.errors, []);
    assert.deepEqual(panel.problems.dialogs, []);
    assert.deepEqual(panel.hostLog.filter((l) => /rejected|failed/.test(l)), []);
    await panel.page.context().close();
  } finally {
    await fixture.close();
  }
});

test('panel: a recorded run updates the open Trends view in place (same canvas, scroll and selection kept)', async () => {
  const fixture = await createFixture({ runs: 20 });
  try {
    const panel = await openPanel(browser, fixture);
    await panel.page.waitForSelector('.tile');
    await openTab(panel.page, 'Trends');
    const card = panel.page.locator('.chart-card[data-metric="loc"]');
    await card.scrollIntoViewIfNeeded();
    await panel.page.waitForSelector('.chart-card.drawn[data-metric="loc"]');
    const before = await panel.page.evaluate(() => {
      const canvas = document.querySelector('.chart-card[data-metric="loc"] canvas') as HTMLCanvasElement & { marker?: string };
      canvas.marker = 'original';
      return { scroll: window.scrollY, caption: document.querySelector('.chart-card[data-metric="loc"] .chart-caption')!.textContent };
    });
    const selectedBefore = await panel.page.locator('vscode-multi-select').evaluate((el) => [...(el as unknown as { value: string[] }).value].sort());

    const { build } = await fixture.store.recordBuild({
      build: { commitSha: sha(999), branch: 'feature/faster', runId: 'live-run', event: 'manual', timestamp: new Date(fixture.now - 60_000).toISOString(), dirty: false },
      definitions: DEFINITIONS,
      results: [{ metric: 'loc', status: 'ok', value: 25_000, durationMs: 10 }],
    });
    await panel.host.runRecorded(build.id);

    await panel.page.waitForFunction(
      (old) => document.querySelector('.chart-card[data-metric="loc"] .chart-caption')!.textContent !== old,
      before.caption,
    );
    const after = await panel.page.evaluate(() => ({
      scroll: window.scrollY,
      caption: document.querySelector('.chart-card[data-metric="loc"] .chart-caption')!.textContent,
      sameCanvas: (document.querySelector('.chart-card[data-metric="loc"] canvas') as HTMLCanvasElement & { marker?: string }).marker === 'original',
    }));
    assert.match(before.caption!, /^(\d+) values/);
    assert.equal(Number(/^(\d+)/.exec(after.caption!)![1]), Number(/^(\d+)/.exec(before.caption!)![1]) + 1, 'one more value on the chart');
    assert.ok(after.sameCanvas, 'the chart was updated, not rebuilt');
    assert.equal(after.scroll, before.scroll, 'scroll position kept');
    assert.deepEqual(await panel.page.locator('vscode-multi-select').evaluate((el) => [...(el as unknown as { value: string[] }).value].sort()), selectedBefore, 'branch selection kept');
    assert.equal(selectedBefore.length, 2, 'current and reference branch preselected');
    await openTab(panel.page, 'Overview');
    await panel.page.waitForFunction(() => document.querySelector('.tile[data-metric="loc"] .tile-value')?.textContent === '25,000');
    await panel.page.context().close();
  } finally {
    await fixture.close();
  }
});

test('panel: malformed messages are rejected and logged on both ends', async () => {
  const fixture = await createFixture({ runs: 5 });
  try {
    const panel = await openPanel(browser, fixture);
    await panel.page.waitForSelector('.tile');
    await panel.host.receive({ type: 'request', id: 1, request: { kind: 'drop-tables' } });
    await panel.host.receive({ type: 'runAll', extra: '<script>' , id: 'x' });
    await panel.host.receive('not even an object');
    assert.equal(panel.hostLog.filter((l) => l.includes('rejected a malformed message')).length, 3);
    assert.equal(panel.runAllCalls, 0, 'a runAll with unexpected fields is not obeyed');
    await panel.page.evaluate(() => window.postMessage({ type: 'reply', id: 'one', result: {} }, '*'));
    await panel.page.evaluate(() => window.postMessage({ type: 'navigate', navigate: { view: 'settings' } }, '*'));
    await until(() => panel.problems.errors.filter((e) => e.includes('rejected a malformed message from the host')).length === 2, 'the page to log both rejections');
    assert.equal(await panel.page.locator('vscode-tab-header[aria-selected="true"]').innerText(), 'Overview', 'a rejected navigate changes nothing');
    await panel.page.context().close();
  } finally {
    await fixture.close();
  }
});

test('panel: an empty store says what to do, and Run All Metrics asks the host to run', async () => {
  const fixture = await createFixture({ runs: 0 });
  try {
    const panel = await openPanel(browser, fixture);
    await panel.page.waitForSelector('.empty');
    assert.match(await panel.page.locator('.empty').innerText(), /No runs recorded yet/);
    await screenshot(panel.page, 'panel-empty');
    await panel.page.locator('.empty vscode-button', { hasText: 'Run All Metrics' }).click();
    await until(() => panel.runAllCalls === 1, 'the host to be asked to run all metrics');
    await panel.page.context().close();
  } finally {
    await fixture.close();
  }
});

test('panel: drill-down compares that run with the baseline through store.compare', async () => {
  const fixture = await createFixture({ runs: 12 });
  try {
    const panel = await openPanel(browser, fixture);
    await panel.page.waitForSelector('.tile');
    await openTab(panel.page, 'Trends');
    const canvas = panel.page.locator('.chart-card[data-metric="coverage"] canvas');
    await canvas.scrollIntoViewIfNeeded();
    await panel.page.waitForSelector('.chart-card.drawn[data-metric="coverage"]');
    await canvas.focus();
    await panel.page.keyboard.press('End');
    await panel.page.keyboard.press('Enter');
    await panel.page.getByRole('dialog').waitFor();
    const [newest] = await fixture.store.builds({ branch: 'feature/faster', dirty: false, limit: 1 });
    await panel.page.getByRole('dialog').locator('vscode-button', { hasText: 'Compare with main' }).click();
    await panel.page.waitForSelector('.compare-table tbody tr[data-metric="coverage"]');
    const expected = (await fixture.store.compare('main', newest.build.commitSha)).metrics.find((m) => m.metric === 'coverage')!;
    const cells = await panel.page.$$eval('.compare-table tbody tr[data-metric="coverage"] td', (tds) => tds.map((td) => td.textContent!.trim()));
    assert.deepEqual(cells.slice(0, 2), [formatValue(expected.base, 'percent'), formatValue(expected.head, 'percent')]);
    assert.match(await panel.page.locator('.sides').innerText(), new RegExp(`→ ${newest.build.commitSha}`));
    await screenshot(panel.page, 'panel-compare-commit');
    await panel.page.context().close();
  } finally {
    await fixture.close();
  }
});

test('panel: Compare takes a typed commit as head', async () => {
  const fixture = await createFixture({ runs: 12 });
  try {
    const panel = await openPanel(browser, fixture);
    await panel.page.waitForSelector('.tile');
    await openTab(panel.page, 'Compare');
    await panel.page.waitForSelector('.compare-table tbody tr[data-metric]');
    const [target] = await fixture.store.builds({ branch: 'main', dirty: false, limit: 1, offset: 2 });
    const short = target.build.commitSha.slice(0, 8);
    const head = panel.page.getByRole('combobox', { name: 'Head branch or commit' });
    await head.click();
    await panel.page.keyboard.press('Control+A');
    await panel.page.keyboard.type(short);
    // The combobox offers the typed text as a new option; pick it.
    await panel.page.keyboard.press('ArrowDown');
    await panel.page.keyboard.press('Enter');
    await panel.page.waitForFunction((sha) => document.querySelector('.sides')?.textContent?.includes(`→ ${sha}`), short);
    const expected = (await fixture.store.compare('main', short)).metrics.find((m) => m.metric === 'bundle-size')!;
    const cells = await panel.page.$$eval('.compare-table tbody tr[data-metric="bundle-size"] td', (tds) => tds.map((td) => td.textContent!.trim()));
    assert.deepEqual(cells.slice(0, 2), [formatValue(expected.base, 'bytes'), formatValue(expected.head, 'bytes')]);
    await panel.page.context().close();
  } finally {
    await fixture.close();
  }
});

test('panel: a folder without history (untrusted, never run) gets a message instead of the views', async () => {
  const fixture = await createFixture({ runs: 0 });
  try {
    const reason = 'workspace has no recorded history yet: trust the workspace and run the metrics to start one.';
    const panel = await openPanel(browser, fixture, {
      source: async () => {
        throw new Error(reason);
      },
    });
    await panel.page.waitForSelector('.empty h2');
    assert.equal(await panel.page.locator('.empty h2').innerText(), 'The report is not available');
    assert.equal(await panel.page.locator('.empty p').innerText(), reason);
    assert.deepEqual(panel.problems.errors, []);
    await panel.page.context().close();
  } finally {
    await fixture.close();
  }
});

test('panel: the open "not available" panel shows the report once the first run is recorded, without reopening', async () => {
  const fixture = await createFixture({ runs: 0 });
  try {
    let hasHistory = false;
    const panel = await openPanel(browser, fixture, {
      source: async () => {
        if (!hasHistory) throw new Error('workspace has no recorded history yet: trust the workspace and run the metrics to start one.');
        return fixture.source;
      },
    });
    await panel.page.waitForSelector('.empty h2');
    assert.equal(await panel.page.locator('.empty h2').innerText(), 'The report is not available');
    // A folder change while there is still no history keeps the message (and logs nothing).
    await panel.host.retry();
    assert.equal(await panel.page.locator('.empty h2').innerText(), 'The report is not available');

    hasHistory = true;
    const { build } = await fixture.store.recordBuild({
      build: { commitSha: sha(999), branch: 'main', runId: 'first-run', event: 'manual', timestamp: new Date(fixture.now - 60_000).toISOString(), dirty: false },
      definitions: DEFINITIONS,
      results: [{ metric: 'loc', status: 'ok', value: 25_000, durationMs: 10 }],
    });
    await panel.host.runRecorded(build.id);

    await panel.page.waitForFunction(() => document.querySelector('.tile[data-metric="loc"] .tile-value')?.textContent === '25,000');
    assert.equal(await panel.page.locator('text=The report is not available').count(), 0, 'the message is gone');
    assert.equal(await panel.page.locator('vscode-tab-header[aria-selected="true"]').innerText(), 'Overview');
    await screenshot(panel.page, 'panel-history-appeared');
    assert.deepEqual(panel.problems.errors, []);
    assert.deepEqual(panel.hostLog, []);
    await panel.page.context().close();
  } finally {
    await fixture.close();
  }
});
