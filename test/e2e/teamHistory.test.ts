// One history in the editor (issue 12): a clone whose origin carries CI's runs in git notes.
// A plain `git fetch` in the clone brings them (the extension added the notes refspec) and the
// Metrics view and the report's Trends show CI's values with no Tidemark command run; a
// `tidemark collect` in the folder (as from the integrated terminal) shows in the tree within 2 s.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { folderStorePath } from '../../src/core/store/location';
import type { Unit } from '../../src/core/types';
import { formatValue } from '../../src/core/units';
import { makeSampleWorkspace, MAIN_BRANCH, FEATURE_BRANCH, type SampleWorkspace } from '../fixtures/makeSampleWorkspace';
import { repoRoot } from './harness/paths';
import { startSession, type Session } from './harness/session';
import { waitFor } from './harness/waitFor';
import { canvasPixels, runCommand, screenshot, statusBarText, step, treeItems, webviewFrame } from './harness/workbench';
import { openTidemarkView } from './tidemarkView';

const CLI = path.join(repoRoot, 'dist', 'cli.js');
const REFSPEC = '+refs/notes/tidemark*:refs/tidemark/remotes/origin/tidemark*';

function cli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(process.execPath, [CLI, ...args, '--cwd', cwd], { encoding: 'utf8', env: { ...process.env, CI: '', ...env } });
}

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

/** The last CI value of each metric on main, as the CI machine's own store says. */
function ciValues(ci: string): Map<string, { value: number | string; unit: Unit | null }> {
  const out = new Map<string, { value: number | string; unit: Unit | null }>();
  for (const metric of ['bundle-size', 'lines-of-code', 'coverage']) {
    const h = JSON.parse(cli(ci, ['history', metric, '--json', '--branch', MAIN_BRANCH]));
    out.set(metric, { value: h.points[h.points.length - 1].value, unit: h.unit });
  }
  return out;
}

async function metricRows(page: Page) {
  return (await treeItems(page, 'Metrics')).filter((r) => r.level === 2);
}

describe('Team history in code-server: CI runs through git notes, CLI runs in the folder', () => {
  let s: Session;
  let ci: string;
  let mainCommits = 0;
  before(async () => {
    s = await startSession('team-history', {
      workspace: async (dir) => {
        const root = path.dirname(dir);
        ci = path.join(root, 'ci');
        const origin = path.join(root, 'origin.git');
        // "CI": every main commit measured with event ci (its own store, published later).
        const sample = await makeSampleWorkspace(ci, {
          checkout: MAIN_BRANCH,
          onCommit: (commit, d) => {
            if (commit.branch === MAIN_BRANCH) {
              cli(d, ['collect', '--event', 'ci']);
              mainCommits++;
            }
          },
        });
        execFileSync('git', ['init', '--quiet', '--bare', '-b', MAIN_BRANCH, origin]);
        git(ci, ['remote', 'add', 'origin', origin]);
        git(ci, ['push', '--quiet', 'origin', MAIN_BRANCH, FEATURE_BRANCH]);
        git(root, ['clone', '--quiet', origin, dir]);
        return { dir, commits: sample.commits, checkedOut: MAIN_BRANCH } satisfies SampleWorkspace;
      },
    });
  });
  after(async () => {
    await s?.stop();
  });

  it('adds the notes refspec to origin so that a plain git fetch brings the team history', async () => {
    await step(s.page, 'team-01-no-history-yet', async () => {
      await openTidemarkView(s.page);
      await waitFor(async () => (await metricRows(s.page)).some((r) => r.label === 'bundle-size'), { what: 'the metrics in the Metrics view' });
      await waitFor(() => git(s.workspace.dir, ['config', '--get-all', 'remote.origin.fetch']).split('\n').includes(REFSPEC), {
        what: `the refspec ${REFSPEC} in the clone's git config`,
      });
    });
  });

  it('git fetch brings CI runs: the tree shows CI values for HEAD (its merge-base with main) and Trends draws them', async () => {
    await step(s.page, 'team-02-fetched-ci-values', async () => {
      // CI publishes and pushes its notes only now, so this fetch is what brings them.
      cli(ci, ['publish', '--push']);
      const logBefore = s.server.extensionLog().length;
      const expected = ciValues(ci);
      git(s.workspace.dir, ['fetch', '--quiet']);
      await waitFor(
        async () => {
          const rows = await metricRows(s.page);
          return [...expected].every(([id, v]) => rows.find((r) => r.label === id)?.description.includes(formatValue(v.value, v.unit)));
        },
        { what: `CI's values ${JSON.stringify([...expected])} in the Metrics view`, timeoutMs: 30_000 },
      );
      // Brought by that git fetch (watched refs), not by a fetch of the extension's own.
      const log = s.server.extensionLog().slice(logBefore);
      assert.match(log, new RegExp(`imported ${mainCommits} runs from refs/notes/tidemark`), log);
      assert.doesNotMatch(log, /window focus/, log);
      // The runs under a metric say where they came from.
      await s.page.locator('.monaco-list-row[aria-level="2"]', { hasText: 'bundle-size' }).locator('.monaco-tl-twistie').click();
      const runs = await waitFor(
        async () => {
          const r = (await treeItems(s.page, 'Metrics')).filter((x) => x.level === 3);
          return r.length === mainCommits ? r : undefined;
        },
        { what: `${mainCommits} CI runs under bundle-size` },
      );
      for (const run of runs) assert.match(run.description, /CI · team/, JSON.stringify(run));
      assert.equal(git(s.workspace.dir, ['rev-parse', 'HEAD']).trim(), git(s.workspace.dir, ['merge-base', 'HEAD', `origin/${MAIN_BRANCH}`]).trim());
      await screenshot(s.page, 'team-02-tree-ci-runs');
    });
    await step(s.page, 'team-03-trends-ci-history', async () => {
      await runCommand(s.page, 'Tidemark: Open Report');
      const frame = await webviewFrame(s.page, '.tile');
      const summary = await frame.locator('.summary').innerText();
      assert.match(summary, new RegExp(`Runs\\s+${mainCommits}\\b`, 'i'), summary);
      await frame.locator('vscode-tab-header', { hasText: 'Trends' }).click();
      await frame.waitForSelector('.chart-card.drawn[data-metric="bundle-size"]');
      const pixels = await canvasPixels(frame, '.chart-card[data-metric="bundle-size"] canvas');
      assert.ok(pixels.painted > 500, `the bundle-size chart painted ${pixels.painted} pixels`);
      // Runs from: the team's history holds them all; this machine has none yet.
      const card = frame.locator('.chart-card[data-metric="bundle-size"]');
      const origin = (label: string) => frame.locator('.chips[aria-label="Runs from"] button', { hasText: label }).click();
      await origin('This machine');
      await waitFor(async () => (await card.innerText()).includes('no values in this range'), { what: 'no local bundle-size values' });
      await origin('Team');
      await waitFor(async () => (await card.innerText()).includes(`${mainCommits} values`), { what: `${mainCommits} team values` });
      await screenshot(s.page, 'team-03-trends-team-only');
      await origin('All');
    });
  });

  it('a run recorded by tidemark collect in the folder shows in the tree within 2 s', async () => {
    await step(s.page, 'team-04-cli-run-live', async () => {
      await runCommand(s.page, 'View: Close All Editors');
      writeFileSync(path.join(s.workspace.dir, 'coverage.txt'), '77.7\n');
      cli(s.workspace.dir, ['collect']);
      const recordedAt = Date.now();
      const expected = formatValue(77.7, 'percent');
      await waitFor(async () => (await metricRows(s.page)).find((r) => r.label === 'coverage')?.description.includes(expected), {
        what: `the CLI's coverage ${expected} in the Metrics view within 2 s`,
        timeoutMs: 2_000,
        intervalMs: 50,
      });
      const seenAfterMs = Date.now() - recordedAt;
      console.log(`tree showed the CLI run ${seenAfterMs} ms after tidemark collect exited`);
      await waitFor(async () => (await statusBarText(s.page, 'tidemark')).join(' ').length > 0, { what: 'the Tidemark status bar item' });
      assert.ok(folderStorePath(s.workspace.dir).endsWith(path.join('.tidemark', 'tidemark.db')));
    });
  });
});
