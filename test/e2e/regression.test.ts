// Tidemark catches a regression in the editor: history of main recorded with the CLI into the
// extension's store, then a feature branch that grows the bundle by more than the 5% its
// tidemark.json allows. After Run All Metrics the tree, the status bar and the Problems panel
// must all say so, with the explanation `tidemark check` gives for the same store.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { makeSampleWorkspace } from '../fixtures/makeSampleWorkspace';
import { extensionStorePath } from './harness/demo';
import { installExitHooks, startCodeServer, type CodeServer } from './harness/codeServer';
import { packageExtension } from './harness/extensionPackage';
import { repoRoot, resultsDir } from './harness/paths';
import { waitFor } from './harness/waitFor';
import { launchBrowser, notifications, openWorkbench, runCommand, statusBarItems, step, treeItems, webviewFrame } from './harness/workbench';
import { openTidemarkView } from './tidemarkView';

const FEATURE = 'feature/heavier';
const cli = path.join(repoRoot, 'dist', 'cli.js');
/** The machine is shared with other suites: give the extension time. */
const SLOW = { timeoutMs: 120_000 };

interface RuleReport {
  metric: string;
  rule: string;
  status: string;
  explanation: string;
  baseline: { commitSha: string; branch: string; method: string } | null;
}

function tidemark(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The status bar item of the pinned metric, with the look VS Code gave it. */
async function tidemarkStatusItem(page: Page): Promise<{ text: string; className: string; background: string } | undefined> {
  const [item] = await statusBarItems(page, 'tidemark');
  if (!item) return undefined;
  return page.$eval(`[id="${item.id}"]`, (el) => ({
    text: (el.textContent ?? '').trim(),
    className: el.className,
    background: (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor,
  }));
}

async function problemRows(page: Page): Promise<string[]> {
  return page.$$eval('.markers-panel .monaco-list-row', (rows) => rows.map((r) => (r.textContent ?? '').trim()));
}


describe('a regression on a feature branch, in code-server', () => {
  let tmp: string;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let ws: string;
  let db: string;
  let mainSha: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ws, encoding: 'utf8' }).trim();
  /** The metric's row shows a threshold's fail: the error icon and "fails a threshold" for screen readers. */
  const failMarked = async (metric: string) => {
    const row = page.locator('.part.sidebar .monaco-list-row[aria-level="2"]', { has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${metric}\\s*$`) }) });
    return (await row.locator('.codicon-error').count()) === 1 && /fails a threshold/.test((await row.getAttribute('aria-label')) ?? '');
  };

  before(async () => {
    installExitHooks();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'tidemark-e2e-'));
    ws = path.join(tmp, 'workspace');
    await makeSampleWorkspace(ws);
    // main: bundle-size may grow by at most 5% against its baseline.
    const configPath = path.join(ws, 'tidemark.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    config.metrics['bundle-size'].thresholds = { maxIncreasePercent: 5 };
    writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
    git('commit', '--quiet', '-am', 'Budget: bundle-size may grow 5%');
    mainSha = git('rev-parse', 'HEAD');

    server = await startCodeServer({ vsix: packageExtension(tmp), keepLogsIn: path.join(resultsDir, 'e2e', 'logs', 'regression') });
    db = extensionStorePath(server, ws);
    mkdirSync(path.dirname(db), { recursive: true });
    const collected = tidemark(['collect', '--cwd', ws, '--db', db], ws);
    assert.equal(collected.status, 0, `tidemark collect on main: ${collected.stdout}${collected.stderr}`);

    // The feature branch adds a module: the bundle grows far beyond 5%.
    git('checkout', '--quiet', '-b', FEATURE);
    const extra = Array.from({ length: 6 }, (_, i) => `export const chart${i} = (x) => x * ${i + 1}; // draws chart ${i + 1}`).join('\n');
    writeFileSync(path.join(ws, 'src', 'charts.js'), `${extra}\n`);
    git('add', '--all');
    git('commit', '--quiet', '-m', 'Charts');

    browser = await launchBrowser();
    page = await openWorkbench(browser, server, ws);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('Run All Metrics: the tree, the status bar and the Problems panel report the regression', async () => {
    let rule: RuleReport | undefined;
    await step(page, 'regression-01-run-all', async () => {
      await openTidemarkView(page);
      await waitFor(async () => (await treeItems(page, 'Metrics')).some((r) => r.label === 'bundle-size'), { what: 'bundle-size in the Metrics view', ...SLOW });
      await waitFor(() => server.extensionLog().includes(`opened store ${db} `), { what: `the extension to open the store ${db} the CLI wrote`, ...SLOW });
      await runCommand(page, 'Tidemark: Run All Metrics');
      // The CLI judges the run the extension recorded in its store: that is the expected verdict.
      const report = await waitFor(
        () => {
          const r = tidemark(['check', '--cwd', ws, '--db', db, '--json'], ws);
          return r.status === 1 ? (JSON.parse(r.stdout) as { rules: RuleReport[] }) : undefined;
        },
        { what: '`tidemark check` to fail on the run the extension recorded', ...SLOW },
      );
      rule = report.rules.find((r) => r.metric === 'bundle-size' && r.status === 'fail');
      assert.ok(rule, JSON.stringify(report.rules));
      assert.equal(rule.baseline?.commitSha, mainSha);
      assert.equal(rule.baseline?.method, 'merge-base');

      await waitFor(() => failMarked('bundle-size'), { what: 'bundle-size marked as a regression in the tree', ...SLOW });
      const row = (await treeItems(page, 'Metrics')).find((r) => r.label === 'bundle-size');
      // Short for the sidebar: value and change; the error icon and the tooltip say the rest.
      assert.match(row?.description ?? '', /^[\d.]+ kB ▲ [\d.]+%$/);
      // The other metrics have no rules: their look is unchanged.
      for (const other of ['lines-of-code', 'coverage', 'test-status']) assert.equal(await failMarked(other), false, `${other} is marked as failing`);

      const item = await waitFor(async () => {
        const i = await tidemarkStatusItem(page);
        return i?.text.startsWith('bundle-size') && i.className.includes('error-kind') ? i : undefined;
      }, { what: 'the bundle-size status bar item in the error colours', ...SLOW });
      assert.notEqual(item.background, 'rgba(0, 0, 0, 0)');
    });

    await step(page, 'regression-02-problems', async () => {
      const text = readFileSync(path.join(ws, 'tidemark.json'), 'utf8').split('\n');
      const line = text.findIndex((l) => l.includes('"bundle-size":')) + 1;
      const column = text[line - 1].indexOf('"bundle-size"') + 1;
      await page.keyboard.press('Control+Shift+M');
      // One row wide: the explanation `check` gives, its baseline note as the entry's second row.
      const [sentence, baselineNote] = rule!.explanation.split(/ \((baseline [^()]*)\)$/);
      assert.ok(baselineNote, rule!.explanation);
      const problem = await waitFor(async () => (await problemRows(page)).find((t) => t.includes(`${sentence}.`)), {
        what: `the regression "${sentence}." in the Problems panel`,
        ...SLOW,
      });
      await waitFor(async () => (await problemRows(page)).some((t) => t.includes(`Judged against the ${baselineNote}`)), { what: 'the baseline row under the regression' });
      assert.ok(problem.includes('tidemark'), problem);
      assert.ok(problem.includes(`[Ln ${line}, Col ${column}]`), `${problem} (expected Ln ${line}, Col ${column})`);
      assert.equal(await page.locator('.markers-panel .monaco-list-row', { hasText: sentence }).locator('.codicon-error').count(), 1, 'not shown as an error');
    });

    await step(page, 'regression-03-tooltip', async () => {
      await page.locator('.part.sidebar .monaco-list-row[aria-level="2"]', { hasText: 'bundle-size' }).hover();
      const hover = page.locator('.monaco-hover .markdown-hover, .monaco-hover .hover-contents').first();
      await hover.waitFor({ state: 'visible', timeout: 30_000 });
      const tooltip = (await hover.textContent()) ?? '';
      assert.ok(tooltip.includes(rule!.explanation), tooltip);
      assert.match(tooltip, new RegExp(`Baseline: .+ on main @ ${mainSha.slice(0, 7)} \\(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\), the merge-base of HEAD and main\\.`));
    });
    await page.mouse.move(900, 600);
  });

  it('Measure Baseline Now records a clean run of the merge-base in a temporary worktree', async () => {
    await step(page, 'regression-04-measure-baseline', async () => {
      const before = tidemark(['history', 'bundle-size', '--json', '--db', db], ws);
      const runsBefore = (JSON.parse(before.stdout) as { points: unknown[] }).points.length;
      await runCommand(page, 'Tidemark: Measure Baseline Now');
      await waitFor(async () => (await notifications(page)).some((n) => n === `Measured the baseline ${mainSha.slice(0, 7)}: 4 metrics.`), {
        what: 'the notification that the merge-base was measured',
        ...SLOW,
      });
      // Why this commit is the baseline is in the log (the toast stays one line).
      await waitFor(() => server.extensionLog().includes(`measured baseline ${mainSha.slice(0, 7)} (merge-base of HEAD and main)`), {
        what: 'the log to say why this commit is the baseline',
        timeoutMs: 10_000,
      });
      const points = (JSON.parse(tidemark(['history', 'bundle-size', '--json', '--db', db], ws).stdout) as { points: { commitSha: string; branch: string; dirty: boolean }[] }).points;
      assert.equal(points.length, runsBefore + 1);
      const measured = points[points.length - 1];
      assert.deepEqual({ commit: measured.commitSha, branch: measured.branch, dirty: measured.dirty }, { commit: mainSha, branch: 'main', dirty: false });
      assert.equal(git('worktree', 'list').split('\n').length, 1, 'the temporary worktree was left behind');
      assert.equal(git('rev-parse', '--abbrev-ref', 'HEAD'), FEATURE);
      // Still a regression against the re-measured baseline.
      await waitFor(async () => (await tidemarkStatusItem(page))?.className.includes('error-kind'), { what: 'the status bar item to stay in the error colours', ...SLOW });
    });
  });

  it('tidemark.problems.showRegressions: false takes the regression out of the Problems panel', async () => {
    await step(page, 'regression-05-opt-out', async () => {
      mkdirSync(path.join(ws, '.vscode'), { recursive: true });
      writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'tidemark.problems.showRegressions': false }));
      await waitFor(async () => !(await problemRows(page)).some((t) => t.includes('bundle-size')), { what: 'the regression to leave the Problems panel', ...SLOW });
      // The tree still shows it: the setting is about the Problems panel only.
      assert.ok(await failMarked('bundle-size'));
    });
  });

  it('checking out main outside the editor re-judges HEAD: the regression is gone, in the open report too', async () => {
    await step(page, 'regression-06-checkout-main', async () => {
      await runCommand(page, 'Tidemark: Open Report');
      const report = await webviewFrame(page, '.tile');
      const subtitle = async () => ((await report.locator('.subtitle').textContent()) ?? '').trim();
      const before = await waitFor(async () => ((await subtitle()).startsWith(FEATURE) ? subtitle() : undefined), { what: `the report's header on ${FEATURE}`, ...SLOW });
      assert.match(before, new RegExp(`^${FEATURE} against main at ${mainSha.slice(0, 7)}`));
      // Nothing is recorded here: only the moved HEAD can make the views re-evaluate.
      git('checkout', '--quiet', 'main');
      await waitFor(async () => (await treeItems(page, 'Metrics')).some((r) => r.label === 'bundle-size') && !(await failMarked('bundle-size')), {
        what: 'bundle-size without the regression mark after checking out main',
        ...SLOW,
      });
      const item = await waitFor(async () => {
        const i = await tidemarkStatusItem(page);
        return i && !i.className.includes('error-kind') ? i : undefined;
      }, { what: 'the status bar item without the error colours', ...SLOW });
      assert.match(item.text, /^bundle-size /);
      // The report open beside them follows HEAD without a reload or a run: its header is main's.
      // The new meta names main at once ("main"); the Overview's reply then says what it compares.
      // main's only runs are at HEAD: no earlier commit's run is a baseline, so main's latest clean run
      // stands in, as in the Metrics view (whose bundle-size row compares with it); the header names it and says why.
      const mainHeader = new RegExp(`^main against its latest clean run at ${mainSha.slice(0, 7)}: no earlier commit of main has one; Measure History… records some$`);
      let seen = '';
      await waitFor(async () => mainHeader.test((seen = await subtitle())), { what: "the open report's header to become main's", ...SLOW }).catch((error: Error) => {
        throw new Error(`${error.message}; the header said "${seen}"`);
      });
    });
  });
});
