// Counts, lists and relative times come from Intl in the display language, not from
// hand-written English rules ("s" suffixes, "min ago").
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { l10n, list, plural, useLanguage } from '../../../src/shared/l10n';
import { countOf } from '../../../src/extension/common/plural';
import { relativeTime } from '../../../src/extension/common/time';
import { relativeTime as reportRelativeTime } from '../../../src/shared/relativeTime';

afterEach(() => useLanguage(undefined));

const now = new Date('2026-11-24T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

test('relative times read as people say them: now, minutes, hours, yesterday, months, years', () => {
  assert.equal(relativeTime(ago(10), now), 'now');
  assert.equal(relativeTime(ago(44), now), 'now');
  assert.equal(relativeTime(ago(60), now), '1 minute ago');
  assert.equal(relativeTime(ago(10 * 60), now), '10 minutes ago');
  assert.equal(relativeTime(ago(50 * 60), now), '1 hour ago');
  assert.equal(relativeTime(ago(5 * 3600), now), '5 hours ago');
  assert.equal(relativeTime(ago(26 * 3600), now), 'yesterday');
  assert.equal(relativeTime(ago(3 * 86400), now), '3 days ago');
  assert.equal(relativeTime(ago(60 * 86400), now), '2 months ago');
  assert.equal(relativeTime(ago(3 * 365 * 86400), now), '3 years ago');
  // A teammate's clock ahead of ours: said as the future, not as a negative age.
  assert.equal(relativeTime(new Date(now.getTime() + 5 * 60_000).toISOString(), now), 'in 5 minutes');
  assert.equal(relativeTime('not a time', now), 'not a time');
});

test("relative times follow VS Code's display language", () => {
  useLanguage('de');
  assert.equal(relativeTime(ago(10 * 60), now), 'vor 10 Minuten');
  assert.equal(relativeTime(ago(26 * 3600), now), 'gestern');
  useLanguage('fr');
  assert.equal(relativeTime(ago(10), now), 'maintenant');
  useLanguage('not a language tag!');
  assert.equal(relativeTime(ago(10 * 60), now), '10 minutes ago', 'an unusable tag falls back to English');
  // The report keeps its own en-US wording whatever the editor's language.
  assert.equal(reportRelativeTime(ago(3 * 86400), now.getTime(), 'en-US'), '3 days ago');
});

test("a count picks its message by the display language's plural rule", () => {
  const runs = (n: number) => plural(n, l10n.t('{0} run', n), l10n.t('{0} runs', n));
  assert.deepEqual([0, 1, 2, 21].map(runs), ['0 runs', '1 run', '2 runs', '21 runs']);
  // French counts 0 and 1 as singular: the translator's "one" message is chosen for 0.
  useLanguage('fr');
  assert.equal(plural(0, 'one', 'other'), 'one');
  assert.equal(plural(2, 'one', 'other'), 'other');
  // The log stays English whatever the display language.
  assert.equal(countOf(0, 'folder', 'folders'), '0 folders');
  assert.equal(countOf(1, 'running metric', 'running metrics'), '1 running metric');
});

test('lists are joined by Intl.ListFormat: "a, b, and c" in English, "a, b et c" in French', () => {
  assert.equal(list(['size']), 'size');
  assert.equal(list(['size', 'coverage']), 'size and coverage');
  assert.equal(list(['size', 'coverage', 'loc']), 'size, coverage, and loc');
  useLanguage('fr');
  assert.equal(list(['size', 'coverage', 'loc']), 'size, coverage et loc');
});
