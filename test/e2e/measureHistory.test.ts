// Measure History… (issue 13) in code-server: the last commits of main are measured in
// temporary worktrees with a cancellable progress notification, the runs land with the
// commits' own times, the report's Trends show the step, and clicking the change in the
// report's Changes list opens that commit in VS Code (the Git extension's multi-file diff).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAIN_BRANCH, makeSampleWorkspace, type SampleWorkspace } from '../fixtures/makeSampleWorkspace';
import { storeFile, withStore } from './extensionStore';
import { startSession, type Session } from './harness/session';
import { waitFor } from './harness/waitFor';
import { canvasPixels, notifications, quickPick, runCommand, screenshot, step, webviewFrame } from './harness/workbench';
import { openTidemarkView } from './tidemarkView';

const EXTRA = 8;
/** The extra commit whose bundle grows by 3 KB: the change the report must name. */
const STEP_AT = 5;

function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('Measure History… in code-server', () => {
  let s: Session;
  let stepSha = '';
  const shas: string[] = [];
  before(async () => {
    s = await startSession('measure-history', {
      workspace: async (dir) => {
        const sample = await makeSampleWorkspace(dir, { checkout: MAIN_BRANCH });
        for (let i = 1; i <= EXTRA; i++) {
          appendFileSync(path.join(dir, 'src', 'app.js'), `// change ${i}\n`);
          if (i === STEP_AT) writeFileSync(path.join(dir, 'src', 'vendor.js'), `// vendor\n${'export const blob = "x";\n'.repeat(128)}`);
          const date = new Date(Date.now() - (EXTRA - i) * 3600_000).toISOString();
          git(dir, ['add', '-A']);
          git(dir, ['commit', '--quiet', '-m', i === STEP_AT ? 'Add the vendor bundle' : `Small change ${i}`], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
          const sha = git(dir, ['rev-parse', 'HEAD']).trim();
          shas.push(sha);
          if (i === STEP_AT) stepSha = sha;
        }
        return { dir, commits: sample.commits, checkedOut: MAIN_BRANCH } satisfies SampleWorkspace;
      },
    });
  });
  after(async () => {
    await s?.stop();
  });

  it('measures the last commits of main with their commit times, the report updating as runs land', async () => {
    await step(s.page, 'measure-01-done', async () => {
      await openTidemarkView(s.page);
      await runCommand(s.page, 'Tidemark: Measure History…');
      await quickPick(s.page, `Last 10 commits of ${MAIN_BRANCH}`);
      await waitFor(async () => (await notifications(s.page)).some((n) => n === 'Measure History: 10 commits measured.'), {
        what: 'the Measure History summary',
        timeoutMs: 120_000,
      });
      const db = await waitFor(() => storeFile(s), { what: 'the folder store' });
      const runs = await withStore(db, (st) => st.builds({ events: ['backfill'], limit: 100 }));
      assert.equal(runs.length, 10, JSON.stringify(runs.map((r) => r.build.commitSha.slice(0, 7))));
      for (const sha of shas) {
        const run = runs.find((r) => r.build.commitSha === sha);
        assert.ok(run, `no backfill run for ${sha}`);
        assert.equal(run.build.timestamp, new Date(git(s.workspace.dir, ['log', '-1', '--format=%cI', sha]).trim()).toISOString());
        assert.equal(run.build.branch, MAIN_BRANCH);
      }
      // The working tree and the worktree list are as they were.
      assert.equal(git(s.workspace.dir, ['status', '--porcelain', '--untracked-files=no']), '');
      assert.equal(git(s.workspace.dir, ['worktree', 'list']).trim().split('\n').length, 1);
    });
  });

  it('the report names the commit that grew the bundle, and clicking it opens that commit in VS Code', async () => {
    await step(s.page, 'measure-02-trends-change', async () => {
      await runCommand(s.page, 'Tidemark: Open Report');
      const frame = await webviewFrame(s.page, '.tile');
      await frame.locator('vscode-tab-header', { hasText: 'Trends' }).click();
      await frame.waitForSelector('.chart-card.drawn[data-metric="bundle-size"]');
      const pixels = await canvasPixels(frame, '.chart-card[data-metric="bundle-size"] canvas');
      assert.ok(pixels.painted > 500, `the bundle-size chart painted ${pixels.painted} pixels`);
      const row = frame.locator(`.changes-table tr[data-metric="bundle-size"][data-sha="${stepSha}"]`);
      await row.waitFor({ timeout: 30_000 });
      assert.match(await row.innerText(), /Add the vendor bundle/);
      await screenshot(s.page, 'measure-02-changes-list');
      await row.locator('td button.link').click();
      const tab = s.page.locator('.tabs-container .tab', { hasText: `Tidemark: ${stepSha.slice(0, 7)} Add the vendor bundle` });
      await tab.waitFor({ timeout: 30_000 });
      // The multi-file diff lists the files the commit changed.
      await waitFor(async () => (await s.page.locator('.multiDiffEditor, .multi-diff-editor').innerText().catch(() => '')).includes('vendor.js'), {
        what: 'vendor.js in the commit view',
        timeoutMs: 30_000,
      });
    });
  });
});
