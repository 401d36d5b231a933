/**
 * What the status bar item shows for the pinned metric. Pure (no vscode import).
 * Its background is coloured only by a threshold's warn or fail, and the tooltip says why.
 */
import type { MetricConfig, TidemarkConfig } from '../../../core/types';
import { formatValue } from '../../../core/units';
import { describeChange, formatChange } from '../../../core/analysis/vocabulary';
import { codeSpan, escapeMarkdown, escapeStatusText } from '../../common/markdown';
import { baselineSentence, buildMetricView, lastRunSentence, statusText, valueSentence, type MetricViewInput } from '../tree/viewModel';
import { ALARM_ICON, ALARM_STATUS_BAR_BACKGROUND, ALARM_TEXT, alarmOf, judgementTooltipLines } from '../judgement';
import { l10n } from '../../../shared/l10n';

export interface StatusBarView {
  text: string;
  tooltip: string;
  /** Theme colour id for the background, or undefined for the default. */
  backgroundColor: 'statusBarItem.warningBackground' | 'statusBarItem.errorBackground' | undefined;
  accessibilityLabel: string;
}

/** How much a user is likely to care about a metric in the status bar (higher first). */
function interest(metric: MetricConfig): number {
  if (metric.type !== 'numeric') return 0;
  const hasThresholds = metric.thresholds !== undefined && Object.keys(metric.thresholds).length > 0;
  // Timings are noisy: a build time flickers on every run without meaning much.
  const noisy = metric.unit === 'duration';
  return (hasThresholds ? 4 : 0) + (metric.direction ? 2 : 0) + (noisy ? 0 : 1);
}

/**
 * The metric shown by default: one a user cares about — with thresholds or a direction, not a
 * timing — in config order among equals; the first numeric metric at worst.
 */
export function defaultPinnedMetric(config: TidemarkConfig): string | undefined {
  let best: [string, number] | undefined;
  for (const [id, metric] of Object.entries(config.metrics)) {
    if (metric.type !== 'numeric') continue;
    const score = interest(metric);
    if (!best || score > best[1]) best = [id, score];
  }
  return best?.[0];
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
  const alarm = view.status === 'ok' ? alarmOf(input.judgement) : undefined;
  // A threshold's warn/fail has its icon too: high-contrast themes give the item no background colour.
  const icon = running ? '$(sync~spin)' : alarm ? `$(${ALARM_ICON[alarm].id})` : '$(graph)';
  const reading = value === null ? statusText(view.status) : formatValue(value, unit);
  const changeText = view.change.direction === 'unchanged' ? '' : escapeStatusText(formatChange(view.change, unit, 'short', input.baseline?.value));
  // A failed collection is said in words (and an icon), never with a threshold's colour.
  const failed = view.status === 'failed' || view.status === 'timeout' || view.status === 'invalid-output';
  const text = [icon, escapeStatusText(input.id), escapeStatusText(reading), changeText, failed && value !== null ? `$(error) ${statusText(view.status)}` : '']
    .filter((p) => p !== '')
    .join(' ');

  const backgroundColor = alarm ? ALARM_STATUS_BAR_BACKGROUND[alarm] : undefined;

  const title = [`**${l10n.t('Tidemark')}**`, folderName ? escapeMarkdown(folderName) : '', codeSpan(input.id), running ? l10n.t('running…') : ''].filter((p) => p !== '').join(' · ');
  const lines = [title, '', valueSentence(value, view.change, unit)];
  if (view.status === 'ok') lines.push(...judgementTooltipLines(input.judgement));
  lines.push('', lastRunSentence(input.latest, view.status, input.now), '', baselineSentence(input.baseline, unit));
  lines.push(
    '',
    alarm === 'fail'
      ? l10n.t('The error icon and background mean a threshold fails.')
      : alarm === 'warn'
        ? l10n.t('The warning icon and background mean a threshold warns.')
        : l10n.t('The item is marked only when a threshold warns or fails.'),
    '',
    l10n.t('Click to open the report.'),
  );

  const a11y = [l10n.t('Tidemark {0}', input.id), value === null ? statusText(view.status) : formatValue(value, unit)];
  if (view.change.direction !== 'unknown') a11y.push(describeChange(view.change, unit));
  if (failed) a11y.push(l10n.t('last run {0}', statusText(view.status)));
  if (alarm) a11y.push(ALARM_TEXT[alarm]);
  if (running) a11y.push(l10n.t('metrics running'));

  return { text, tooltip: lines.join('\n'), backgroundColor, accessibilityLabel: a11y.join(', ') };
}
