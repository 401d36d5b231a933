/**
 * What the status bar item shows for the pinned metric. Pure (no vscode import).
 */
import type { TidemarkConfig } from '../../../core/types';
import { formatValue } from '../../../core/units';
import { formatDeltaLong, formatDeltaShort } from '../delta';
import { codeSpan, escapeMarkdown, escapeStatusText } from '../../common/markdown';
import { originOf } from '../origin';
import { buildMetricView, statusText, type MetricViewInput } from '../tree/viewModel';
import { relativeTime, utcTime } from '../../common/time';
import { ALARM_STATUS_BAR_BACKGROUND, ALARM_TEXT, alarmOf, judgementTooltipLines } from '../judgement';

export interface StatusBarView {
  text: string;
  tooltip: string;
  /** Theme colour id for the background, or undefined for the default. */
  backgroundColor: 'statusBarItem.warningBackground' | 'statusBarItem.errorBackground' | undefined;
  accessibilityLabel: string;
}

/** The metric shown by default: the first numeric metric of the config. */
export function defaultPinnedMetric(config: TidemarkConfig): string | undefined {
  return Object.entries(config.metrics).find(([, m]) => m.type === 'numeric')?.[0];
}

/** The pinned metric if the config still has it, else the default. */
export function resolvePinnedMetric(config: TidemarkConfig, setting: string | undefined): string | undefined {
  if (setting && config.metrics[setting]) return setting;
  return defaultPinnedMetric(config);
}

export function buildStatusBarView(input: MetricViewInput, running: boolean, folderName?: string): StatusBarView {
  const view = buildMetricView(input);
  const unit = input.config.unit ?? null;
  const value = input.latest?.value ?? null;
  const icon = running ? '$(sync~spin)' : '$(graph)';
  const reading = value === null ? statusText(view.status) : formatValue(value, unit);
  const deltaText = formatDeltaShort(view.delta, unit);
  const text = [icon, escapeStatusText(input.id), escapeStatusText(reading), deltaText].filter((p) => p !== '').join(' ');

  const lastFailed = view.status === 'failed' || view.status === 'timeout' || view.status === 'invalid-output';
  const alarm = view.status === 'ok' ? alarmOf(input.judgement) : undefined;
  // A metric with rules is coloured by their judgement; one without by the direction of change.
  const judged = view.status === 'ok' && input.judgement !== undefined && input.judgement.checks.length > 0;
  const backgroundColor = lastFailed
    ? 'statusBarItem.errorBackground'
    : alarm
      ? ALARM_STATUS_BAR_BACKGROUND[alarm]
      : !judged && view.delta.verdict === 'worse'
        ? 'statusBarItem.warningBackground'
        : undefined;

  const lines = [`**Tidemark** ${folderName ? `· ${escapeMarkdown(folderName)} ` : ''}· ${codeSpan(input.id)}${running ? ' — running…' : ''}`, ''];
  const build = input.latest?.lastOutcomeBuild;
  lines.push(
    build
      ? `Last run: ${utcTime(build.timestamp)} (${relativeTime(build.timestamp, input.now)}), ${statusText(view.status)} — ${originOf(build).long}`
      : 'Never run.',
  );
  if (value !== null) lines.push('', `Value: **${escapeMarkdown(formatValue(value, unit))}**`);
  if (input.baseline) {
    lines.push(
      '',
      `Baseline on ${codeSpan(input.baseline.referenceBranch)}: ${escapeMarkdown(formatValue(input.baseline.value, unit))} ` +
        `(${escapeMarkdown(formatDeltaLong(view.delta, unit))}), ${originOf(input.baseline.build).long}`,
    );
    if (input.baseline.explanation) lines.push('', `Chosen as: ${escapeMarkdown(input.baseline.explanation)}`);
  } else {
    lines.push('', 'No baseline yet.');
  }
  if (view.status === 'ok') lines.push(...judgementTooltipLines(input.judgement));
  lines.push('', 'Click to open the report.');

  const a11y = [`Tidemark ${input.id}`, value === null ? statusText(view.status) : formatValue(value, unit)];
  if (view.delta.verdict !== 'unknown') a11y.push(`${formatDeltaLong(view.delta, unit)} against the baseline, ${view.delta.verdict}`);
  if (alarm) a11y.push(ALARM_TEXT[alarm]);
  if (running) a11y.push('metrics running');

  return { text, tooltip: lines.join('\n'), backgroundColor, accessibilityLabel: a11y.join(', ') };
}
