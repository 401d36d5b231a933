// The translations the host hands the report page cross into the webview: the protocol bounds
// them (messages, their length, the language tag), and a host whose bundle does not fit sends
// the page English rather than a message the page would reject.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostMessageSchema, L10N_LIMITS, reportL10nSchema, type HostMessage } from '../../../src/shared/protocol';
import { ReportHost } from '../../../src/core/report/host';
import type { Logger } from '../../../src/core/types';

const GERMAN = { bundle: { Trends: 'Verläufe', 'Run All Metrics': 'Alle Metriken ausführen', '{0} runs': '{0} Läufe' }, language: 'de' };

function bundleOf(size: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: size }, (_, i) => [`message ${i}`, `Nachricht ${i}`]));
}

test('a bundle within the limits passes, English (no bundle) too', () => {
  assert.deepEqual(reportL10nSchema.parse(GERMAN), GERMAN);
  assert.deepEqual(reportL10nSchema.parse({ language: 'en' }), { language: 'en' });
  assert.equal(reportL10nSchema.safeParse({ bundle: bundleOf(L10N_LIMITS.messages), language: 'de' }).success, true);
});

test('an oversized bundle is rejected: too many messages, a message or translation too long, a non-string translation, a long language tag', () => {
  const tooMany = reportL10nSchema.safeParse({ bundle: bundleOf(L10N_LIMITS.messages + 1), language: 'de' });
  assert.equal(tooMany.success, false);
  assert.match(tooMany.error!.issues[0].message, /more than 5000 messages/);
  const long = 'x'.repeat(L10N_LIMITS.messageLength + 1);
  assert.equal(reportL10nSchema.safeParse({ bundle: { [long]: 'x' }, language: 'de' }).success, false);
  assert.equal(reportL10nSchema.safeParse({ bundle: { Trends: long }, language: 'de' }).success, false);
  assert.equal(reportL10nSchema.safeParse({ bundle: { Trends: 42 }, language: 'de' }).success, false);
  assert.equal(reportL10nSchema.safeParse({ language: 'de'.repeat(40) }).success, false);
  // The page rejects an init carrying such a bundle.
  const init = { type: 'init', meta: {}, navigate: {}, l10n: { bundle: bundleOf(L10N_LIMITS.messages + 1), language: 'de' } };
  assert.equal(hostMessageSchema.safeParse(init).success, false);
});

/** A host whose folder has no history: on ready it sends 'unavailable', with the translations. */
async function firstMessage(l10n: { bundle?: Record<string, string>; language: string }): Promise<{ message: HostMessage; warnings: string[] }> {
  const sent: HostMessage[] = [];
  const warnings: string[] = [];
  const logger: Logger = { trace() {}, debug() {}, info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(String(m)) };
  const host = new ReportHost({
    source: () => Promise.reject(new Error('no history yet')),
    post: async (m) => sent.push(m),
    logger,
    runAll: async () => {},
    copy: async () => {},
    l10n,
  });
  await host.receive({ type: 'ready' });
  assert.equal(sent.length, 1);
  assert.equal(hostMessageSchema.safeParse(sent[0]).success, true, 'the page accepts what the host sends');
  return { message: sent[0], warnings };
}

test('the host sends its translations with the first message', async () => {
  const { message, warnings } = await firstMessage(GERMAN);
  assert.deepEqual(message, { type: 'unavailable', message: 'no history yet', l10n: GERMAN });
  assert.deepEqual(warnings, []);
});

test('a host whose bundle is oversized sends English (keeping the language) and says why', async () => {
  const { message, warnings } = await firstMessage({ bundle: bundleOf(L10N_LIMITS.messages + 1), language: 'de' });
  assert.deepEqual(message, { type: 'unavailable', message: 'no history yet', l10n: { language: 'de' } });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /shown in English.*more than 5000 messages/);
});
