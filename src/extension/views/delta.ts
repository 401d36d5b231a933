/**
 * The change of a metric against its baseline, and whether that change is good news.
 * Pure: shared by the tree and the status bar view models.
 */
import type { Direction, MetricValue, Unit, Verdict } from '../../core/types';
import { formatDelta, formatPercentChange } from '../../core/units';

export interface Delta {
  /** head - base for numbers; null for labels or when a side is missing. */
  delta: number | null;
  /** Relative change in percent; null when the base is 0 or a side is missing. */
  percent: number | null;
  verdict: Verdict;
}

export function computeDelta(
  head: MetricValue | null | undefined,
  base: MetricValue | null | undefined,
  direction: Direction | null | undefined,
): Delta {
  if (head === null || head === undefined || base === null || base === undefined) {
    return { delta: null, percent: null, verdict: 'unknown' };
  }
  if (typeof head === 'string' || typeof base === 'string') {
    return { delta: null, percent: null, verdict: head === base ? 'same' : 'changed' };
  }
  if (!Number.isFinite(head) || !Number.isFinite(base)) {
    return { delta: null, percent: null, verdict: head === base ? 'same' : 'changed' };
  }
  const delta = head - base;
  const percent = base === 0 ? null : (delta / Math.abs(base)) * 100;
  if (delta === 0) return { delta, percent, verdict: 'same' };
  if (!direction) return { delta, percent, verdict: 'changed' };
  const better = direction === 'higher-is-better' ? delta > 0 : delta < 0;
  return { delta, percent, verdict: better ? 'better' : 'worse' };
}

/** `▲ 2.3%`, `▼ 12 kB` (when there is no relative change), `= ` for no change, '' when unknown. */
export function formatDeltaShort(d: Delta, unit: Unit | null | undefined): string {
  if (d.verdict === 'unknown') return '';
  if (d.delta === null) return d.verdict === 'same' ? '=' : 'changed';
  if (d.delta === 0) return '=';
  const arrow = d.delta > 0 ? '▲' : '▼';
  const amount = d.percent !== null ? formatPercentChange(d.percent).replace(/^[+-]/, '') : formatDelta(d.delta, unit).replace(/^[+-]/, '');
  return `${arrow} ${amount}`;
}

/** `+30 kB (+2.3%)` for tooltips. */
export function formatDeltaLong(d: Delta, unit: Unit | null | undefined): string {
  if (d.verdict === 'unknown') return 'no baseline value';
  if (d.delta === null) return d.verdict === 'same' ? 'unchanged' : 'changed';
  const relative = d.percent !== null ? ` (${formatPercentChange(d.percent)})` : '';
  return `${formatDelta(d.delta, unit)}${relative}`;
}
