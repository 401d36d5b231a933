/**
 * When each metric's definition last changed, remembered across window reloads: a value is
 * "outdated" only when its own metric's definition (command, parser, thresholds…) changed since
 * it was measured, never because the window reloaded and tidemark.json's date was all that was
 * known. Pure (no vscode import); the folder model keeps the memory in workspaceState.
 */
import { createHash } from 'node:crypto';
import type { MetricConfig } from '../../core/types';

export interface DefinitionDate {
  /** A hash of the metric's parsed definition. */
  fingerprint: string;
  /** When it last changed (ISO); null when it has not changed since Tidemark first saw it. */
  changedAt: string | null;
}

/** Metric id → its definition's fingerprint and date. */
export type DefinitionDates = Record<string, DefinitionDate>;

export function fingerprint(metric: MetricConfig): string {
  return createHash('sha256').update(stableJson(metric)).digest('hex').slice(0, 16);
}

/** JSON with sorted keys: the same definition hashes the same whatever order the file lists its keys in. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The dates after loading `metrics` from a file modified at `modified`: a definition the memory
 * holds unchanged keeps its date; a changed one, or a new metric added to a known file, takes
 * the file's date. With no memory at all (the first load ever) nothing is known to have changed.
 */
export function noteDefinitions(metrics: Record<string, MetricConfig>, memory: DefinitionDates | undefined, modified: string): DefinitionDates {
  const next: DefinitionDates = {};
  for (const [id, metric] of Object.entries(metrics)) {
    const print = fingerprint(metric);
    const known = memory?.[id];
    if (known && known.fingerprint === print) next[id] = known;
    else next[id] = { fingerprint: print, changedAt: memory ? modified : null };
  }
  return next;
}
