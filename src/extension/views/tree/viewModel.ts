/**
 * What the Metrics tree shows for a metric and for one of its runs, computed from the store's
 * LatestMetric and the baseline. Pure (no vscode import) so it is unit tested directly;
 * metricsTree.ts turns these descriptions into TreeItems.
 */
import type { BuildRecord, MetricConfig, MetricValue, ResultStatus, Unit } from '../../../core/types';
import { NO_GIT_SHA } from '../../../core/types';
import type { LatestMetric } from '../../../core/store/api';
import type { PartChange } from '../../../core/store/parts';
import { partChangeText } from '../../../core/analysis/parts';
import { formatValue } from '../../../core/units';
import { hasLineCoverage } from '../../../core/collect/collectors/coverage/lineCoverage';
import { changeLook, COLLECTION_LOOK, COLLECTION_WORDS, EVENT_SENTENCE, EVENT_WORDS, JUDGEMENT_LOOK, compareValues, describeChange, formatChange, type Change, type Look, type ViewCollectionStatus } from '../../../core/analysis/vocabulary';
import { codeBlock, codeSpan, escapeMarkdown } from '../../common/markdown';
import { formatMs, relativeTime, relativeTimeInSentence, utcTime } from '../../common/time';
import { originOf } from '../origin';
import { ALARM_TEXT, alarmOf, judgementTooltipLines, withinNoise, type MetricJudgement } from '../judgement';
import { l10n } from '../../../shared/l10n';

/** The collection status of the latest attempt, or `stale` when it predates the config or HEAD. */
export type MetricStatus = ViewCollectionStatus;

export interface IconSpec {
  /** Codicon id. */
  id: string;
  /** Theme colour id, if any. */
  color?: string;
}

export interface BaselineValue {
  value: MetricValue;
  build: BuildRecord;
  referenceBranch: string;
  /** Why this run is the baseline, without naming it: "merge-base of HEAD and main". */
  reason?: string;
}

export interface MetricViewInput {
  id: string;
  config: MetricConfig;
  latest: LatestMetric | undefined;
  baseline: BaselineValue | undefined;
  /** The judgement of the metric's rules (pass / warn / fail); absent when not evaluated. */
  judgement?: MetricJudgement;
  /** The folder's current HEAD commit, or null when unknown / outside git. */
  headSha: string | null;
  /** When the metric's definition in tidemark.json last changed (ISO), or null when unknown. */
  configChangedAt: string | null;
  now: Date;
  /** The files that moved the value since the baseline (top first), from the recorded breakdowns. */
  parts?: readonly PartChange[];
}

export interface MetricView {
  label: string;
  description: string;
  status: MetricStatus;
  change: Change;
  icon: IconSpec;
  tooltip: string;
  /** metric.numeric.coverage: a coverage metric whose report has lines (the coverage gutter's toggle). */
  contextValue: 'metric.numeric' | 'metric.numeric.coverage' | 'metric.label';
  accessibilityLabel: string;
}

/** A collection status in a word or two (the vocabulary's words; `stale` is the views' own). */
export function statusText(status: MetricStatus): string {
  return COLLECTION_LOOK[status].text;
}

/** Status of the latest attempt, or `stale` when its result predates the config or HEAD. */
export function metricStatus(input: Pick<MetricViewInput, 'latest' | 'headSha' | 'configChangedAt'>): MetricStatus {
  const outcome = input.latest?.lastOutcome;
  const build = input.latest?.lastOutcomeBuild;
  if (!outcome || !build) return 'never-run';
  if (outcome.status !== 'ok') return outcome.status;
  // The config file's date speaks only of runs this machine measured then: a team run (notes,
  // import) or a backfilled one (stamped with its commit's time) is not older than a fresh clone.
  const measuredHere = (build.source ?? 'local') === 'local' && build.event !== 'backfill';
  if (measuredHere && input.configChangedAt && Date.parse(build.timestamp) < Date.parse(input.configChangedAt)) return 'stale';
  if (input.headSha && input.headSha !== NO_GIT_SHA && build.commitSha !== input.headSha) return 'stale';
  return 'ok';
}

/**
 * The icon: a failed collection first, then a threshold's warn/fail, then the direction of the
 * change (green when better; a worse change without a threshold is not painted as an error).
 */
export function statusIcon(status: MetricStatus, change: Change, judgement?: MetricJudgement): IconSpec {
  if (status !== 'ok') return iconOf(COLLECTION_LOOK[status]);
  const alarm = alarmOf(judgement);
  if (alarm) return iconOf(JUDGEMENT_LOOK[alarm]);
  if (change.direction === 'better' || change.direction === 'worse' || change.direction === 'changed') return iconOf(changeLook(change));
  if (judgement?.status === 'pass') return iconOf(JUDGEMENT_LOOK.pass);
  return iconOf(COLLECTION_LOOK.ok);
}

/** The tree's icon for a look of the core vocabulary (the same codicon and colour as the report). */
function iconOf(look: Look): IconSpec {
  return look.color ? { id: look.icon, color: look.color } : { id: look.icon };
}

function tail(text: string, lines: number): string {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(-lines).join('\n');
}

function shortSha(sha: string): string {
  return sha === NO_GIT_SHA ? l10n.t('no commit') : sha.slice(0, 7);
}

/** The metric's change against its baseline, "unchanged" within the noise its statistical rule measured. */
export function metricChange(input: Pick<MetricViewInput, 'config' | 'latest' | 'baseline' | 'judgement'>): Change {
  return compareValues(input.latest?.value ?? null, input.baseline?.value, {
    unit: input.config.unit,
    direction: input.config.direction,
    withinNoise: withinNoise(input.judgement),
  });
}

export function buildMetricView(input: MetricViewInput): MetricView {
  const { id, config, latest, baseline } = input;
  const unit = config.unit ?? null;
  const status = metricStatus(input);
  const value = latest?.value ?? null;
  const change = metricChange(input);
  const valueText = value === null ? '' : formatValue(value, unit);
  // The rules judge HEAD's value: they only colour a current value.
  const judgement = status === 'ok' ? input.judgement : undefined;
  const alarm = alarmOf(judgement);

  // Short, for a default-width sidebar: value, change, and a collection problem in a word. A
  // threshold's warn/fail is the icon's (error/warning, in every theme); the tooltip says why.
  const shortChange = change.direction === 'unchanged' ? '' : formatChange(change, unit, 'short', baseline?.value);
  const description = [[valueText, shortChange].filter((p) => p !== '').join(' '), status === 'ok' ? '' : statusText(status)]
    .filter((p) => p !== '')
    .join(' · ');

  const label = config.name ? `${config.name}` : id;
  const accessibility = [label, valueText || l10n.t('no value'), statusText(status)];
  if (change.direction !== 'unknown') accessibility.push(l10n.t('{0} on {1}', describeChange(change, unit), baseline?.referenceBranch ?? ''));
  if (alarm) accessibility.push(ALARM_TEXT[alarm]);

  return {
    label,
    description,
    status,
    change,
    icon: statusIcon(status, change, judgement),
    tooltip: metricTooltip(input, status, change),
    contextValue: config.type !== 'numeric' ? 'metric.label' : hasLineCoverage(config.command) ? 'metric.numeric.coverage' : 'metric.numeric',
    accessibilityLabel: accessibility.join(', '),
  };
}

/** "Last run 10 minutes ago: ran ok in 1.2 s (manual run #7 on `feature` @ abc1234)." */
export function lastRunSentence(latest: LatestMetric | undefined, status: MetricStatus, now: Date): string {
  const outcome = latest?.lastOutcome;
  const build = latest?.lastOutcomeBuild;
  if (!outcome || !build) return l10n.t('It never ran in this folder.');
  const word = COLLECTION_WORDS[outcome.status];
  const outcomeText = outcome.durationMs === null ? word : l10n.t('{0} in {1}', word, formatMs(outcome.durationMs));
  const args = { when: relativeTimeInSentence(build.timestamp, now), time: utcTime(build.timestamp), outcome: outcomeText, event: EVENT_WORDS[build.event], run: build.runNumber, branch: codeSpan(build.branch), commit: shortSha(build.commitSha) };
  const sentence = build.dirty
    ? l10n.t('Last run {when} ({time}): {outcome}, {event} run #{run} on {branch} @ {commit} with uncommitted changes.', args)
    : l10n.t('Last run {when} ({time}): {outcome}, {event} run #{run} on {branch} @ {commit}.', args);
  return status === 'stale' ? `${sentence} ${l10n.t("HEAD moved or the metric's definition changed since: run it again for a current value.")}` : sentence;
}

/** "Baseline: 215 kB from run #5 on `main` @ def5678 (2026-11-23 09:00 UTC), the merge-base of HEAD." */
export function baselineSentence(baseline: BaselineValue | undefined, unit: Unit | null | undefined): string {
  if (!baseline) return l10n.t('No baseline yet: once the reference branch has a run without uncommitted changes, values are compared with it.');
  const args = {
    value: escapeMarkdown(formatValue(baseline.value, unit ?? null)),
    run: baseline.build.runNumber,
    branch: codeSpan(baseline.referenceBranch),
    commit: shortSha(baseline.build.commitSha),
    time: utcTime(baseline.build.timestamp),
    why: escapeMarkdown(baseline.reason ?? ''),
  };
  return baseline.reason
    ? l10n.t('Baseline: {value} from run #{run} on {branch} @ {commit} ({time}), the {why}.', args)
    : l10n.t('Baseline: {value} from run #{run} on {branch} @ {commit} ({time}).', args);
}

/** "Now **245 kB**, +30 kB (+2.3%) against the baseline, worse." */
export function valueSentence(value: MetricValue | null, change: Change, unit: Unit | null | undefined): string {
  if (value === null) return l10n.t('No value yet.');
  const now = `**${escapeMarkdown(formatValue(value, unit ?? null))}**`;
  return change.direction === 'unknown' ? l10n.t('Now {0}.', now) : l10n.t('Now {0}, {1}.', now, escapeMarkdown(describeChange(change, unit)));
}

function metricTooltip(input: MetricViewInput, status: MetricStatus, change: Change): string {
  const { id, config, latest, baseline, now } = input;
  const unit = config.unit ?? null;
  const title = config.name ? `${escapeMarkdown(config.name)} (${codeSpan(id)})` : codeSpan(id);
  const lines: string[] = [`**${title}**`];
  if (config.description) lines.push('', escapeMarkdown(config.description));
  lines.push('', valueSentence(latest?.value ?? null, change, unit));
  if (status === 'ok') lines.push(...judgementTooltipLines(input.judgement));
  lines.push('', lastRunSentence(latest, status, now));
  lines.push('', baselineSentence(baseline, unit));
  if (baseline && input.parts?.length) {
    lines.push('', unit === 'percent' ? l10n.t('Files whose coverage changed most:') : l10n.t('Files that moved it:'), '', ...input.parts.slice(0, 3).map((p) => `- ${escapeMarkdown(partChangeText(p, unit))}`));
  }
  lines.push('', l10n.t('Measured by {0}.', codeSpan(config.command)));
  const outcome = latest?.lastOutcome;
  if (outcome && outcome.status !== 'ok' && outcome.message) lines.push('', l10n.t('Its output:'), '', codeBlock(tail(outcome.message, 12)));
  return lines.join('\n');
}

/** One recorded attempt of a metric, shown under the metric in the tree. */
export interface RunViewInput {
  build: BuildRecord;
  status: ResultStatus;
  value: MetricValue | null;
  durationMs: number | null;
  message: string | null;
  config: MetricConfig;
  now: Date;
}

export interface RunView {
  label: string;
  description: string;
  icon: IconSpec;
  tooltip: string;
}


export function buildRunView(input: RunViewInput): RunView {
  const { build, status, value, config, now } = input;
  const unit = config.unit ?? null;
  const valueText = status === 'ok' ? formatValue(value, unit) : COLLECTION_WORDS[status];
  const label = `#${build.runNumber} ${valueText}`;
  // Short for the sidebar; the commit, trigger and duration are in the tooltip.
  // A run from the team's history (git notes) or an import says so; this machine's runs need no word.
  const from = (build.source ?? 'local') === 'local' ? [] : [originOf(build).short];
  const description = [relativeTime(build.timestamp, now), ...from, `${build.branch}${build.dirty ? '*' : ''}`].join(' · ');
  const run = `**${l10n.t('Run #{0}', build.runNumber)}**`;
  const took = input.durationMs === null ? undefined : formatMs(input.durationMs);
  const bold = `**${escapeMarkdown(formatValue(value, unit))}**`;
  const word = COLLECTION_WORDS[status];
  const where = { event: EVENT_SENTENCE[build.event], branch: codeSpan(build.branch), commit: shortSha(build.commitSha), time: utcTime(build.timestamp) };
  const lines = [
    status === 'ok'
      ? took === undefined
        ? l10n.t('{0} ran ok: {1}.', run, bold)
        : l10n.t('{0} ran ok in {1}: {2}.', run, took, bold)
      : took === undefined
        ? l10n.t('{0} {1}.', run, word)
        : l10n.t('{0} {1} in {2}.', run, word, took),
    '',
    build.dirty ? l10n.t('{event}, on {branch} @ {commit} with uncommitted changes, {time}.', where) : l10n.t('{event}, on {branch} @ {commit}, {time}.', where),
  ];
  if (status !== 'ok' && input.message) lines.push('', l10n.t('Its output:'), '', codeBlock(tail(input.message, 12)));
  return {
    label,
    description,
    icon: statusIcon(status, { direction: 'unknown', delta: null, percent: null, points: false }),
    tooltip: lines.join('\n'),
  };
}
