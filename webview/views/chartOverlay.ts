/**
 * What the Trends charts draw over their data: change-point markers (a dashed line and a
 * triangle at the commit), the crosshair shared by every chart, and the drag-to-zoom
 * selection. One Chart.js plugin instance per view; the per-chart parts live in a WeakMap.
 */
import type { Chart, Plugin } from 'chart.js';
import { withAlpha, type ChartTheme } from '../theme';

export interface Marker {
  x: number;
  colour: string;
  /** For the test hooks and the accessible name. */
  sha: string;
}

export interface OverlayState {
  /** The shared crosshair position in data units (x), or null. */
  crosshair: number | null;
  /** The chart being dragged over and the selection in data units. */
  selection: { chart: Chart; from: number; to: number } | null;
  theme(): ChartTheme;
}

const markers = new WeakMap<Chart, Marker[]>();

export function setMarkers(chart: Chart, list: Marker[]): void {
  markers.set(chart, list);
}

export function overlayPlugin(state: OverlayState): Plugin {
  return {
    id: 'tidemarkOverlay',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea: area, scales } = chart;
      const x = scales.x;
      if (!x || !area) return;
      // The labels Chart.js drew, for assistive checks and tests.
      const labels = (id: string) => JSON.stringify((scales[id]?.ticks ?? []).map((t) => String(t.label ?? '')));
      chart.canvas.dataset.xTicks = labels('x');
      chart.canvas.dataset.yTicks = labels('y');
      chart.canvas.dataset.plot = [area.left, area.top, area.right, area.bottom].map(Math.round).join(',');
      const theme = state.theme();
      ctx.save();
      const drawn: number[] = [];
      for (const m of markers.get(chart) ?? []) {
        const px = x.getPixelForValue(m.x);
        if (px < area.left - 0.5 || px > area.right + 0.5) continue;
        drawn.push(Math.round(px));
        ctx.strokeStyle = m.colour;
        ctx.lineWidth = theme.kind === 'high-contrast' ? 2 : 1.5;
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(px, area.top + 7);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = m.colour;
        ctx.beginPath();
        ctx.moveTo(px - 6, area.top);
        ctx.lineTo(px + 6, area.top);
        ctx.lineTo(px, area.top + 9);
        ctx.closePath();
        ctx.fill();
      }
      chart.canvas.dataset.markerPx = drawn.join(',');
      delete chart.canvas.dataset.crosshairPx;
      if (state.crosshair !== null) {
        const px = x.getPixelForValue(state.crosshair);
        if (px >= area.left && px <= area.right) {
          chart.canvas.dataset.crosshairPx = String(Math.round(px));
          ctx.strokeStyle = withAlpha(theme.foreground, 0.55);
          ctx.lineWidth = 1;
          ctx.beginPath();
          ctx.moveTo(px, area.top);
          ctx.lineTo(px, area.bottom);
          ctx.stroke();
        }
      }
      const sel = state.selection;
      if (sel && sel.chart === chart) {
        const a = x.getPixelForValue(Math.min(sel.from, sel.to));
        const b = x.getPixelForValue(Math.max(sel.from, sel.to));
        ctx.fillStyle = withAlpha(theme.palette[0], 0.18);
        ctx.fillRect(a, area.top, b - a, area.bottom - area.top);
        ctx.strokeStyle = withAlpha(theme.palette[0], 0.7);
        ctx.strokeRect(a, area.top, b - a, area.bottom - area.top);
      }
      ctx.restore();
    },
  };
}
