// Every toast Tidemark can show fits on the one line VS Code gives a toast's message: its longest
// text (runtime values as typical stand-ins) has at most TOAST_BUDGET characters. The budget is
// measured in code-server by test/e2e/toasts.test.ts, which also shows each of these texts in a real
// toast. The texts are read from the source with the TypeScript compiler
// (test/fixtures/toastMessages.ts): a new toast is covered without being listed here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { collectToasts, STAND_IN, TOAST_BUDGET, toastsShownElsewhere } from '../../fixtures/toastMessages';

// out/test/unit/extension -> the repository root.
const root = path.resolve(__dirname, '../../../..');
const { toasts, messagesOf } = collectToasts(root);

test('the collector finds the toasts, follows plural(), named placeholders and callbacks, and leaves out modal dialogs', () => {
  assert.ok(toasts.length >= 35, `only ${toasts.length} toasts found`);
  const byTemplate = (t: string) => toasts.filter((x) => x.templates.includes(t));
  // plural(n, one, other) with a count: the longer branch, the count as "12".
  assert.ok(toasts.some((t) => t.text === `Created tidemark.json with 12 metrics.`), JSON.stringify(toasts.map((t) => t.text)));
  // A named placeholder filled from a constant the message is built from (Measure History's summary).
  assert.ok(byTemplate('Measure History: {0}.').some((t) => t.text === 'Measure History: 12 commits measured, 12 failed.'));
  // A toast helper's callers are toasts (restrictedToast passes its message on).
  assert.ok(toasts.some((t) => t.where.startsWith('src/extension/commands/handlers.ts') && t.text === 'Restricted Mode: Tidemark runs no command.'));
  // A callback that words a git failure: the arrow function the caller passes.
  assert.ok(toasts.some((t) => t.text === `Could not pull the team history: ${STAND_IN}`));
  // "Delete all … runs?" is a modal dialog (its own width), not a toast.
  assert.equal(byTemplate('Delete all {0} recorded runs of {1}?').length, 0);
});

test('every toast Tidemark can show fits in a toast at VS Code’s width (one line, no "…")', () => {
  const all = [...toasts, ...toastsShownElsewhere.flatMap((e) => messagesOf(e.file, e.fn))];
  const tooLong = all.filter((t) => t.text.length > TOAST_BUDGET).map((t) => `${t.where}: ${t.text.length} characters: ${t.text}`);
  assert.deepEqual(tooLong, [], `toasts over ${TOAST_BUDGET} characters (put the action in a button, the details in the log)`);
});

test('a toast whose text is made elsewhere is listed with the function that makes it', () => {
  // A show…Message whose text the collector cannot follow to a message shows only a stand-in:
  // name where its text comes from in toastsShownElsewhere, so it is measured too.
  const opaque = toasts.filter((t) => t.templates.length === 0).map((t) => t.where.replace(/:\d+$/, ''));
  const listed = toastsShownElsewhere.map((e) => e.at.split(' ')[0]);
  assert.deepEqual(opaque.filter((w) => !listed.includes(w)), []);
});
