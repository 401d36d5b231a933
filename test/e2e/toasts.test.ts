// Toasts that fit: VS Code shows a toast's message on one line of its 450 px toast and cuts the
// rest with "…". A real Tidemark toast is shown in code-server (at rest: pointing at a toast shows
// its toolbar, which takes ~80 px more), and its message element (VS Code's own, with the
// workbench's font and the toast's width) is then given, one at a time, the text of
// every toast Tidemark can show (read from the source by test/fixtures/toastMessages.ts, runtime
// values as stand-ins): none may be cut. The same element measures how many characters of
// Tidemark's English always fit, which is what justifies TOAST_BUDGET, the unit test's limit
// (test/unit/extension/toastLength.test.ts).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { collectToasts, NUMBER_STAND_IN, STAND_IN, TOAST_BUDGET, toastsShownElsewhere } from '../fixtures/toastMessages';
import { cutTexts } from './harness/looks';
import { repoRoot } from './harness/paths';
import { startSession, type Session } from './harness/session';
import { waitFor } from './harness/waitFor';
import { runCommand, screenshot, statusBarText, step } from './harness/workbench';

const MESSAGE = '.notification-toast.notification-fade-in-done .notification-list-item-message';

interface Fit {
  text: string;
  cut: boolean;
  shown: number;
  needed: number;
}

/*
 * In the page: gives the first toast's message element each text and reads whether it overflows
 * (as looks.ts's cutTexts does), then puts the real message back. A string: this project compiles
 * without the DOM library.
 */
const fitScript = `([selector, texts]) => {
  const el = document.querySelector(selector);
  const original = el.innerHTML;
  const out = texts.map((text) => {
    el.textContent = text;
    const range = document.createRange();
    range.selectNodeContents(el);
    return { text, cut: el.scrollWidth > el.clientWidth + 1, shown: el.clientWidth, needed: Math.ceil(range.getBoundingClientRect().width) };
  });
  el.innerHTML = original;
  return out;
}`;

/** How many characters from each word start of `corpus` fit (the longest prefix that does). */
const capacityScript = `([selector, corpus]) => {
  const el = document.querySelector(selector);
  const original = el.innerHTML;
  const fits = (t) => { el.textContent = t; return el.scrollWidth <= el.clientWidth + 1; };
  const widths = [];
  for (let i = 0; i < corpus.length; i++) {
    if (i > 0 && corpus[i - 1] !== ' ') continue;
    let lo = 0, hi = Math.min(200, corpus.length - i);
    while (lo < hi) { const mid = Math.ceil((lo + hi) / 2); if (fits(corpus.slice(i, i + mid))) lo = mid; else hi = mid - 1; }
    if (i + lo < corpus.length) widths.push({ at: i, chars: lo, text: corpus.slice(i, i + lo) });
  }
  el.innerHTML = original;
  return widths;
}`;

describe('Toasts fit in VS Code’s toast (one line, default width)', () => {
  let s: Session;
  before(async () => {
    s = await startSession('toasts');
  });
  after(async () => {
    await s?.stop();
  });

  it('every toast Tidemark can show fits in a real toast, and the budget is what one line holds', async () => {
    const { page } = s;
    const folder = path.basename(s.workspace.dir);
    // Read first: VS Code hides an information toast 15 s after it shows, so the measuring below
    // runs right after the toast is there, in one call each.
    const { toasts, messagesOf } = collectToasts(repoRoot);
    const shown = [...toasts, ...toastsShownElsewhere.flatMap((e) => messagesOf(e.file, e.fn))].filter((t) => t.templates.length > 0);
    // The budget: every TOAST_BUDGET characters of Tidemark's English (every message of the l10n
    // bundle, placeholders as the stand-ins, as one text) fit on the line, whichever word they start at.
    const bundle = Object.keys(JSON.parse(readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>);
    const corpus = bundle.map((m) => m.replace(/\{[^{}]+\}/g, (p) => (/count|\d|run|measured|skipped|failed|left/.test(p) ? NUMBER_STAND_IN : STAND_IN))).join(' ');

    // A toast without a button is one line, cut with "…" (one with buttons is expanded and wraps).
    const real = `${folder} already has a tidemark.json.`;
    await runCommand(page, 'Tidemark: Create Config');
    await page.locator(MESSAGE, { hasText: real }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await page.mouse.move(200, 600);
    // At rest: pointing at a toast shows its toolbar, which takes ~80 px of the line.
    const atRest = await page.locator('.notification-toast .notification-list-item').first().evaluate((e) => !e.classList.contains('expanded') && !e.matches(':hover'));
    const fits = (await page.evaluate(`(${fitScript})(${JSON.stringify([MESSAGE, shown.map((t) => t.text)])})`)) as Fit[];
    const capacity = (await page.evaluate(`(${capacityScript})(${JSON.stringify([MESSAGE, corpus])})`)) as { at: number; chars: number; text: string }[];
    await screenshot(page, 'toasts-01-real-toast');
    assert.ok(atRest, 'the toast is expanded or pointed at: this would not measure what a user reads');

    const cut = fits.filter((f) => f.cut).map((f) => `${f.text} [${f.shown} px shows ${f.needed} px]`);
    const widest = fits.reduce((a, b) => (b.needed > a.needed ? b : a));
    const least = capacity.reduce((a, b) => (b.chars < a.chars ? b : a));
    const chars = capacity.map((c) => c.chars).sort((a, b) => a - b);
    console.log(`toast message line at rest: ${widest.shown} px; widest Tidemark toast ${widest.needed} px: ${widest.text}`);
    console.log(
      `characters of Tidemark's English that fit on it, over ${chars.length} word starts: least ${least.chars} ("${least.text}"), 5th percentile ${chars[Math.floor(chars.length * 0.05)]}, median ${chars[chars.length >> 1]}, most ${chars[chars.length - 1]}; TOAST_BUDGET ${TOAST_BUDGET}`,
    );
    // The widest one as the user would see it (the toast may have closed: then a fresh one).
    await step(page, 'toasts-02-widest-toast', async () => {
      if (!(await page.locator(MESSAGE).count())) {
        await runCommand(page, 'Tidemark: Create Config');
        await page.locator(MESSAGE, { hasText: real }).first().waitFor({ state: 'visible', timeout: 60_000 });
        await page.mouse.move(200, 600);
      }
      await page.evaluate(`(([s, t]) => { document.querySelector(s).textContent = t; })(${JSON.stringify([MESSAGE, widest.text])})`);
      assert.deepEqual(await cutTexts(page, MESSAGE), [], 'the widest toast is cut');
    });
    assert.deepEqual(cut, [], 'toasts cut at VS Code’s toast width');
    assert.ok(least.chars >= TOAST_BUDGET, `only ${least.chars} characters fit from "${least.text}": TOAST_BUDGET (${TOAST_BUDGET}) is more than a toast holds`);
    await runCommand(page, 'Notifications: Clear All Notifications');
  });

  it('a shortened toast keeps its action in a button: tidemark.json with problems → "Fix the problems … first." [Show Problems]', async () => {
    const { page } = s;
    const folder = path.basename(s.workspace.dir);
    const real = `Fix the problems in ${folder}'s tidemark.json first.`;
    const toast = page.locator('.notification-toast.notification-fade-in-done', { hasText: real }).first();
    await step(page, 'toasts-03-config-problems-toast', async () => {
      writeFileSync(path.join(s.workspace.dir, 'tidemark.json'), '{ "metrics": { "size": { "type": "numeric" } } }\n');
      await waitFor(async () => (await statusBarText(page, 'status.problems')).some((t) => /[1-9]/.test(t)), { what: 'the problems of tidemark.json' });
      await runCommand(page, 'Tidemark: Measure Baseline Now');
      await toast.waitFor({ state: 'visible', timeout: 60_000 });
      await page.mouse.move(200, 600);
      assert.equal(await toast.locator('.monaco-button', { hasText: 'Show Problems' }).count(), 1, 'the toast offers Show Problems');
      assert.deepEqual(await cutTexts(page, '.notification-toast .notification-list-item-message'), [], 'the toast is cut');
    });
    await step(page, 'toasts-04-show-problems', async () => {
      await toast.locator('.monaco-button', { hasText: 'Show Problems' }).click();
      await waitFor(async () => (await problemRows(page)) > 0, { what: 'the Problems panel with tidemark.json’s problems' });
    });
  });
});

async function problemRows(page: Page): Promise<number> {
  return page.locator('.markers-panel .monaco-list-row').count();
}
