// The l10n bridge (src/shared/l10n.ts) of the pure view models and core's status vocabulary:
// English formatting as vscode.l10n.t does it, the display language's translator once activation
// hands it over, and a bundle that is current.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { LatestMetric } from '../../../src/core/store/api';
import type { BuildRecord, MetricConfig } from '../../../src/core/types';
import { formatMessage, l10n, useTranslator, type L10nArg } from '../../../src/shared/l10n';
import { buildMetricView, buildRunView } from '../../../src/extension/views/tree/viewModel';
import {
  CHANGE_WORDS,
  changePhrase,
  COLLECTION_LOOK,
  COLLECTION_WORDS,
  describeChange,
  EVENT_SENTENCE,
  EVENT_WORDS,
  JUDGEMENT_LOOK,
  JUDGEMENT_WORDS,
  originOf,
} from '../../../src/core/analysis/vocabulary';
import { buildStatusBarView } from '../../../src/extension/views/statusBar/statusBarModel';
import { judgementTooltipLines } from '../../../src/extension/views/judgement';

// out/test/unit/extension -> the repository root.
const root = path.resolve(__dirname, '../../../..');

afterEach(() => useTranslator(undefined));

test('English messages are formatted as vscode.l10n.t formats them', () => {
  assert.equal(l10n.t('Run #{0} on {1}', 7, 'main'), 'Run #7 on main');
  assert.equal(l10n.t('{when} on {branch}', { when: 'now', branch: 'main' }), 'now on main');
  assert.equal(l10n.t('No value yet.'), 'No value yet.');
  // An unknown placeholder stays (a JSON snippet in a message is not eaten), as in VS Code.
  assert.equal(formatMessage('"share": { "enabled": false } in {0}', ['app']), '"share": { "enabled": false } in app');
  assert.equal(formatMessage('{1} {0} {2}', ['a', 'b']), 'b a {2}');
  assert.equal(formatMessage('{name}', ['a']), '{name}');
});

/** A translator that marks every message it translates: «…». */
function marking(message: string, ...args: unknown[]): string {
  const values = args.length === 1 && typeof args[0] === 'object' ? (args[0] as Record<string, L10nArg>) : (args as L10nArg[]);
  return `«${formatMessage(message, values)}»`;
}

/** The text outside every «…» (nested ones included): what the translator never saw. */
function untranslated(text: string): string {
  let rest = text;
  for (let previous = ''; previous !== rest; ) {
    previous = rest;
    rest = rest.replace(/«[^«»]*»/g, ' ');
  }
  return rest;
}

const HEAD = 'a'.repeat(40);
const now = new Date('2026-11-24T12:00:00Z');
const build: BuildRecord = { id: 1, commitSha: HEAD, branch: 'feature', runId: 'r1', runNumber: 7, event: 'save', timestamp: '2026-11-24T11:50:00Z', dirty: true };
const mainBuild: BuildRecord = { ...build, id: 2, branch: 'main', commitSha: 'b'.repeat(40), runNumber: 5, dirty: false, event: 'ci', source: 'notes' };
const config: MetricConfig = { type: 'numeric', command: 'du -sb dist', unit: 'bytes', direction: 'lower-is-better', timeout: 60000, onSave: false };
const latest: LatestMetric = {
  metric: 'bundle-size',
  value: 1_210_000,
  valueBuild: build,
  lastOutcome: { metric: 'bundle-size', status: 'ok', value: 1_210_000, durationMs: 1200, message: null },
  lastOutcomeBuild: build,
};
const judgement = { status: 'fail' as const, checks: [{ rule: 'max', status: 'fail' as const, explanation: 'above 1 MB' }] };
const input = {
  id: 'bundle-size',
  config,
  latest,
  baseline: { value: 1_182_796, build: mainBuild, referenceBranch: 'main', reason: 'merge-base of HEAD' },
  judgement,
  headSha: HEAD,
  configChangedAt: null,
  now,
};

test("the view models' sentences go through the translator activation installs", () => {
  useTranslator(marking);
  const view = buildMetricView(input);
  const status = buildStatusBarView(input, true, 'app');
  const run = buildRunView({ build: mainBuild, status: 'failed', value: null, durationMs: 900, message: 'exit 1', config, now });
  // Each tooltip line that has words in it says them through the translator.
  const lines = [...view.tooltip.split('\n'), ...status.tooltip.split('\n'), ...run.tooltip.split('\n'), status.accessibilityLabel];
  for (const line of lines.filter((l) => /[a-z]{3}/i.test(l))) {
    if (/^(```|- |\*\*`bundle-size`\*\*$|exit 1$)/.test(line)) continue; // the output block, rules' own explanations, the title (an id)
    assert.match(line, /«/, `translated: ${line}`);
  }
  assert.match(view.tooltip, /«Baseline: .*, the merge\\?-base of HEAD\.»/);
  assert.match(view.accessibilityLabel, /««.+ against the baseline, «worse»» on main»/);
  assert.match(run.tooltip, /««Run in CI», on `main` @ bbbbbbb, 2026-11-24 11:50 UTC\.»/);
  assert.match(judgementTooltipLines(judgement).join('\n'), /«Fails a threshold:»/);
  // Leftover English outside the marks would be text a translation cannot reach.
  assert.doesNotMatch(untranslated(status.tooltip), /\b(Last|Baseline|Now|Click|background|running|run|against)\b/);

  useTranslator(undefined);
  assert.doesNotMatch(buildMetricView(input).tooltip, /«/, 'back to English without a translator');
});

test("core's status vocabulary (tree, status bar, report, check) goes through the same translator, read when used", () => {
  useTranslator(marking);
  assert.equal(COLLECTION_WORDS.ok, '«ran ok»');
  assert.equal(COLLECTION_LOOK.stale.text, '«outdated»');
  assert.equal(JUDGEMENT_LOOK.fail.text, '«fails a threshold»');
  assert.equal(JUDGEMENT_WORDS.unknown, '«not judged»');
  assert.equal(CHANGE_WORDS.unknown, '«no baseline to compare with»');
  assert.equal(EVENT_WORDS.backfill, '«backfilled»');
  assert.equal(EVENT_SENTENCE.ci, '«Run in CI»');
  assert.equal(originOf({ event: 'save', source: 'notes' }).long, "«a teammate's run on save, from the team's history (git notes)»");
  const worse = { direction: 'worse' as const, delta: 30_000, percent: 2.5, points: false };
  assert.equal(changePhrase(worse, 'bytes'), '«+30 kB (+2.5%), «worse»»');
  assert.equal(describeChange({ ...worse, direction: 'unchanged' }, 'bytes'), '«unchanged from the baseline»');
  // A look keeps its icon and colour; only the words are translated.
  assert.deepEqual({ ...JUDGEMENT_LOOK.warn }, { icon: 'warning', color: 'list.warningForeground', text: '«warns on a threshold»' });
  useTranslator(undefined);
  assert.equal(COLLECTION_WORDS.ok, 'ran ok', 'English again without a translator (the CLI and the report)');
  assert.equal(changePhrase(worse, 'bytes'), '+30 kB (+2.5%), worse');
});

test('l10n/bundle.l10n.json holds exactly the messages of the code (npm run l10n)', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'l10n.mjs'), '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /current \(\d{3,} messages\)/);
});
