/**
 * Chart.js configurations for the Trends charts: numeric lines per branch (with a min–max band
 * for bucketed data) and stacked label counts. Pure: the view passes in what they depend on.
 */
import { axisLabels, valueAxis } from '../../src/core/report/axis';
import { l10n, plural } from '../../src/shared/l10n';
import { lineX } from '../../src/core/report/trends';
import type { AxisCommit, MetricChangeRow, MetricInfo, MetricLimits, NumericLine, RunRow, TrendSeries } from '../../src/shared/protocol';
import { EVENT_WORDS, originOf } from '../../src/core/analysis/vocabulary';
import { themeChartOptions, type ChartDataset, type ChartOptions } from '../charts';
import { formatPercentChange, formatTime, formatTimeTick, formatValue, shortSha, timeAxisTicks } from '../format';
import { withAlpha, type ChartTheme } from '../theme';

type NumericSeries = Extract<TrendSeries, { kind: 'numeric' }>;
type LabelSeries = Extract<TrendSeries, { kind: 'label' }>;

/** What each dataset of a chart stands for (datasets of bands are not points of a run). */
export interface DatasetInfo {
  line?: NumericLine;
  role: 'value' | 'min' | 'max' | 'budget' | 'limit';
  label?: string;
}

export interface ChartInputs {
  window: { from: number; to: number };
  /** The zoomed part of the window (drag-to-zoom); absent: the whole window. */
  zoom?: { from: number; to: number };
  /** Commit axis: the commits by position (reference branch first at a shared position) and by sha. */
  commits?: { byX: Map<number, AxisCommit>; bySha: Map<string, AxisCommit> };
  /** Change points of this metric, drawn as markers (commit axis and time axis). */
  changes?: MetricChangeRow[];
  runs: Map<number, RunRow>;
  theme: ChartTheme;
  /** Branches in colour order: current, reference, then the rest. */
  branchOrder: string[];
  openPoint(line: NumericLine, index: number): void;
  /** The metric's threshold limits for the current head; absent: none drawn. */
  limits?: MetricLimits;
}

export interface ChartConfig {
  type: 'line' | 'bar';
  data: { labels?: string[]; datasets: ChartDataset<'line'>[] | ChartDataset<'bar'>[] };
  options: ChartOptions<'line'> | ChartOptions<'bar'>;
  info: DatasetInfo[];
}

export function numericChart(series: NumericSeries, inputs: ChartInputs): ChartConfig {
  const { theme, branchOrder: order } = inputs;
  const unit = series.metric.unit;
  const datasets: ChartDataset<'line'>[] = [];
  const info: DatasetInfo[] = [];
  // The current branch first: its colour is the palette's first and the keyboard walks it.
  [...series.lines].sort((a, b) => order.indexOf(a.branch) - order.indexOf(b.branch)).forEach((line) => {
    const color = theme.palette[order.indexOf(line.branch) % theme.palette.length];
    const xs = lineX(line, inputs.window.from);
    const points = (ys: number[]) => xs.map((x, i) => ({ x, y: ys[i] }));
    if (line.bucketed && line.min && line.max) {
      datasets.push({ label: l10n.t('{0} min', line.branch), data: points(line.min), borderWidth: 0, pointRadius: 0, pointHitRadius: 0, fill: false, parsing: false, normalized: true });
      info.push({ line, role: 'min' });
      datasets.push({ label: l10n.t('{0} max', line.branch), data: points(line.max), borderWidth: 0, pointRadius: 0, pointHitRadius: 0, backgroundColor: withAlpha(color, theme.kind === 'high-contrast' ? 0.35 : 0.2), fill: '-1', parsing: false, normalized: true });
      info.push({ line, role: 'max' });
    }
    const few = xs.length <= 150;
    const single = xs.length <= 3;
    datasets.push({
      label: line.branch,
      data: points(line.y),
      borderColor: color,
      backgroundColor: color,
      borderWidth: theme.kind === 'high-contrast' ? 2.5 : 1.75,
      pointRadius: single ? 4.5 : few ? 2.5 : 0,
      pointHoverRadius: single ? 6.5 : 5,
      pointHitRadius: 6,
      tension: 0,
      spanGaps: true,
      // Points on the plot's edge (0 %, 100 %, a count of 0) are drawn whole.
      clip: 8,
      parsing: false,
      normalized: true,
    });
    info.push({ line, role: 'value' });
  });
  const shown = inputs.zoom ?? inputs.window;
  const commitAxis = inputs.commits;
  // Room around the window so the first and last points (and a lone one) are drawn whole.
  const pad = commitAxis ? 0.5 : Math.max((shown.to - shown.from) * 0.025, 60_000);
  const xMin = shown.from - pad;
  const xMax = shown.to + pad;
  if (inputs.limits) limitDatasets(inputs.limits, inputs, unit, datasets, info, { from: Math.min(xMin, inputs.window.from - pad), to: Math.max(xMax, inputs.window.to + pad) });
  const showLegend = series.lines.length > 1 || info.some((i) => i.role === 'budget' || i.role === 'limit');
  const y = yAxis(datasets, unit, xMin, xMax);
  const yLabels = new Map(y.ticks.map((t, i) => [t, y.labels[i]]));
  const timeTicks = timeAxisTicks(shown.from, shown.to, 7);
  const xTicks = commitAxis ? commitTicks(shown.from, shown.to, 8).ticks : timeTicks.ticks;
  const xLabel = (v: number) => (commitAxis ? commitLabel(commitAxis.byX.get(v)) : formatTimeTick(v, timeTicks.unit));
  const options: ChartOptions<'line'> = {
    parsing: false,
    normalized: true,
    animation: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    scales: {
      x: {
        type: 'linear',
        min: xMin,
        max: xMax,
        afterBuildTicks: (scale) => {
          scale.ticks = xTicks.map((value) => ({ value }));
        },
        ticks: { autoSkip: true, maxRotation: 0, callback: (v) => xLabel(Number(v)) },
      },
      y: {
        type: 'linear',
        min: y.min,
        max: y.max,
        afterBuildTicks: (scale) => {
          scale.ticks = y.ticks.map((value) => ({ value }));
        },
        ticks: { callback: (v) => yLabels.get(Number(v)) ?? formatValue(Number(v), unit) },
      },
    },
    plugins: {
      decimation: { enabled: !commitAxis, algorithm: 'min-max' },
      legend: { display: showLegend, position: 'bottom', labels: { boxWidth: 10, boxHeight: 10, filter: (item) => info[item.datasetIndex ?? 0]?.label !== undefined || info[item.datasetIndex ?? 0]?.role === 'value' } },
      tooltip: {
        filter: (item) => info[item.datasetIndex]?.role === 'value',
        callbacks: {
          title: (items) => {
            if (!items.length) return '';
            const run = inputs.runs.get(info[items[0].datasetIndex].line!.run[items[0].dataIndex]);
            const commit = commitAxis && run ? commitAxis.bySha.get(run.sha) : undefined;
            if (commit) return `${commit.tag ? `${commit.tag} · ` : ''}${shortSha(commit.sha)} ${commit.subject}`;
            return formatTime((items[0].raw as { x: number }).x);
          },
          label: (item) => {
            const line = info[item.datasetIndex].line!;
            const y = (item.raw as { y: number }).y;
            return line.bucketed ? l10n.t('{0}: mean {1}', line.branch, formatValue(y, unit)) : `${line.branch}: ${formatValue(y, unit)}`;
          },
          afterLabel: (item) => tooltipDetails(inputs.runs, info[item.datasetIndex].line!, item.dataIndex, unit, commitAxis?.bySha),
          footer: (items) => {
            const run = items.length ? inputs.runs.get(info[items[0].datasetIndex].line!.run[items[0].dataIndex]) : undefined;
            const change = run && inputs.changes?.find((c) => c.commitSha === run.sha);
            if (!change) return '';
            const percent = formatPercentChange(change.relativeChange === null ? null : change.relativeChange * 100);
            return l10n.t('Change point: {0} → {1} ({2})', formatValue(change.before, unit), formatValue(change.after, unit), percent);
          },
        },
      },
    },
    onClick: (_event, elements) => {
      const hit = elements.find((e) => info[e.datasetIndex]?.role === 'value');
      if (hit) inputs.openPoint(info[hit.datasetIndex].line!, hit.index);
    },
  };
  themeChartOptions(options as ChartOptions, theme);
  return { type: 'line', data: { datasets }, options, info };
}

/** The limits in words, for the chart's accessible name. */
export function limitsText(limits: MetricLimits, unit: MetricInfo['unit']): string {
  const parts: string[] = [];
  if (limits.budget.min !== null) parts.push(l10n.t('budget at least {0}', formatValue(limits.budget.min, unit)));
  if (limits.budget.max !== null) parts.push(l10n.t('budget {0}', formatValue(limits.budget.max, unit)));
  if (limits.band.lower !== null) parts.push(l10n.t('lower limit {0}', formatValue(limits.band.lower, unit)));
  if (limits.band.upper !== null) parts.push(l10n.t('upper limit {0}', formatValue(limits.band.upper, unit)));
  return parts.length ? l10n.t('{0}; head {1}', parts.join(', '), limits.status) : '';
}

/**
 * The budgets as dashed horizontal lines across the window, and the relative / statistical
 * limits as a translucent band (towards the axis edge when only one side is limited). They
 * are datasets, so the y axis always makes room for them.
 */
function limitDatasets(limits: MetricLimits, inputs: ChartInputs, unit: MetricInfo['unit'], datasets: ChartDataset<'line'>[], info: DatasetInfo[], window: { from: number; to: number }): void {
  const { theme } = inputs;
  const flat = (y: number) => [{ x: window.from, y }, { x: window.to, y }];
  const width = theme.kind === 'high-contrast' ? 2 : 1.5;
  const { lower, upper } = limits.band;
  const bandFill = withAlpha(theme.muted, theme.kind === 'high-contrast' ? 0.3 : 0.15);
  const bandLine = { borderColor: withAlpha(theme.muted, 0.6), borderWidth: 1, borderDash: [2, 3], pointRadius: 0, pointHitRadius: 0, tension: 0, parsing: false as const, normalized: true };
  if (lower !== null && upper !== null) {
    datasets.push({ label: l10n.t('limit {0}', formatValue(lower, unit)), data: flat(lower), fill: false, ...bandLine });
    info.push({ role: 'limit' });
    const label = l10n.t('limits {0} – {1}', formatValue(lower, unit), formatValue(upper, unit));
    datasets.push({ label, data: flat(upper), fill: '-1', backgroundColor: bandFill, ...bandLine });
    info.push({ role: 'limit', label });
  } else if (lower !== null || upper !== null) {
    const y = (lower ?? upper)!;
    const label = l10n.t('limit {0}', formatValue(y, unit));
    datasets.push({ label, data: flat(y), fill: lower !== null ? 'end' : 'start', backgroundColor: bandFill, ...bandLine });
    info.push({ role: 'limit', label });
  }
  for (const budget of [limits.budget.min, limits.budget.max]) {
    if (budget === null) continue;
    const label = l10n.t('budget {0}', formatValue(budget, unit));
    datasets.push({ label, data: flat(budget), borderColor: theme.worse, backgroundColor: theme.worse, borderWidth: width, borderDash: [6, 4], pointRadius: 0, pointHitRadius: 0, fill: false, tension: 0, parsing: false, normalized: true });
    info.push({ role: 'budget', label });
  }
}

function tooltipDetails(runs: Map<number, RunRow>, line: NumericLine, index: number, unit: MetricInfo['unit'], commits?: Map<string, AxisCommit>): string[] {
  const run = runs.get(line.run[index]);
  const commit = run && commits?.get(run.sha);
  if (commit) {
    const where = run.dirty
      ? l10n.t('{0} · {1} · dirty · run #{2} at {3}', run.branch, originText(run), run.runNumber, formatTime(run.time))
      : l10n.t('{0} · {1} · run #{2} at {3}', run.branch, originText(run), run.runNumber, formatTime(run.time));
    return [`${commit.author} · ${formatTime(commit.time)}`, where];
  }
  // A rolled-up bucket's last run may have been deleted by retention since.
  const runText = run
    ? [
        l10n.t('commit {0} · {1}', shortSha(run.sha), run.branch),
        run.dirty ? l10n.t('{0} · dirty (uncommitted changes) · run #{1}', originText(run), run.runNumber) : l10n.t('{0} · run #{1}', originText(run), run.runNumber),
      ]
    : [l10n.t('run pruned by retention')];
  if (!line.bucketed) return runText;
  const count = line.count![index];
  const last = formatValue(line.last![index], unit);
  return [
    plural(
      count,
      l10n.t('min {0} · max {1} · {2} run', formatValue(line.min![index], unit), formatValue(line.max![index], unit), count),
      l10n.t('min {0} · max {1} · {2} runs', formatValue(line.min![index], unit), formatValue(line.max![index], unit), count),
    ),
    run ? l10n.t('last {0} at {1}', last, formatTime(run.time)) : l10n.t('last {0}', last),
    ...runText,
  ];
}

export function labelChart(series: LabelSeries, inputs: ChartInputs): ChartConfig {
  const { theme } = inputs;
  const model = inputs.window;
  const names = series.hasOther ? [...series.labels, l10n.t('other')] : series.labels;
  const info: DatasetInfo[] = names.map((label) => ({ role: 'value', label }));
  const datasets: ChartDataset<'bar'>[] = series.counts.map((counts, i) => {
    const color = series.hasOther && i === names.length - 1 ? theme.neutral : theme.palette[i % theme.palette.length];
    return { label: names[i], data: counts, backgroundColor: withAlpha(color, 0.75), borderColor: color, borderWidth: theme.kind === 'high-contrast' ? 1 : 0, stack: 'labels' };
  });
  const options: ChartOptions<'bar'> = {
    animation: false,
    scales: {
      x: { stacked: true, ticks: { maxTicksLimit: 8, maxRotation: 0, autoSkip: true } },
      y: { stacked: true, beginAtZero: true, ticks: { precision: 0, maxTicksLimit: 5 }, title: { display: true, text: l10n.t('runs'), color: theme.muted } },
    },
    plugins: {
      legend: { display: true, position: 'bottom', labels: { boxWidth: 10, boxHeight: 10 } },
      tooltip: {
        callbacks: {
          title: (items) => (items.length ? `${formatTime(series.x[items[0].dataIndex])} – ${formatTime(series.x[items[0].dataIndex] + series.bucketMs)}` : ''),
          label: (item) => {
            const count = item.raw as number;
            return plural(count, l10n.t('{0}: {1} run', names[item.datasetIndex], count), l10n.t('{0}: {1} runs', names[item.datasetIndex], count));
          },
        },
      },
    },
  };
  themeChartOptions(options as ChartOptions, theme);
  const unit = timeAxisTicks(model.from, model.to, 8).unit;
  return { type: 'bar', data: { labels: series.x.map((x) => formatTimeTick(x, unit)), datasets }, options, info };
}

/** The value axis over everything drawn inside the visible x range (points, bands, limits). */
function yAxis(datasets: ChartDataset<'line'>[], unit: MetricInfo['unit'], xMin: number, xMax: number): { min: number; max: number; ticks: number[]; labels: string[] } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const d of datasets) {
    const points = d.data as { x: number; y: number }[];
    const inside = points.filter((p) => p.x >= xMin && p.x <= xMax);
    for (const p of inside.length || points.length > 2 ? inside : points) {
      if (!Number.isFinite(p.y)) continue;
      lo = Math.min(lo, p.y);
      hi = Math.max(hi, p.y);
    }
  }
  const axis = valueAxis(lo, hi, unit, 6);
  return { ...axis, labels: axisLabels(axis, unit) };
}

/** Ticks at whole commit positions, evenly spaced, at most about `max`. */
function commitTicks(from: number, to: number, max: number): { ticks: number[]; unit: 'commit' } {
  const lo = Math.ceil(from);
  const hi = Math.floor(to);
  const every = Math.max(1, Math.ceil((hi - lo + 1) / max));
  const ticks: number[] = [];
  for (let x = lo; x <= hi; x += every) ticks.push(x);
  return { ticks, unit: 'commit' };
}

/** A commit tick: its tag, else its short sha. */
export function commitLabel(commit: AxisCommit | undefined): string {
  return commit ? (commit.tag ?? shortSha(commit.sha)) : '';
}

/** Where a run was recorded, for tooltips: nothing for this machine's. */
/** The run's event and, for a run not recorded here, where it came from (the tree's words). */
function originText(run: RunRow): string {
  return run.source === 'notes' || run.source === 'import' ? originOf(run).short : EVENT_WORDS[run.event];
}
