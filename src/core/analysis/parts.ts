/**
 * Words for a breakdown's changes, shared by `compare --files`, `check --markdown`, the tree's
 * tooltip and the report: "bundle-size +1.2 kB: dist/chunk-charts.js +1.1 kB (new), dist/app.js +0.1 kB".
 */
import type { PartChange } from '../store/parts';
import type { Unit } from '../types';
import { formatDelta, formatValue } from '../units';

/** One part's change: `dist/chunk-charts.js +1.1 kB (new)`; a percent shows both sides: `src/b.ts -15% (70% → 55%)`. */
export function partChangeText(p: PartChange, unit: Unit | null): string {
  const how =
    p.base === null ? ' (new)' : p.head === null ? ' (removed)' : unit === 'percent' ? ` (${formatValue(p.base, unit)} → ${formatValue(p.head, unit)})` : '';
  return `${p.name} ${formatDelta(p.delta, unit)}${how}`;
}

/** The metric's change and its top `limit` parts, or just the change when there are none. */
export function partsLine(metric: string, delta: number | null, unit: Unit | null, parts: readonly PartChange[] | undefined, limit = 3): string {
  const head = `${metric} ${formatDelta(delta, unit)}`;
  if (!parts?.length) return head;
  const more = parts.length > limit ? `, and ${parts.length - limit} more` : '';
  return `${head}: ${parts.slice(0, limit).map((p) => partChangeText(p, unit)).join(', ')}${more}`;
}
