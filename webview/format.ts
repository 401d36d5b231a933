/** Time and value formatting shared by the views. */
import { timeTicks } from '../src/core/report/axis';
import type { MetricValue, Unit } from '../src/core/types';
import { formatDelta, formatPercentChange, formatValue } from '../src/core/units';
import { relativeTime as sharedRelativeTime } from '../src/shared/relativeTime';

export { formatDelta, formatPercentChange, formatValue };

const dateTime = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const dayMonth = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });
const monthYear = new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric' });
const hourMinute = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit' });

const dayMonthYear = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' });

export function formatDate(ms: number | string): string {
  return dayMonthYear.format(new Date(ms));
}

export function formatTime(ms: number | string): string {
  return dateTime.format(new Date(ms));
}

/** An axis tick: finer the shorter the visible span. */
export function formatTick(ms: number, spanMs: number): string {
  const d = new Date(ms);
  if (spanMs <= 2 * 86_400_000) return hourMinute.format(d);
  if (spanMs <= 400 * 86_400_000) return dayMonth.format(d);
  return monthYear.format(d);
}

const dayMonthTime = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export type TimeTickUnit = ReturnType<typeof timeTicks>['unit'];

/** Ticks for a time axis on calendar boundaries (about `max` of them). */
export function timeAxisTicks(from: number, to: number, max: number): { ticks: number[]; unit: TimeTickUnit | 'minute-day' } {
  const found = timeTicks(from, to, max);
  // Hours over more than a day: the date goes with the time so midnight ticks differ.
  return found.unit === 'minute' && to - from > 86_400_000 ? { ticks: found.ticks, unit: 'minute-day' } : found;
}

/** A time tick at the resolution of its axis. */
export function formatTimeTick(ms: number, unit: TimeTickUnit | 'minute-day'): string {
  const d = new Date(ms);
  if (unit === 'minute') return hourMinute.format(d);
  if (unit === 'minute-day') return dayMonthTime.format(d);
  if (unit === 'day') return dayMonth.format(d);
  return monthYear.format(d);
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** "3 days ago", "now" (Intl.RelativeTimeFormat, in the report's en-US like its dates). */
export function relativeTime(iso: string, now = Date.now()): string {
  return sharedRelativeTime(iso, now, 'en-US');
}

export function value(v: MetricValue | null, unit: Unit | null): string {
  return formatValue(v, unit);
}
