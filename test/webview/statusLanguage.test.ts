/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The status language in the exported report, in the light, dark and high-contrast themes: the
 * Overview tiles and the Compare rows show the three channels (collection status, judgement,
 * direction of change) with the core vocabulary's words; the colour is on the icons only, the
 * words keep a readable contrast, a worse change without a threshold is never in an error
 * colour, and +0.1 % of timing noise reads "unchanged". A real git repository and store.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { exportReportHtml } from '../../src/core/report/standaloneHtml';
import { LINT_ERROR, recordStatusSample } from '../fixtures/statusSample';
import { Repo } from '../unit/analysis/history';
import { DIST, launch, openPage, openTab, screenshot, type PageProblems } from './browser';

let repo: Repo;
let browser: Browser;
let page: Page;
let problems: PageProblems;

before(async () => {
  repo = await Repo.create();
  const { config } = await recordStatusSample(repo, { failedMetric: true });
  const source = { store: repo.store, folderName: 'repo', cwd: repo.dir, config, currentBranch: async () => 'feature', referenceBranch: async () => 'main' };
  const file = path.join(repo.dir, 'report.html');
  fs.writeFileSync(file, await exportReportHtml(source, DIST));
  browser = await launch();
  ({ page, problems } = await openPage(browser, file));
  await page.waitForSelector('.tile');
});

after(async () => {
  await browser?.close();
  await repo?.close();
});

const THEMES = ['vscode-light', 'vscode-dark', 'vscode-high-contrast'] as const;

async function useTheme(theme: (typeof THEMES)[number]): Promise<void> {
  await page.evaluate((t) => {
    document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
    document.body.classList.add(t);
  }, theme);
}

interface ChannelLook {
  status: string;
  text: string;
  /** WCAG contrast of the words against the tile or page background. */
  contrast: number;
  textColor: string;
  iconColor: string;
  errorColor: string;
  foreground: string;
}

/** Each channel element under `scope`: its status, words, colours and the contrast of its words. */
function channels(scope: string): Promise<Record<string, ChannelLook>> {
  return page.$$eval(`${scope} [data-channel]`, (nodes) => {
    const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map(Number);
    const luminance = (c: string): number => {
      const [r, g, b] = rgb(c).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const background = (el: Element | null): string => {
      for (let e = el; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
      }
      return 'rgb(255, 255, 255)';
    };
    const probe = document.createElement('span');
    probe.style.color = 'var(--vscode-errorForeground)';
    document.body.append(probe);
    const errorColor = getComputedStyle(probe).color;
    probe.remove();
    const out: Record<string, ChannelLook> = {};
    for (const node of nodes as HTMLElement[]) {
      const words = node.querySelector('.channel-text') as HTMLElement;
      const textColor = getComputedStyle(words).color;
      const [a, b] = [luminance(textColor), luminance(background(node))].sort((x, y) => y - x);
      out[node.dataset.channel!] = {
        status: node.dataset.status!,
        text: words.innerText.trim(),
        contrast: (a + 0.05) / (b + 0.05),
        textColor,
        iconColor: getComputedStyle(node.querySelector('.look-icon')!).color,
        errorColor,
        foreground: getComputedStyle(document.body).color,
      };
    }
    return out;
  });
}

test('each Overview tile shows each channel once: one collection status, one judgement, one direction', async () => {
  await openTab(page, 'Overview');
  await page.waitForSelector('.tile[data-metric="lint"]');
  const tiles = await page.$$eval('.tile', (nodes) =>
    (nodes as HTMLElement[]).map((t) => {
      const count = (kind: string) => t.querySelectorAll(`[data-channel="${kind}"]`).length;
      return {
        metric: t.dataset.metric!,
        channels: { collection: count('collection'), judgement: count('judgement'), change: count('change') },
        // A status icon outside its channel says a channel a second time (the old header dot).
        strayIcons: [...t.querySelectorAll('.look-icon')].filter((i) => !i.closest('[data-channel]')).map((i) => i.className),
        text: t.innerText,
      };
    }),
  );
  assert.deepEqual(
    tiles.map((t) => [t.metric, t.channels, t.strayIcons]),
    [
      ['bundle-size', { collection: 1, judgement: 1, change: 1 }, []],
      ['build-time', { collection: 1, judgement: 1, change: 1 }, []],
      ['coverage', { collection: 1, judgement: 0, change: 1 }, []],
      ['lint', { collection: 1, judgement: 0, change: 1 }, []],
    ],
  );
  // In words too: the failed metric says "failed" once, and shows what failed.
  const lint = tiles.find((t) => t.metric === 'lint')!;
  assert.equal(lint.text.match(/\bfailed\b/gi)?.length, 1, lint.text);
  assert.equal(lint.text.split(LINT_ERROR).length - 1, 1, lint.text);
  for (const t of tiles.filter((x) => x.metric !== 'lint')) assert.equal(t.text.match(/\bran ok\b/gi)?.length, 1, t.text);
  await screenshot(page, 'status-overview-channels-once');
});

for (const theme of THEMES) {
  test(`${theme}: Overview tiles show collection status, judgement and direction in the vocabulary's words, readable`, async () => {
    await openTab(page, 'Overview');
    await useTheme(theme);
    const bundle = await channels('.tile[data-metric="bundle-size"]');
    assert.deepEqual([bundle.change.status, bundle.change.text], ['worse', '+90 kB (+42.9%), worse vs main']);
    assert.deepEqual([bundle.judgement.status, bundle.judgement.text], ['warn', 'warns on a threshold']);
    assert.deepEqual([bundle.collection.status, bundle.collection.text], ['ok', 'ran ok']);
    const time = await channels('.tile[data-metric="build-time"]');
    assert.deepEqual([time.change.status, time.change.text, time.judgement.status], ['unchanged', 'unchanged vs main', 'pass'], '+0.1 % of timing noise is unchanged');
    const coverage = await channels('.tile[data-metric="coverage"]');
    assert.deepEqual([coverage.change.status, coverage.change.text], ['worse', '−1.3 pp, worse vs main'], 'a percent metric changes in points');
    assert.equal(coverage.judgement, undefined, 'no thresholds, no judgement');
    assert.notEqual(coverage.change.iconColor, coverage.change.errorColor, 'a worse change without a threshold is not in the error colour');
    for (const look of [...Object.values(bundle), ...Object.values(time), ...Object.values(coverage)]) {
      assert.equal(look.textColor, look.foreground, `the words "${look.text}" are in the normal foreground`);
      assert.ok(look.contrast >= 4.5, `"${look.text}" has a contrast of ${look.contrast.toFixed(2)} in ${theme}`);
    }
    assert.notEqual(bundle.judgement.iconColor, bundle.judgement.foreground, 'the warning icon has its colour');
    const header = await page.locator('header .subtitle, .subtitle').first().innerText();
    assert.match(header, /^feature against main at [0-9a-f]{7} · exported /);
    await screenshot(page, `status-overview-${theme.replace('vscode-', '')}`);
  });

  test(`${theme}: Compare rows say the direction and the judgement in the same words; noise is unchanged`, async () => {
    await openTab(page, 'Compare');
    await page.waitForSelector('.compare-table tbody tr[data-metric="build-time"]');
    await useTheme(theme);
    const time = await channels('.compare-table tr[data-metric="build-time"]');
    assert.deepEqual([time.change.status, time.change.text, time.judgement.status], ['unchanged', 'unchanged', 'pass']);
    const bundle = await channels('.compare-table tr[data-metric="bundle-size"]');
    assert.deepEqual([bundle.change.status, bundle.change.text, bundle.judgement.status, bundle.judgement.text], ['worse', 'worse', 'warn', 'warns on a threshold']);
    const cells = await page.$$eval('.compare-table tr[data-metric="coverage"] td', (tds) => tds.map((td) => td.textContent!.trim()));
    assert.deepEqual(cells.slice(2, 5), ['−1.3 pp', '—', 'worse']);
    for (const look of [...Object.values(time), ...Object.values(bundle)]) {
      assert.equal(look.textColor, look.foreground, `the words "${look.text}" are in the normal foreground`);
      assert.ok(look.contrast >= 4.5, `"${look.text}" has a contrast of ${look.contrast.toFixed(2)} in ${theme}`);
    }
    await screenshot(page, `status-compare-${theme.replace('vscode-', '')}`);
    assert.deepEqual(problems.errors, []);
  });
}
