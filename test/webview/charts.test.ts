/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Honest charts, in headless Chromium on exported reports of real stores: value axes by unit
 * (tick labels read from the drawn chart), a one-run and an old history drawn with visible
 * points, the commit axis with change markers on a git repository made here whose file size
 * steps at three known commits, range changes redrawing charts below the fold, and the three
 * themes (screenshots under test-results/webview/, contrast of text and series colours).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ReportSource } from '../../src/core/report/backend';
import { exportReportHtml } from '../../src/core/report/standaloneHtml';
import { openStore } from '../../src/core/store';
import type { MetricDefinitionInput, StoreApi } from '../../src/core/store/api';
import type { MetricResult } from '../../src/core/types';
import { DIST, launch, openPage, openTab, screenshot, until } from './browser';
import { openPanel } from './panelPage';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 15, 12);

const METRICS: MetricDefinitionInput[] = [
  { id: 'size', type: 'numeric', unit: 'bytes', direction: 'lower-is-better', name: 'Bundle size' },
  { id: 'warnings', type: 'numeric', unit: 'integer', direction: 'lower-is-better', name: 'Warnings' },
  { id: 'todo', type: 'numeric', unit: 'integer', name: 'TODOs' },
  { id: 'coverage', type: 'numeric', unit: 'percent', direction: 'higher-is-better', name: 'Coverage' },
  { id: 'build-time', type: 'numeric', unit: 'duration', direction: 'lower-is-better', name: 'Build time' },
];

let browser: Browser;
const cleanup: (() => Promise<void> | void)[] = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const f of cleanup.reverse()) await f();
});

function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-charts-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface RunInput {
  sha: string;
  branch: string;
  time: number;
  values: Record<string, number>;
}

async function storeWith(dir: string, runs: RunInput[]): Promise<StoreApi> {
  const store = await openStore(path.join(dir, 'tidemark.db'));
  cleanup.push(() => store.close());
  let n = 0;
  for (const r of runs) {
    const results: MetricResult[] = Object.entries(r.values).map(([metric, value]) => ({ metric, status: 'ok', value, durationMs: 5 }));
    await store.recordBuild({ build: { commitSha: r.sha, branch: r.branch, runId: `run-${n++}`, event: 'ci', timestamp: new Date(r.time).toISOString(), dirty: false }, definitions: METRICS, results });
  }
  return store;
}

function source(store: StoreApi, cwd?: string, branches: { current: string; reference: string } = { current: 'main', reference: 'main' }): ReportSource {
  return { store, folderName: 'charts', cwd, currentBranch: async () => branches.current, referenceBranch: async () => branches.reference, now: () => NOW };
}

const exported = new Map<string, string>();

async function openExport(src: ReportSource, dir: string, name: string, options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  const file = path.join(dir, `${name}.html`);
  exported.set(name, file);
  fs.writeFileSync(file, await exportReportHtml(src, DIST));
  const { page, problems } = await openPage(browser, file, options);
  cleanup.push(() => assert.deepEqual(problems.errors, [], `${name}: no page errors`));
  await page.waitForSelector('.tile');
  await openTab(page, 'Trends');
  return page;
}

interface Drawn {
  xTicks: string[];
  yTicks: string[];
  plot: number[];
  changes: string[];
  markerPx: number[];
}

async function drawn(page: Page, metric: string): Promise<Drawn> {
  const selector = `.chart-card.drawn[data-metric="${metric}"] canvas`;
  await page.locator(`.chart-card[data-metric="${metric}"]`).scrollIntoViewIfNeeded();
  await page.waitForSelector(`${selector}[data-y-ticks]`);
  return page.$eval(selector, (c) => {
    const d = (c as HTMLElement).dataset;
    const list = (s: string | undefined) => (s ? s.split(',').filter(Boolean) : []);
    return { xTicks: JSON.parse(d.xTicks!), yTicks: JSON.parse(d.yTicks!), plot: list(d.plot).map(Number), changes: list(d.changes), markerPx: list(d.markerPx).map(Number) };
  });
}

/** Pixels of the plot area within a small distance of a colour (the series' colour), and their horizontal extent. */
async function seriesPixels(page: Page, metric: string, cssVariable: string): Promise<{ count: number; left: number; right: number; plotLeft: number; plotRight: number }> {
  return page.$eval(
    `.chart-card[data-metric="${metric}"] canvas`,
    (canvas, variable) => {
      const c = canvas as HTMLCanvasElement;
      const probe = document.createElement('span');
      probe.style.color = getComputedStyle(document.body).getPropertyValue(variable).trim();
      document.body.append(probe);
      const [r, g, b] = getComputedStyle(probe).color.match(/\d+/g)!.map(Number);
      probe.remove();
      const ratio = c.width / c.clientWidth;
      const [l, t, rt, bt] = c.dataset.plot!.split(',').map((v) => Math.round(Number(v) * ratio));
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let count = 0;
      let left = Infinity;
      let right = -Infinity;
      for (let y = t; y < bt; y++) {
        for (let x = l; x < rt; x++) {
          const i = (y * c.width + x) * 4;
          if (data[i + 3] > 200 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) {
            count++;
            left = Math.min(left, x);
            right = Math.max(right, x);
          }
        }
      }
      return { count, left, right, plotLeft: l, plotRight: rt };
    },
    cssVariable,
  );
}

function assertHonestTicks(labels: string[], what: string, check: (value: number, label: string) => void = () => {}): void {
  assert.ok(labels.length >= 2, `${what}: at least two ticks (${labels.join(' | ')})`);
  assert.equal(new Set(labels).size, labels.length, `${what}: no two ticks read the same (${labels.join(' | ')})`);
  for (const label of labels) {
    assert.doesNotMatch(label, /^[-−]0(\.0+)?(?![\d.])/, `${what}: no "−0" (${labels.join(' | ')})`);
    check(Number(label.replace(/[^\d.-]/g, '')), label);
  }
}

// ---------------------------------------------------------------------------------------
// A git repository whose file size steps up at two known commits and down at one.
// ---------------------------------------------------------------------------------------

interface Repo {
  dir: string;
  main: { sha: string; subject: string; time: number; size: number }[];
  feature: { sha: string; subject: string; time: number; size: number }[];
  steps: string[];
}

function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'Ada Lovelace', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada Lovelace', GIT_COMMITTER_EMAIL: 'ada@example.com', ...env } }).trim();
}

function makeRepo(): Repo {
  const dir = tmp();
  git(dir, ['init', '-q', '-b', 'main']);
  const commits: Repo['main'] = [];
  const stepAt = new Map([
    [6, 30_000],
    [12, 60_000],
    [18, 20_000],
  ]);
  let base = 10_000;
  const commit = (i: number, subject: string, size: number, list: Repo['main']) => {
    fs.writeFileSync(path.join(dir, 'bundle.js'), 'x'.repeat(size));
    git(dir, ['add', '.']);
    const time = NOW - (40 - i) * DAY;
    const date = new Date(time).toISOString();
    git(dir, ['commit', '-q', '-m', subject], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    list.push({ sha: git(dir, ['rev-parse', 'HEAD']), subject, time, size: fs.statSync(path.join(dir, 'bundle.js')).size });
  };
  for (let i = 0; i < 24; i++) {
    base = stepAt.get(i) ?? base;
    commit(i, stepAt.has(i) ? `Step ${i}: bundle now ${base} bytes` : `Commit ${i}`, base + ((i * 37) % 200), commits);
    if (i % 6 === 0) git(dir, ['tag', `v1.${i / 6}.0`]);
    if (i === 14) {
      git(dir, ['checkout', '-q', '-b', 'feature']);
      git(dir, ['checkout', '-q', 'main']);
    }
  }
  const feature: Repo['main'] = [];
  git(dir, ['checkout', '-q', 'feature']);
  for (let k = 0; k < 3; k++) commit(30 + k, `Feature ${k}`, 90_000 + k * 50, feature);
  git(dir, ['checkout', '-q', 'main']);
  return { dir, main: commits, feature, steps: [6, 12, 18].map((i) => commits[i].sha) };
}

function repoRuns(repo: Repo): RunInput[] {
  const values = (i: number, size: number) => ({ size, warnings: 2, todo: i % 3, coverage: 99.1 + ((i * 7) % 5) * 0.2, 'build-time': 40 + (i % 5) });
  return [
    ...repo.main.map((c, i) => ({ sha: c.sha, branch: 'main', time: c.time, values: values(i, c.size) })),
    ...repo.feature.map((c, k) => ({ sha: c.sha, branch: 'feature', time: c.time, values: values(k, c.size) })),
  ];
}

let repo: Repo;
let page: Page;

test('commit axis: the Changes list and three markers name the commits where the file size steps', async () => {
  repo = makeRepo();
  const dir = tmp();
  const store = await storeWith(dir, repoRuns(repo));
  page = await openExport(source(store, repo.dir, { current: 'feature', reference: 'main' }), dir, 'commits', { height: 1100 });
  await page.waitForSelector('.trends[data-axis="commit"]');
  const size = await drawn(page, 'size');
  await screenshot(page, 'charts-commit-axis-dark');
  const listed = await page.locator('.changes').innerText();
  assert.deepEqual([...size.changes].sort(), [...repo.steps].sort(), `a marker at each step commit, no other (${listed})`);
  assert.equal(size.markerPx.length, 3, 'three markers inside the plot');
  // Ticks name commits: tags where there are, else short shas.
  assert.ok(size.xTicks.includes('v1.1.0'), `a tag on the axis: ${size.xTicks.join(' | ')}`);
  for (const tick of size.xTicks) assert.match(tick, /^(v1\.\d\.0|[0-9a-f]{7})$/, `commit tick ${tick}`);
  assertHonestTicks(size.yTicks, 'bytes', (v, label) => {
    assert.match(label, / (B|kB)$/, `bytes ticks carry the unit: ${label}`);
    assert.ok(v >= 0, `size ticks not below zero: ${label}`);
  });
  // The markers are drawn: the worse colour (size went up) at each marker's pixel column.
  const marked = await page.$eval('.chart-card[data-metric="size"] canvas', (canvas) => {
    const c = canvas as HTMLCanvasElement;
    const ratio = c.width / c.clientWidth;
    const top = Number(c.dataset.plot!.split(',')[1]);
    return c.dataset.markerPx!.split(',').map((px) => {
      const d = c.getContext('2d')!.getImageData(Math.round(Number(px) * ratio) - 2, Math.round((top + 2) * ratio), 5, 1).data;
      return [0, 4, 8, 12, 16].some((i) => d[i + 3] > 200);
    });
  });
  assert.deepEqual(marked, [true, true, true], 'each marker has its triangle at the top of the plot');
  const rows = await page.$$eval('.changes-table tbody tr', (trs) => trs.map((tr) => ({ metric: (tr as HTMLElement).dataset.metric, sha: (tr as HTMLElement).dataset.sha, text: (tr as HTMLElement).innerText })));
  assert.deepEqual(rows.map((r) => r.sha).sort(), [...repo.steps].sort());
  for (const r of rows) {
    assert.equal(r.metric, 'size');
    const i = repo.main.findIndex((c) => c.sha === r.sha);
    assert.ok(r.text.includes(repo.main[i].subject), `the row names the subject: ${r.text}`);
    assert.ok(r.text.includes('Ada Lovelace'), 'and the author');
    assert.match(r.text, /kB → \d+(\.\d+)? kB/, 'before → after with the unit');
    assert.match(r.text, /[+−-]\d+(\.\d+)?\s?%/, 'the relative change');
  }
  await page.locator('.chart-card[data-metric="size"]').scrollIntoViewIfNeeded();
  await screenshot(page, 'charts-commit-axis-dark');
});

test('commit axis: the feature branch is drawn from its fork point on', async () => {
  // Positions: main's 24 measured commits are 0…23; the feature forked at main's commit 14.
  const pixels = await seriesPixels(page, 'size', '--vscode-charts-blue');
  const width = pixels.plotRight - pixels.plotLeft;
  const at = (x: number) => pixels.plotLeft + ((x + 0.5) / 24) * width;
  assert.ok(pixels.count > 50, `the feature (current branch, first colour) is drawn (${pixels.count} px)`);
  assert.ok(pixels.left >= at(14) - 8, `it starts at the fork point (${pixels.left} ≥ ${Math.round(at(14))})`);
  assert.ok(pixels.right <= at(17) + 8, `and ends at its third commit (${pixels.right} ≤ ${Math.round(at(17))})`);
  const main = await seriesPixels(page, 'size', '--vscode-charts-purple');
  assert.ok(main.left <= at(0) + 8 && main.right >= at(23) - 8, 'main spans the whole axis');
});

test('integer, percent and duration axes: unique ticks, no −0, within bounds, with units', async () => {
  const warnings = await drawn(page, 'warnings');
  assertHonestTicks(warnings.yTicks, 'a constant integer 2', (v, label) => {
    assert.match(label, /^\d+$/, `whole numbers: ${label}`);
    assert.ok(v >= 0);
  });
  assert.ok(warnings.yTicks.includes('2'));
  const todo = await drawn(page, 'todo');
  assertHonestTicks(todo.yTicks, 'integers 0–2', (v, label) => {
    assert.match(label, /^\d+$/, `whole numbers: ${label}`);
    assert.ok(v >= 0, `not below zero: ${label}`);
  });
  const coverage = await drawn(page, 'coverage');
  assertHonestTicks(coverage.yTicks, 'percent near 100', (v, label) => {
    assert.match(label, /%$/);
    assert.ok(v <= 100 && v >= 0, `within 0–100: ${label}`);
  });
  const time = await drawn(page, 'build-time');
  assertHonestTicks(time.yTicks, 'duration', (_v, label) => assert.match(label, /(ms|s|m \d\ds)$/, `duration unit: ${label}`));
});

test('time axis on demand, remembered; range chips redraw every chart, also below the fold', async () => {
  await page.locator('.chips[aria-label="X axis"] .chip', { hasText: 'Time' }).click();
  await page.waitForSelector('.trends[data-axis="time"]');
  const lastCard = page.locator('.chart-card').last();
  await lastCard.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('.chart-card:last-child canvas')?.getAttribute('data-x-ticks')?.includes('May'));
  await page.locator('.chart-card').first().scrollIntoViewIfNeeded();
  const before = await page.$eval('.chart-card:last-child canvas', (c) => (c as HTMLElement).dataset.xTicks!);
  await page.locator('.chips[aria-label="Time range"] .chip', { hasText: '7d' }).click();
  // Without scrolling: the chart at the bottom follows the new range.
  await page.waitForFunction((old) => {
    const ticks = document.querySelector('.chart-card:last-child canvas')?.getAttribute('data-x-ticks');
    return ticks && ticks !== old;
  }, before);
  const after = JSON.parse((await page.$eval('.chart-card:last-child canvas', (c) => (c as HTMLElement).dataset.xTicks!)) as string) as string[];
  assert.ok(after.every((t) => /^Jun (8|9|1\d)/.test(t)), `the last chart shows the last 7 days: ${after.join(' | ')}`);
  assert.equal(new Set(after).size, after.length, 'time ticks unique');
  await page.locator('.chips[aria-label="Time range"] .chip', { hasText: 'All' }).click();
  await page.locator('.chips[aria-label="X axis"] .chip', { hasText: 'Commits' }).click();
  await page.waitForSelector('.trends[data-axis="commit"]');
});

test('the crosshair follows the pointer on every chart at the same commit', async () => {
  const canvas = page.locator('.chart-card[data-metric="size"] canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const plot = (await canvas.getAttribute('data-plot'))!.split(',').map(Number);
  const at = plot[0] + (plot[2] - plot[0]) * 0.4;
  await page.mouse.move(box.x + at, box.y + (plot[1] + plot[3]) / 2);
  await page.waitForSelector('.chart-card[data-metric="warnings"] canvas[data-crosshair-px]');
  const other = await page.$eval('.chart-card[data-metric="warnings"] canvas', (c) => {
    const d = (c as HTMLElement).dataset;
    const p = d.plot!.split(',').map(Number);
    return (Number(d.crosshairPx) - p[0]) / (p[2] - p[0]);
  });
  assert.ok(Math.abs(other - 0.4) < 0.02, `the other chart's crosshair is at the same place (${other.toFixed(3)} of its plot)`);
  await page.mouse.move(box.x - 30, box.y - 30);
  await page.waitForSelector('.chart-card[data-metric="warnings"] canvas:not([data-crosshair-px])');
});

test('drag-to-zoom narrows every chart to the selection; Reset zoom shows all again', async () => {
  const canvas = page.locator('.chart-card[data-metric="size"] canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const plot = (await canvas.getAttribute('data-plot'))!.split(',').map(Number);
  const y = box.y + (plot[1] + plot[3]) / 2;
  const whole = (await drawn(page, 'warnings')).xTicks;
  await page.mouse.move(box.x + plot[0] + 5, y);
  await page.mouse.down();
  await page.mouse.move(box.x + (plot[0] + plot[2]) / 2, y, { steps: 5 });
  await page.mouse.up();
  await page.waitForSelector('button.reset-zoom:not([hidden])');
  const zoomed = await drawn(page, 'warnings');
  assert.notDeepEqual(zoomed.xTicks, whole, 'another chart follows the zoom');
  const size = await drawn(page, 'size');
  assert.ok(size.markerPx.length < 3, 'markers outside the zoom are not drawn');
  await page.locator('button.reset-zoom').click();
  await page.waitForFunction((w) => document.querySelector('.chart-card[data-metric="warnings"] canvas')?.getAttribute('data-x-ticks') === w, JSON.stringify(whole));
});

test('themes: light, dark and high contrast drawn with readable text and series colours', async () => {
  await page.locator('.chart-card[data-metric="size"]').scrollIntoViewIfNeeded();
  for (const theme of ['vscode-light', 'vscode-high-contrast', 'vscode-dark']) {
    await page.evaluate((t) => {
      document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
      document.body.classList.add(t);
    }, theme);
    await page.waitForTimeout(100);
    await screenshot(page, `charts-${theme.replace('vscode-', '')}`);
    const ratios = await page.evaluate(() => {
      const style = getComputedStyle(document.body);
      const rgb = (css: string) => {
        const probe = document.createElement('span');
        probe.style.color = css;
        document.body.append(probe);
        const v = getComputedStyle(probe).color.match(/[\d.]+/g)!.map(Number);
        probe.remove();
        return v;
      };
      const lum = (c: number[]) => {
        const [r, g, b] = c.slice(0, 3).map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const contrast = (a: string, b: string) => {
        const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
        return (x + 0.05) / (y + 0.05);
      };
      const card = getComputedStyle(document.querySelector('.chart-card')!).backgroundColor;
      const v = (n: string) => style.getPropertyValue(n).trim();
      return {
        text: contrast(v('--vscode-foreground'), card),
        ticks: contrast(v('--vscode-descriptionForeground'), card),
        series: ['--vscode-charts-blue', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-green'].map((n) => contrast(v(n), card)),
      };
    });
    assert.ok(ratios.text >= 4.5, `${theme}: text contrast ${ratios.text.toFixed(2)}`);
    assert.ok(ratios.ticks >= 4.5, `${theme}: tick label contrast ${ratios.ticks.toFixed(2)}`);
    for (const r of ratios.series) assert.ok(r >= 3, `${theme}: series colour contrast ${r.toFixed(2)} (${ratios.series.map((x) => x.toFixed(2)).join(', ')})`);
    const pixels = await seriesPixels(page, 'size', '--vscode-charts-blue');
    assert.ok(pixels.count > 100, `${theme}: the series is drawn in its colour (${pixels.count} px)`);
  }
});

test('Overview sparkline: the reference branch up to the baseline, then the branch, with a marker', async () => {
  await openTab(page, 'Overview');
  const spark = page.locator('.tile[data-metric="size"] canvas.sparkline');
  const baseline = Number(await spark.getAttribute('data-baseline'));
  // Baseline: main's newest run (commit 23); the feature's three runs come after it.
  assert.equal(baseline, repo.main.length - 1, 'the baseline is the last of main\'s values, before the feature\'s three');
  const colours = await spark.evaluate((canvas) => {
    const c = canvas as HTMLCanvasElement;
    const style = getComputedStyle(document.body);
    const rgb = (name: string) => {
      const probe = document.createElement('span');
      probe.style.color = style.getPropertyValue(name).trim();
      document.body.append(probe);
      const v = getComputedStyle(probe).color.match(/\d+/g)!.map(Number);
      probe.remove();
      return v;
    };
    const [muted, series] = [rgb('--vscode-descriptionForeground'), rgb('--vscode-charts-blue')];
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const near = (i: number, v: number[]) => Math.abs(data[i] - v[0]) + Math.abs(data[i + 1] - v[1]) + Math.abs(data[i + 2] - v[2]) < 60;
    const xs = { muted: [] as number[], series: [] as number[] };
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] < 200) continue;
      const x = (i / 4) % c.width;
      if (near(i, muted)) xs.muted.push(x);
      else if (near(i, series)) xs.series.push(x);
    }
    return { width: c.width, mutedRight: Math.max(...xs.muted.filter((x, _i, all) => all.length > 0)), seriesLeft: Math.min(...xs.series), series: xs.series.length, muted: xs.muted.length };
  });
  await screenshot(page, 'charts-overview-sparklines');
  const foot = await page.locator('.tile[data-metric="size"] .tile-foot').innerText();
  assert.match(foot, /[A-Z][a-z]{2} \d{1,2}, \d{4}/, `an exported file shows absolute times: ${foot}`);
  assert.doesNotMatch(foot, /ago/);
  const icon = await page.locator('.tile[data-metric="size"] [data-channel="collection"] .codicon').evaluate((el) => {
    const before = getComputedStyle(el, '::before');
    return { mask: before.maskImage || before.getPropertyValue('mask-image'), width: before.width };
  });
  assert.match(icon.mask, /data:image\/svg\+xml/, 'the status icon is drawn from its inlined outline');
  assert.equal(icon.width, '16px');
  assert.ok(colours.muted > 20 && colours.series > 8, `both parts drawn (${colours.muted} muted px, ${colours.series} series px)`);
  assert.ok(colours.seriesLeft > colours.width * 0.8, `the branch's part starts at the baseline, near the right (${colours.seriesLeft} of ${colours.width})`);
});

test('a one-run report opens with the point visible, not clipped at the edge', async () => {
  const dir = tmp();
  const store = await storeWith(dir, [{ sha: 'a'.repeat(40), branch: 'main', time: NOW - 3_600_000, values: { size: 1234, warnings: 0, todo: 2, coverage: 100, 'build-time': 12 } }]);
  const one = await openExport(source(store), dir, 'one-run');
  const size = await drawn(one, 'size');
  const pixels = await seriesPixels(one, 'size', '--vscode-charts-blue');
  assert.ok(pixels.count > 40, `the point is drawn (${pixels.count} px)`);
  assert.ok(pixels.left > pixels.plotLeft + 10 && pixels.right < pixels.plotRight - 10, `the point sits inside the plot (${pixels.left}–${pixels.right} in ${pixels.plotLeft}–${pixels.plotRight})`);
  assertHonestTicks(size.yTicks, 'one byte value', (v) => assert.ok(v >= 0));
  const warnings = await drawn(one, 'warnings');
  assertHonestTicks(warnings.yTicks, 'a single 0', (v, label) => {
    assert.match(label, /^\d+$/);
    assert.ok(v >= 0, `no negative count: ${label}`);
  });
  const coverage = await drawn(one, 'coverage');
  assertHonestTicks(coverage.yTicks, 'a single 100 %', (v) => assert.ok(v <= 100));
  await screenshot(one, 'charts-one-run');
  await openTab(one, 'Compare');
  assert.match(await one.locator('.sides').innerText(), /Base and head are both main: pick another branch or commit/, 'an empty "main vs main" says what to do');
  assert.equal(await one.locator('.compare-chart').isVisible(), false, 'and draws no empty chart');
  await one.context().close();
});

test('an old history (all runs older than 90 days) opens with its points, by time too', async () => {
  const dir = tmp();
  const runs: RunInput[] = Array.from({ length: 6 }, (_, i) => ({ sha: `${i}`.repeat(40), branch: 'main', time: NOW - (300 - i * 5) * DAY, values: { size: 5000 + i * 100, warnings: 3 - (i % 2), todo: i, coverage: 80 + i, 'build-time': 30 + i } }));
  const store = await storeWith(dir, runs);
  const old = await openExport(source(store), dir, 'old-history');
  await old.waitForSelector('.trends[data-axis]');
  const axis = await old.$eval('.trends', (t) => (t as HTMLElement).dataset.axis);
  assert.equal(axis, 'time', 'no git here: drawn by time');
  await drawn(old, 'size');
  const pixels = await seriesPixels(old, 'size', '--vscode-charts-blue');
  assert.ok(pixels.count > 200, `the points are drawn (${pixels.count} px)`);
  assert.ok(pixels.right - pixels.left > (pixels.plotRight - pixels.plotLeft) / 2, 'spread over the plot, not one edge line');
  assert.doesNotMatch(await old.locator('.chart-card[data-metric="size"] .chart-caption').innerText(), /no values/);
  await screenshot(old, 'charts-old-history');
  await old.context().close();
});

test('the panel draws the same commit axis and markers, and a click on a change asks VS Code to open that commit', async () => {
  const dir = tmp();
  const store = await storeWith(dir, repoRuns(repo));
  const src = source(store, repo.dir, { current: 'feature', reference: 'main' });
  const opened: string[] = [];
  const { page: panel, problems, hostLog: log } = await openPanel(browser, { dir, source: src }, {
    height: 1100,
    openCommit: async (sha) => {
      opened.push(sha);
    },
  });
  await panel.waitForSelector('.tile');
  await openTab(panel, 'Trends');
  await panel.waitForSelector('.trends[data-axis="commit"]');
  // The change points arrive after the first charts: their markers are added in place.
  await panel.waitForSelector('.changes-table tbody tr');
  await panel.waitForSelector('.chart-card[data-metric="size"] canvas[data-changes]:not([data-changes=""])');
  const size = await drawn(panel, 'size');
  assert.deepEqual([...size.changes].sort(), [...repo.steps].sort(), 'the same three markers as the exported file');
  assert.equal(size.markerPx.length, 3);
  await panel.locator(`.changes-table tr[data-sha="${repo.steps[1]}"] td button`).click();
  await until(() => opened.length > 0, 'the openCommit message');
  assert.deepEqual(opened, [repo.steps[1]]);
  await screenshot(panel, 'charts-panel-commit-axis');
  // The axis choice is kept in the webview state, so a reloaded panel comes back with it.
  await panel.locator('.chips[aria-label="X axis"] .chip', { hasText: 'Time' }).click();
  await panel.waitForSelector('.trends[data-axis="time"]');
  const saved = await panel.evaluate(() => (window as unknown as { acquireVsCodeApi(): { getState(): { axis?: string } } }).acquireVsCodeApi().getState().axis);
  assert.equal(saved, 'time');
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(log, []);
  await panel.context().close();
});

test('the exported file stays small: minified code once, the icons it uses instead of the whole font', () => {
  const html = fs.readFileSync(exported.get('commits')!, 'utf8');
  assert.ok(html.length < 600_000, `the report of a small history is ${Math.round(html.length / 1000)} KB`);
  assert.doesNotMatch(html, /font\/ttf;base64/, 'no inlined font');
});
