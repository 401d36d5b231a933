/**
 * Chart.js set up for the report: only the pieces used are registered; large data runs with
 * parsing off, normalized data, decimation and no animation.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
  type ChartOptions,
} from 'chart.js';
import { withAlpha, type ChartTheme } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, BarController, BarElement, Tooltip, Legend, Filler, Decimation);
Chart.defaults.animation = false;
Chart.defaults.responsive = true;
Chart.defaults.maintainAspectRatio = false;

export { Chart };
export type { ChartDataset, ChartOptions };

/** Applies theme colours to a chart's scales, legend and tooltip (datasets are coloured by their owners). */
export function themeChartOptions(options: ChartOptions, theme: ChartTheme): void {
  const o = options as ChartOptions<'line'>;
  o.color = theme.foreground;
  o.font = { family: theme.fontFamily };
  for (const scale of Object.values(o.scales ?? {})) {
    if (!scale) continue;
    scale.ticks = { ...scale.ticks, color: theme.muted };
    scale.grid = { ...scale.grid, color: withAlpha(theme.grid, theme.kind === 'high-contrast' ? 0.5 : 0.18) };
    scale.border = { ...scale.border, color: theme.grid };
  }
  o.plugins = o.plugins ?? {};
  o.plugins.legend = { ...o.plugins.legend, labels: { ...o.plugins.legend?.labels, color: theme.foreground } };
  o.plugins.tooltip = {
    ...o.plugins.tooltip,
    backgroundColor: theme.tooltipBackground,
    borderColor: theme.tooltipBorder,
    borderWidth: 1,
    titleColor: theme.foreground,
    bodyColor: theme.foreground,
    footerColor: theme.muted,
  };
}
