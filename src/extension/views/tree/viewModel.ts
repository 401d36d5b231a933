/**
 * What the Metrics tree shows for a metric and for one of its runs, computed from the store's
 * LatestMetric and the baseline. Pure (no vscode import) so it is unit tested directly;
 * metricsTree.ts turns these descriptions into TreeItems.
 */
import type { BuildRecord, MetricConfig, MetricValue, RunEvent, ResultStatus, Verdict } from '../../../core/types';
import { NO_GIT_SHA } from '../../../core/types';
import type { LatestMetric } from '../../../core/store/api';
import type { PartChange } from '../../../core/store/parts';
import { partChangeText } from '../../../core/analysis/parts';
import { formatValue } from '../../../core/units';
import { hasLineCoverage } from '../../../core/collect/collectors/coverage/lineCoverage';
import { computeDelta, formatDeltaLong, formatDeltaShort, type Delta } from '../delta';
import { codeBlock, codeSpan, escapeMarkdown } from '../../common/markdown';
import { formatMs, relativeTime, utcTime } from '../../common/time';
import { ALARM_ICON, ALARM_TEXT, alarmOf, judgementTooltipLines, type MetricJudgement } from '../judgement';

export type MetricStatus = ResultStatus | 'stale' | 'never-run';

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
  /** Which run this is and how it was chosen (commit, branch, time, method). */
  explanation?: string;
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
  delta: Delta;
  icon: IconSpec;
  tooltip: string;
  /** metric.numeric.coverage: a coverage metric whose report has lines (the coverage gutter's toggle). */
  contextValue: 'metric.numeric' | 'metric.numeric.coverage' | 'metric.label';
  accessibilityLabel: string;
}

const STATUS_TEXT: Record<MetricStatus, string> = {
  ok: 'ok',
  failed: 'failed',
  timeout: 'timed out',
  'invalid-output': 'invalid output',
  cancelled: 'cancelled',
  stale: 'stale',
  'never-run': 'never run',
};

export function statusText(status: MetricStatus): string {
  return STATUS_TEXT[status];
}

/** Status of the latest attempt, or `stale` when its result predates the config or HEAD. */
export function metricStatus(input: Pick<MetricViewInput, 'latest' | 'headSha' | 'configChangedAt'>): MetricStatus {
  const outcome = input.latest?.lastOutcome;
  const build = input.latest?.lastOutcomeBuild;
  if (!outcome || !build) return 'never-run';
  if (outcome.status !== 'ok') return outcome.status;
  if (input.configChangedAt && Date.parse(build.timestamp) < Date.parse(input.configChangedAt)) return 'stale';
  if (input.headSha && input.headSha !== NO_GIT_SHA && build.commitSha !== input.headSha) return 'stale';
  return 'ok';
}

function verdictColor(verdict: Verdict): string | undefined {
  if (verdict === 'better') return 'charts.green';
  if (verdict === 'worse') return 'charts.red';
  return undefined;
}

export function statusIcon(status: MetricStatus, delta: Delta): IconSpec {
  switch (status) {
    case 'ok':
      if (delta.delta !== null && delta.delta !== 0) {
        return { id: delta.delta > 0 ? 'arrow-up' : 'arrow-down', color: verdictColor(delta.verdict) ?? 'charts.blue' };
      }
      return { id: 'pass', color: 'testing.iconPassed' };
    case 'failed':
      return { id: 'error', color: 'testing.iconFailed' };
    case 'timeout':
      return { id: 'watch', color: 'testing.iconFailed' };
    case 'invalid-output':
      return { id: 'warning', color: 'testing.iconErrored' };
    case 'cancelled':
      return { id: 'circle-slash', color: 'testing.iconSkipped' };
    case 'stale':
      return { id: 'history', color: 'disabledForeground' };
    case 'never-run':
      return { id: 'circle-outline' };
  }
}

function tail(text: string, lines: number): string {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(-lines).join('\n');
}

function shortSha(sha: string): string {
  return sha === NO_GIT_SHA ? 'no commit' : sha.slice(0, 7);
}

export function buildMetricView(input: MetricViewInput): MetricView {
  const { id, config, latest, baseline } = input;
  const unit = config.unit ?? null;
  const status = metricStatus(input);
  const value = latest?.value ?? null;
  const delta = computeDelta(value, baseline?.value, config.direction);
  const shortDelta = formatDeltaShort(delta, unit);
  const valueText = value === null ? '' : formatValue(value, unit);

  const reading = [valueText, shortDelta].filter((p) => p !== '').join(' ');
  // The rules judge HEAD's value: it only colours a current value.
  const alarm = status === 'ok' ? alarmOf(input.judgement) : undefined;
  const description = [reading, status === 'ok' ? '' : statusText(status), alarm ? ALARM_TEXT[alarm] : ''].filter((p) => p !== '').join(' · ');

  const label = config.name ? `${config.name}` : id;
  const tooltip = metricTooltip(input, status, delta);
  const accessibility = [label, valueText || 'no value', statusText(status)];
  if (delta.verdict !== 'unknown') accessibility.push(`${formatDeltaLong(delta, unit)} against ${baseline?.referenceBranch}, ${delta.verdict}`);
  if (alarm) accessibility.push(ALARM_TEXT[alarm]);

  return {
    label,
    description,
    status,
    delta,
    icon: alarm ? ALARM_ICON[alarm] : statusIcon(status, delta),
    tooltip,
    contextValue: config.type !== 'numeric' ? 'metric.label' : hasLineCoverage(config.command) ? 'metric.numeric.coverage' : 'metric.numeric',
    accessibilityLabel: accessibility.join(', '),
  };
}

function metricTooltip(input: MetricViewInput, status: MetricStatus, delta: Delta): string {
  const { id, config, latest, baseline, now } = input;
  const unit = config.unit ?? null;
  const lines: string[] = [];
  const title = config.name ? `${escapeMarkdown(config.name)} (${codeSpan(id)})` : codeSpan(id);
  const alarm = status === 'ok' ? alarmOf(input.judgement) : undefined;
  lines.push(`**${title}** — ${statusText(status)}${alarm ? ` · ${ALARM_TEXT[alarm]}` : ''}`);
  if (config.description) lines.push('', escapeMarkdown(config.description));
  lines.push('', `Command: ${codeSpan(config.command)}`);

  const outcome = latest?.lastOutcome;
  const outcomeBuild = latest?.lastOutcomeBuild;
  if (outcome && outcomeBuild) {
    lines.push(
      '',
      `Last run: ${utcTime(outcomeBuild.timestamp)} (${relativeTime(outcomeBuild.timestamp, now)}), ` +
        `${outcome.durationMs === null ? '' : `took ${formatMs(outcome.durationMs)}, `}${outcomeBuild.event} run #${outcomeBuild.runNumber} ` +
        `on ${codeSpan(outcomeBuild.branch)} @ ${shortSha(outcomeBuild.commitSha)}${outcomeBuild.dirty ? ' (uncommitted changes)' : ''}`,
    );
  } else {
    lines.push('', 'Never run in this folder.');
  }
  if (latest?.value !== null && latest?.value !== undefined && latest.valueBuild) {
    lines.push('', `Value: **${escapeMarkdown(formatValue(latest.value, unit))}** (run #${latest.valueBuild.runNumber})`);
  }
  if (status === 'stale') {
    lines.push('', 'Stale: its definition in tidemark.json changed, or HEAD moved, since this value was measured.');
  }
  if (baseline) {
    lines.push(
      '',
      `Baseline: ${escapeMarkdown(formatValue(baseline.value, unit))} on ${codeSpan(baseline.referenceBranch)} @ ` +
        `${shortSha(baseline.build.commitSha)} (run #${baseline.build.runNumber}, ${utcTime(baseline.build.timestamp)})`,
      ...(baseline.explanation ? ['', `Chosen as: ${escapeMarkdown(baseline.explanation)}`] : []),
      '',
      `Change: ${escapeMarkdown(formatDeltaLong(delta, unit))}${delta.verdict === 'better' || delta.verdict === 'worse' ? ` — ${delta.verdict}` : ''}`,
    );
    if (input.parts?.length) {
      lines.push('', unit === 'percent' ? 'Files whose coverage changed most:' : 'Files that moved it:', '', ...input.parts.slice(0, 3).map((p) => `- ${escapeMarkdown(partChangeText(p, unit))}`));
    }
  } else {
    lines.push('', 'Baseline: no clean run on the reference branch yet.');
  }
  if (status === 'ok') lines.push(...judgementTooltipLines(input.judgement));
  if (outcome && outcome.status !== 'ok' && outcome.message) {
    lines.push('', 'Error:', '', codeBlock(tail(outcome.message, 12)));
  }
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

const EVENT_TEXT: Record<RunEvent, string> = { manual: 'manual', save: 'on save', ci: 'CI', import: 'imported', backfill: 'backfilled' };

export function buildRunView(input: RunViewInput): RunView {
  const { build, status, value, config, now } = input;
  const unit = config.unit ?? null;
  const valueText = status === 'ok' ? formatValue(value, unit) : statusText(status);
  const label = `#${build.runNumber} ${valueText}`;
  const description = `${relativeTime(build.timestamp, now)} · ${EVENT_TEXT[build.event]} · ${build.branch}@${shortSha(build.commitSha)}${build.dirty ? '*' : ''}`;
  const lines = [
    `**Run #${build.runNumber}** — ${escapeMarkdown(statusText(status))}`,
    '',
    `${utcTime(build.timestamp)}, ${EVENT_TEXT[build.event]}${input.durationMs === null ? '' : `, took ${formatMs(input.durationMs)}`}`,
    '',
    `Branch ${codeSpan(build.branch)} @ ${shortSha(build.commitSha)}${build.dirty ? ' with uncommitted changes' : ''}`,
  ];
  if (status === 'ok') lines.push('', `Value: **${escapeMarkdown(formatValue(value, unit))}**`);
  if (status !== 'ok' && input.message) lines.push('', codeBlock(tail(input.message, 12)));
  return {
    label,
    description,
    icon: statusIcon(status, { delta: null, percent: null, verdict: 'unknown' }),
    tooltip: lines.join('\n'),
  };
}
