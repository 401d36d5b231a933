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
import { parseConfig } from '../../src/core/config';
import { exportReportHtml } from '../../src/core/report/standaloneHtml';
import type { MetricDefinition } from '../../src/core/types';
import { Repo } from '../unit/analysis/history';
import { DIST, launch, openPage, openTab, screenshot, type PageProblems } from './browser';

const CONFIG = `{
  "baseline": { "referenceBranch": "main", "maxAgeDays": 3650 },
  "metrics": {
    "bundle-size": { "type": "numeric", "command": "true", "unit": "bytes", "direction": "lower-is-better", "name": "Bundle size",
      "thresholds": { "maxIncreasePercent": { "value": 10, "severity": "warn" } } },
    "build-time": { "type": "numeric", "command": "true", "unit": "duration", "direction": "lower-is-better", "name": "Build time",
      "thresholds": { "test": "z-score", "minSamples": 3 } },
    "coverage": { "type": "numeric", "command": "true", "unit": "percent", "direction": "higher-is-better", "name": "Coverage" }
  }
}`;

const DEFINITIONS: MetricDefinition[] = [
  { id: 'bundle-size', type: 'numeric', unit: 'bytes', direction: 'lower-is-better', name: 'Bundle size', description: null },
  { id: 'build-time', type: 'numeric', unit: 'duration', direction: 'lower-is-better', name: 'Build time', description: null },
  { id: 'coverage', type: 'numeric', unit: 'percent', direction: 'higher-is-better', name: 'Coverage', description: null },
];

let repo: Repo;
let browser: Browser;
let page: Page;
let problems: PageProblems;

before(async () => {
  repo = await Repo.create();
  fs.writeFileSync(path.join(repo.dir, 'tidemark.json'), CONFIG);
  const parsed = parseConfig(CONFIG);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  const record = async (sha: string, branch: string, values: Record<string, number>, hoursAgo: number) => {
    const outcome = await repo.store.recordBuild({
      build: { commitSha: sha, branch, runId: `run-${sha.slice(0, 7)}`, event: 'ci', timestamp: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(), dirty: false },
      definitions: DEFINITIONS,
      results: Object.entries(values).map(([metric, value]) => ({ metric, status: 'ok', value, durationMs: 1 })),
    });
    assert.deepEqual(outcome.rejected, []);
  };
  const times = [1000, 1010, 990, 1005, 995, 1000];
  for (const [i, t] of times.entries()) await record(repo.commit(`main-${i}`), 'main', { 'bundle-size': 200_000 + i * 2_000, 'build-time': t, coverage: 80 }, 20 - i);
  repo.git('checkout', '-q', '-b', 'feature');
  await record(repo.commit('feature'), 'feature', { 'bundle-size': 300_000, 'build-time': 1001, coverage: 78.7 }, 1);
  const source = { store: repo.store, folderName: 'repo', cwd: repo.dir, config: parsed.config, currentBranch: async () => 'feature', referenceBranch: async () => 'main' };
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
