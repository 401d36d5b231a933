// Toasts that fit: VS Code shows a toast's message on one line of its 450 px toast and cuts the
// rest with "…". A real Tidemark toast is shown in code-server, and its message element (VS Code's
// own, with the workbench's font and the toast's width) is then given, one at a time, the text of
// every toast Tidemark can show (read from the source by test/fixtures/toastMessages.ts, runtime
// values as stand-ins): none may be cut. The same element measures how many characters of
// Tidemark's English always fit, which is what justifies TOAST_BUDGET, the unit test's limit
// (test/unit/extension/toastLength.test.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectToasts, TOAST_BUDGET, toastsShownElsewhere } from '../fixtures/toastMessages';
import { repoRoot } from './harness/paths';
import { startSession, type Session } from './harness/session';
import { waitFor } from './harness/waitFor';
import { runCommand, step } from './harness/workbench';

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
    return { text, cut: el.scrollWidth > el.clientWidth + 1, shown: el.clientWidth, needed: el.scrollWidth };
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
    const real = `${folder} already has a tidemark.json.`;
    await step(page, 'toasts-01-real-toast', async () => {
      await runCommand(page, 'Tidemark: Create Config');
      await waitFor(async () => ((await page.locator(MESSAGE).first().textContent().catch(() => '')) ?? '').trim() === real, { what: `the toast "${real}"` });
    });
    // Pointed at, a toast stays (VS Code hides an information toast after a while otherwise).
    await page.locator(MESSAGE).first().hover();
    const collapsed = await page.locator('.notification-toast .notification-list-item').first().evaluate((e) => !e.classList.contains('expanded'));
    assert.ok(collapsed, 'the toast is expanded: its message wraps instead of being cut, so this measures nothing');

    const { toasts, messagesOf } = collectToasts(repoRoot);
    const shown = [...toasts, ...toastsShownElsewhere.flatMap((e) => messagesOf(e.file, e.fn))].filter((t) => t.templates.length > 0);
    const fits = (await page.evaluate(`(${fitScript})(${JSON.stringify([MESSAGE, shown.map((t) => t.text)])})`)) as Fit[];
    const cut = fits.filter((f) => f.cut).map((f) => `${f.text} [${f.shown} px shows ${f.needed} px]`);
    const widest = fits.reduce((a, b) => (b.needed > a.needed ? b : a));
    console.log(`toast message line: ${widest.shown} px; widest Tidemark toast ${widest.needed} px: ${widest.text}`);

    // Show the widest one as the user would see it.
    await step(page, 'toasts-02-widest-toast', async () => {
      await page.evaluate(`(([s, t]) => { document.querySelector(s).textContent = t; })(${JSON.stringify([MESSAGE, widest.text])})`);
    });

    // The budget: every TOAST_BUDGET characters of Tidemark's English (the l10n bundle, one text)
    // fit on the line, whichever word they start at.
    const bundle = Object.keys(JSON.parse(readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>);
    const corpus = bundle.join(' ');
    const capacity = (await page.evaluate(`(${capacityScript})(${JSON.stringify([MESSAGE, corpus])})`)) as { at: number; chars: number; text: string }[];
    const least = capacity.reduce((a, b) => (b.chars < a.chars ? b : a));
    const chars = capacity.map((c) => c.chars).sort((a, b) => a - b);
    console.log(
      `characters of Tidemark's English that fit on the toast line, over ${chars.length} word starts: least ${least.chars} ("${least.text}"), median ${chars[chars.length >> 1]}, most ${chars[chars.length - 1]}; TOAST_BUDGET ${TOAST_BUDGET}`,
    );
    assert.deepEqual(cut, [], 'toasts cut at VS Code’s toast width');
    assert.ok(least.chars >= TOAST_BUDGET, `only ${least.chars} characters fit from "${least.text}": TOAST_BUDGET (${TOAST_BUDGET}) is more than a toast holds`);
  });
});
