/**
 * The value axis of a Trends chart, chosen by the metric's unit: nice steps (whole numbers for
 * integer metrics, minutes and hours for long durations), never below zero for counts, sizes
 * and durations whose values are not negative, within 0–100 for percentages that stay inside
 * it, and tick labels that carry the unit and are all different (no "2, 2, 2" and no "−0").
 * Pure: the webview passes in the values it draws.
 */
import type { Unit } from '../types';
import { formatDuration } from '../units';

export interface ValueAxis {
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

/** Units whose values are never negative when the data is not: counts, sizes, durations. */
const NON_NEGATIVE: ReadonlySet<Unit> = new Set<Unit>(['integer', 'bytes', 'duration']);

/** Steps for long durations, in seconds: whole minutes and hours. */
const DURATION_STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

function niceStep(raw: number): number {
  const exponent = Math.floor(Math.log10(raw));
  const base = 10 ** exponent;
  const fraction = raw / base;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * base;
}

function stepFor(raw: number, unit: Unit | null): number {
  if (unit === 'duration' && raw > 30) return DURATION_STEPS.find((s) => s >= raw) ?? niceStep(raw / 86400) * 86400;
  const step = niceStep(raw);
  if (unit === 'integer' || unit === 'bytes') return Math.max(1, step === 2.5 ? 2 : step);
  return step;
}

/** Rounds away floating-point noise (0.1 + 0.2) and turns −0 into 0. */
function clean(value: number, step: number): number {
  const decimals = Math.max(0, Math.min(15, -Math.floor(Math.log10(step)) + 2));
  const n = Number(value.toFixed(decimals));
  return n === 0 ? 0 : n;
}

/**
 * The axis for values between `lo` and `hi` (every value the chart draws: points, bands,
 * limits) with at most about `maxTicks` ticks.
 */
export function valueAxis(lo: number, hi: number, unit: Unit | null, maxTicks = 6): ValueAxis {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    lo = 0;
    hi = 1;
  }
  if (lo > hi) [lo, hi] = [hi, lo];
  const dataLo = lo;
  const dataHi = hi;
  if (hi === lo) {
    // A constant: a small span around it, whole numbers for integers.
    const pad = unit === 'integer' ? 1 : lo === 0 ? 1 : Math.abs(lo) * 0.05;
    lo -= pad;
    hi += pad;
  } else {
    const pad = (hi - lo) * 0.05;
    lo -= pad;
    hi += pad;
  }
  const floor = unit !== null && NON_NEGATIVE.has(unit) && dataLo >= 0 ? 0 : unit === 'percent' && dataLo >= 0 ? 0 : -Infinity;
  const ceiling = unit === 'percent' && dataHi <= 100 ? 100 : Infinity;
  lo = Math.max(lo, floor);
  hi = Math.min(hi, ceiling);
  let step = stepFor((hi - lo) / Math.max(1, maxTicks - 1), unit);
  let min = Math.floor(lo / step) * step;
  let max = Math.ceil(hi / step) * step;
  // Nice bounds may step outside what the unit allows (a 0–100 % axis is itself nice).
  while ((max - min) / step > maxTicks + 0.5) {
    step = stepFor(step * 1.5, unit);
    min = Math.floor(lo / step) * step;
    max = Math.ceil(hi / step) * step;
  }
  min = Math.max(min, floor);
  max = Math.min(max, ceiling);
  if (max <= min) max = min + step;
  const ticks: number[] = [];
  const first = Math.ceil(min / step - 1e-9) * step;
  for (let v = first; v <= max + step * 1e-9; v += step) ticks.push(clean(v, step));
  return { min: clean(min, step), max: clean(max, step), step, ticks };
}

const SI = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

function decimalsFor(step: number): number {
  if (step >= 1) return Number.isInteger(step) ? 0 : 1;
  return Math.min(12, Math.ceil(-Math.log10(step) - 1e-9) + (Number.isInteger(step * 10 ** Math.ceil(-Math.log10(step) - 1e-9)) ? 0 : 1));
}

function fixed(value: number, decimals: number): string {
  const text = value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** A tick label: the value in the unit, with as many decimals as the step needs to tell ticks apart. */
export function formatAxisTick(value: number, unit: Unit | null, axis: Pick<ValueAxis, 'min' | 'max' | 'step'>, extraDecimals = 0): string {
  const v = Math.abs(value) < axis.step * 1e-9 ? 0 : value;
  switch (unit ?? 'decimal') {
    case 'integer':
      return fixed(v, extraDecimals);
    case 'percent':
      return `${fixed(v, decimalsFor(axis.step) + extraDecimals)}%`;
    case 'bytes': {
      const largest = Math.max(Math.abs(axis.min), Math.abs(axis.max));
      let i = 0;
      while (i < SI.length - 1 && largest >= 1000 ** (i + 1)) i++;
      const divisor = 1000 ** i;
      return `${fixed(v / divisor, (i === 0 ? 0 : decimalsFor(axis.step / divisor)) + extraDecimals)} ${SI[i]}`;
    }
    case 'duration': {
      if (axis.step >= 60 && extraDecimals === 0) return v === 0 ? '0 s' : formatDuration(v);
      const largest = Math.max(Math.abs(axis.min), Math.abs(axis.max));
      if (largest <= 1) return `${fixed(v * 1000, decimalsFor(axis.step * 1000) + extraDecimals)} ms`;
      return `${fixed(v, decimalsFor(axis.step) + extraDecimals)} s`;
    }
    case 'decimal':
      return fixed(v, decimalsFor(axis.step) + extraDecimals);
  }
}

/** Every tick's label, with more decimals until no two read the same. */
export function axisLabels(axis: ValueAxis, unit: Unit | null): string[] {
  for (let extra = 0; extra < 6; extra++) {
    const labels = axis.ticks.map((t) => formatAxisTick(t, unit, axis, extra));
    if (new Set(labels).size === labels.length) return labels;
  }
  return axis.ticks.map((t) => formatAxisTick(t, unit, axis, 6));
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY];
const MONTH_STEPS = [1, 2, 3, 6, 12, 24, 60, 120];

/**
 * Time ticks between `from` and `to` (epoch ms) on calendar boundaries of the local time zone
 * (`offsetMinutes(ms)`: minutes to add to UTC, as −Date#getTimezoneOffset), at most about
 * `maxTicks`, so that two ticks never read the same at the label's resolution.
 */
export function timeTicks(from: number, to: number, maxTicks: number, offsetMinutes: (ms: number) => number = (ms) => -new Date(ms).getTimezoneOffset()): { ticks: number[]; unit: 'minute' | 'day' | 'month' } {
  const span = Math.max(1, to - from);
  const step = TIME_STEPS.find((s) => span / s <= maxTicks);
  if (step !== undefined) {
    const local = (ms: number) => ms + offsetMinutes(ms) * MINUTE;
    const ticks: number[] = [];
    // Align in local time: whole days for day steps, multiples of the step within a day otherwise.
    let t = Math.ceil(local(from) / step) * step - offsetMinutes(from) * MINUTE;
    if (step >= 7 * DAY) t = Math.ceil(local(from) / DAY) * DAY - offsetMinutes(from) * MINUTE;
    for (; t <= to; t += step) if (t >= from) ticks.push(t);
    return { ticks, unit: step >= DAY ? 'day' : 'minute' };
  }
  const months = span / (30.44 * DAY);
  const every = MONTH_STEPS.find((m) => months / m <= maxTicks) ?? Math.ceil(months / maxTicks);
  const ticks: number[] = [];
  const start = new Date(from);
  const d = new Date(start.getFullYear(), start.getMonth() + 1, 1);
  d.setMonth(Math.ceil(d.getMonth() / every) * every);
  for (; d.getTime() <= to; d.setMonth(d.getMonth() + every)) ticks.push(d.getTime());
  return { ticks, unit: 'month' };
}
