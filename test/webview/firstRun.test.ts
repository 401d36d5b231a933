/// <reference lib="dom" />
/**
 * The Overview on the reference branch's first measured commit, in the exported report over a
 * real git repository and store: the run there is its own baseline, so its tiles say there is no
 * earlier run (as `tidemark check` does) instead of "unchanged vs main"; an on-save run of the
 * same commit then shows its change against that run.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { exportReportHtml } from '../../src/core/report/standaloneHtml';
import { configWith, Repo } from '../unit/analysis/history';
import { DIST, launch, openPage, screenshot } from './browser';

let repo: Repo;
let browser: Browser;

before(async () => {
  repo = await Repo.create();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await repo?.close();
});

/** Each tile's change channel as the user reads it (words, then the muted "vs …"). */
async function changeTexts(shot: string): Promise<Record<string, string>> {
  const config = configWith({ size: {}, lines: { direction: undefined } });
  const source = { store: repo.store, folderName: 'first', cwd: repo.dir, config, currentBranch: async () => 'main', referenceBranch: async () => 'main' };
  const file = path.join(repo.dir, 'report.html');
  fs.writeFileSync(file, await exportReportHtml(source, DIST));
  const { page, problems } = await openPage(browser, file);
  await page.waitForSelector('.tile');
  const texts = await page.$$eval('.tile', (tiles) =>
    Object.fromEntries(tiles.map((t) => [(t as HTMLElement).dataset.metric!, (t.querySelector('[data-channel="change"]')?.textContent ?? '').replace(/\s+/g, ' ').trim()])),
  );
  await screenshot(page, shot);
  assert.deepEqual(problems.errors, []);
  await page.context().close();
  return texts;
}

test("on main's first measured commit the tiles say there is no earlier run; an on-save run there shows its change against it", async () => {
  const sha = repo.commit('first');
  await repo.record(sha, 'main', { size: 1000, lines: 40 });
  assert.deepEqual(await changeTexts('first-run-own-baseline'), { size: 'no earlier run to compare with', lines: 'no earlier run to compare with' });

  await repo.record(sha, 'main', { size: 1100, lines: 40 }, { dirty: true, event: 'save' });
  assert.deepEqual(await changeTexts('first-run-on-save'), { size: '+100 B (+10.0%), worse vs main', lines: 'unchanged vs main' });
});
