/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The panel in another display language: the host hands the page VS Code's bundle (here a small
 * German one) and language, and the page shows the translated words with their placeholders
 * filled, while every message the bundle lacks stays English. Real ReportHost, real store, the
 * panel's page in Chromium.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { ReportL10n } from '../../src/shared/protocol';
import { launch, openTab, screenshot } from './browser';
import { createFixture, HOSTILE } from './fixtureStore';
import { openPanel } from './panelPage';

const GERMAN: ReportL10n = {
  language: 'de',
  bundle: {
    Trends: 'Verläufe',
    'Run All Metrics': 'Alle Metriken ausführen',
    Head: 'Kopf',
    'Change %': 'Änderung %',
    'Tidemark · {0}': 'Tidemark-Bericht · {0}',
    'Sort by {0}': 'Sortieren nach {0}',
    'The report is not available': 'Der Bericht ist nicht verfügbar',
  },
};

let browser: Browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

const headers = (page: Page) => page.locator('vscode-tab-header').allInnerTexts();

test('l10n: the report shows the bundle’s words with placeholders filled; what it lacks stays English', async () => {
  const fixture = await createFixture({ runs: 12 });
  try {
    const { page, problems } = await openPanel(browser, fixture, { l10n: GERMAN });
    await page.waitForSelector('.tile');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
    // A tab label translated; the others are not in the bundle.
    assert.deepEqual(await headers(page), ['Overview', 'Verläufe', 'Compare']);
    assert.equal(await page.locator('.report-head vscode-button').innerText(), 'Alle Metriken ausführen');
    // A placeholder filled with the data, shown literally.
    assert.equal(await page.locator('h1.title').innerText(), `Tidemark-Bericht · ${HOSTILE.folder}`);
    assert.deepEqual(await page.locator('.summary-label').allTextContents(), ['Runs', 'Branches', 'Last run', 'Metrics', 'Last 30 days', 'Comparing'], 'untranslated summary labels stay English');

    await openTab(page, 'Compare');
    await page.waitForSelector('.compare-table tbody tr[data-metric="coverage"]');
    const columns = await page.locator('.compare-table thead th').allInnerTexts();
    assert.deepEqual(columns.map((c) => c.trim()), ['Metric', 'Base', 'Kopf', 'Change', 'Änderung %', 'Direction']);
    // A translated message around a translated word.
    assert.equal(await page.locator('.compare-table thead th:nth-child(3) button').getAttribute('aria-label'), 'Sortieren nach Kopf');
    assert.equal(await page.locator('.compare-table thead th:nth-child(2) button').getAttribute('aria-label'), 'Sortieren nach Base');
    assert.equal(await page.locator('label.field', { hasText: 'Kopf' }).count(), 1, 'the Compare toolbar uses the same word');
    await screenshot(page, 'l10n-german-compare');

    await openTab(page, 'Verläufe');
    await page.waitForSelector('.chart-card[data-metric="coverage"] .chart-caption:not(:empty)');
    assert.deepEqual(await page.locator('.view.trends .field-label').allTextContents(), ['Range', 'X axis', 'Branches', 'Runs from'], 'untranslated controls stay English');
    assert.deepEqual(problems.errors, []);
    await page.context().close();
  } finally {
    await fixture.close();
  }
});

test('l10n: the "not available" page is translated too (the translations come before any view)', async () => {
  const fixture = await createFixture({ runs: 0 });
  try {
    const reason = 'no recorded history yet';
    const { page, problems } = await openPanel(browser, fixture, {
      l10n: GERMAN,
      source: async () => {
        throw new Error(reason);
      },
    });
    await page.waitForSelector('.empty h2');
    assert.equal(await page.locator('.empty h2').innerText(), 'Der Bericht ist nicht verfügbar');
    assert.equal(await page.locator('.empty p').innerText(), reason);
    assert.deepEqual(problems.errors, []);
    await page.context().close();
  } finally {
    await fixture.close();
  }
});

test('l10n: without a bundle the page is English, its placeholders filled', async () => {
  const fixture = await createFixture({ runs: 5 });
  try {
    const { page } = await openPanel(browser, fixture, { l10n: { language: 'en' } });
    await page.waitForSelector('.tile');
    assert.deepEqual(await headers(page), ['Overview', 'Trends', 'Compare']);
    assert.equal(await page.locator('h1.title').innerText(), `Tidemark · ${HOSTILE.folder}`);
    assert.equal(await page.locator('.report-head vscode-button').innerText(), 'Run All Metrics');
    await page.context().close();
  } finally {
    await fixture.close();
  }
});
