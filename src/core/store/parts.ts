/**
 * Per-file (or per-package) breakdowns of a metric's value: `metric_parts` (schema version 5).
 *
 * A run's breakdown is stored only as what changed since the previous breakdown of the same
 * metric on the same branch (`base_build`, a delta of set and removed parts; `{}` when nothing
 * changed), and in full when there is none or the chain of deltas behind it reaches MAX_DEPTH,
 * so reading one walks at most MAX_DEPTH rows. Breakdowns are capped at PARTS_CAP parts, the rest summed
 * under OTHER. Part names (file paths) are stored once, in `metric_part_names`, and rows name
 * parts by that id. Rows are written by `apply()` from the journaled full breakdown, so
 * recording and replay write the same rows; retention folds a pruned row into its dependants.
 */
import type { SqlValue } from 'sql.js';
import type { BuildRecord } from '../types';
import type { StoreDb } from './database';

export type Parts = Record<string, number>;
export const PARTS_CAP = 100;
export const OTHER = '(other)';
const MAX_DEPTH = 64;

interface Delta {
  /** Parts set (new or changed). */
  s?: Parts;
  /** Parts removed. */
  r?: string[];
}

/** The largest PARTS_CAP - 1 parts by size, and the rest summed as OTHER; non-finite values dropped. */
export function capParts(parts: Parts): Parts {
  const entries = Object.entries(parts).filter(([, v]) => typeof v === 'number' && Number.isFinite(v));
  if (entries.length <= PARTS_CAP) return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  entries.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1));
  const kept = Object.fromEntries(entries.slice(0, PARTS_CAP - 1));
  kept[OTHER] = (kept[OTHER] ?? 0) + entries.slice(PARTS_CAP - 1).reduce((sum, [, v]) => sum + v, 0);
  return kept;
}

function diff(from: Parts, to: Parts): Delta {
  const delta: Delta = {};
  for (const [name, value] of Object.entries(to)) {
    if (from[name] !== value) (delta.s ??= {})[name] = value;
  }
  for (const name of Object.keys(from)) if (!(name in to)) (delta.r ??= []).push(name);
  return delta;
}

function applyDelta(parts: Parts, delta: Delta): Parts {
  const next = { ...parts, ...(delta.s ?? {}) };
  for (const name of delta.r ?? []) delete next[name];
  return next;
}

/** The latest parts row of the metric on the branch before (or at) this run. */
function previousRow(store: StoreDb, metric: string, build: Pick<BuildRecord, 'id' | 'branch' | 'timestamp'>): { buildId: number; depth: number } | null {
  const row = store.one(
    `SELECT p.build_id, p.depth FROM build_contexts b CROSS JOIN metric_parts p ON p.metric_id = ? AND p.build_id = b.id
     WHERE b.branch = ? AND (b.timestamp < ? OR (b.timestamp = ? AND b.id < ?))
     ORDER BY b.timestamp DESC, b.id DESC LIMIT 1`,
    [metric, build.branch, build.timestamp, build.timestamp, build.id],
  );
  return row ? { buildId: Number(row[0]), depth: Number(row[1]) } : null;
}

/** The full breakdown stored at a parts row, walking its deltas back to a full row. */
function rowParts(store: StoreDb, metric: string, buildId: number): Parts | null {
  const deltas: Delta[] = [];
  let id: number | null = buildId;
  for (let guard = 0; id !== null && guard <= MAX_DEPTH * 4; guard++) {
    const row = store.one('SELECT base_build, parts FROM metric_parts WHERE metric_id = ? AND build_id = ?', [metric, id]);
    if (!row) return null;
    const stored = JSON.parse(String(row[1])) as Parts | Delta;
    if (row[0] === null) {
      let parts = stored as Parts;
      for (let i = deltas.length - 1; i >= 0; i--) parts = applyDelta(parts, deltas[i]);
      return parts;
    }
    deltas.push(stored as Delta);
    id = Number(row[0]);
  }
  return null;
}

/** Name -> id in metric_part_names, adding the names not there yet. */
function partIds(store: StoreDb, parts: Parts): Parts {
  const byId: Parts = {};
  for (const [name, value] of Object.entries(parts)) {
    store.run('INSERT OR IGNORE INTO metric_part_names (name) VALUES (?)', [name]);
    byId[String(store.one('SELECT id FROM metric_part_names WHERE name = ?', [name])![0])] = value;
  }
  return byId;
}

function partNames(store: StoreDb, byId: Parts): Parts {
  const named: Parts = {};
  for (const [id, value] of Object.entries(byId)) {
    const row = store.one('SELECT name FROM metric_part_names WHERE id = ?', [Number(id)]);
    named[row ? String(row[0]) : `#${id}`] = value;
  }
  return named;
}

/** Writes a run's breakdown (called by apply(), inside its transaction). */
export function writeParts(store: StoreDb, metric: string, build: BuildRecord, parts: Parts): void {
  const capped = partIds(store, capParts(parts));
  const previous = previousRow(store, metric, build);
  const base = previous && previous.depth < MAX_DEPTH ? rowParts(store, metric, previous.buildId) : null;
  if (previous && base) {
    const delta = diff(base, capped);
    store.run('INSERT OR REPLACE INTO metric_parts (metric_id, build_id, base_build, depth, parts) VALUES (?, ?, ?, ?, ?)', [
      metric,
      build.id,
      previous.buildId,
      previous.depth + 1,
      JSON.stringify(delta),
    ]);
    return;
  }
  store.run('INSERT OR REPLACE INTO metric_parts (metric_id, build_id, base_build, depth, parts) VALUES (?, ?, NULL, 0, ?)', [metric, build.id, JSON.stringify(capped)]);
}

/** The breakdown of a metric's value in a run; null when it has none (a shell command, or recorded before breakdowns existed). */
export function readParts(store: StoreDb, metric: string, buildId: number): Parts | null {
  const byId = rowParts(store, metric, buildId);
  return byId ? partNames(store, byId) : null;
}

/**
 * Before runs are deleted: a row stored as a delta on a deleted run is rebased onto the nearest
 * run it still descends from (its delta then holds what the deleted runs changed too), or stored
 * whole when there is none; then the deleted runs' rows go. Every kept run reads back the same.
 */
export function pruneParts(store: StoreDb, buildIds: number[], metrics: string[]): void {
  const deleted = new Set(buildIds);
  const baseOf = (metric: string, id: number): { base: number | null; depth: number } | null => {
    const row = store.one('SELECT base_build, depth FROM metric_parts WHERE metric_id = ? AND build_id = ?', [metric, id]);
    return row ? { base: row[0] === null ? null : Number(row[0]), depth: Number(row[1]) } : null;
  };
  for (let i = 0; i < buildIds.length; i += 500) {
    const ids = buildIds.slice(i, i + 500);
    const marks = ids.map(() => '?').join(', ');
    const dependants = store.db.exec(`SELECT metric_id, build_id, base_build FROM metric_parts WHERE base_build IN (${marks})`, ids as SqlValue[]);
    for (const [metricValue, buildValue, baseValue] of dependants[0]?.values ?? []) {
      const metric = String(metricValue);
      const buildId = Number(buildValue);
      if (deleted.has(buildId)) continue;
      const full = rowParts(store, metric, buildId);
      if (!full) continue;
      let ancestor: number | null = Number(baseValue);
      while (ancestor !== null && deleted.has(ancestor)) ancestor = baseOf(metric, ancestor)?.base ?? null;
      const kept = ancestor === null ? null : baseOf(metric, ancestor);
      const ancestorParts = ancestor !== null && kept && kept.depth + 1 < MAX_DEPTH ? rowParts(store, metric, ancestor) : null;
      if (ancestor !== null && kept && ancestorParts) {
        store.run('UPDATE metric_parts SET base_build = ?, depth = ?, parts = ? WHERE metric_id = ? AND build_id = ?', [ancestor, kept.depth + 1, JSON.stringify(diff(ancestorParts, full)), metric, buildId]);
      } else {
        store.run('UPDATE metric_parts SET base_build = NULL, depth = 0, parts = ? WHERE metric_id = ? AND build_id = ?', [JSON.stringify(full), metric, buildId]);
      }
    }
  }
  for (const metric of metrics) {
    for (let i = 0; i < buildIds.length; i += 500) {
      const ids = buildIds.slice(i, i + 500);
      store.db.run(`DELETE FROM metric_parts WHERE metric_id = ? AND build_id IN (${ids.map(() => '?').join(', ')})`, [metric, ...ids]);
    }
  }
}

/** What moved between two breakdowns: parts whose value differs, largest change first. */
export interface PartChange {
  name: string;
  base: number | null;
  head: number | null;
  delta: number;
}

export function partChanges(base: Parts | null, head: Parts | null): PartChange[] {
  if (!base && !head) return [];
  const names = new Set([...Object.keys(base ?? {}), ...Object.keys(head ?? {})]);
  const changes: PartChange[] = [];
  for (const name of names) {
    const b = base?.[name] ?? null;
    const h = head?.[name] ?? null;
    const delta = (h ?? 0) - (b ?? 0);
    if (b === h || delta === 0) continue;
    changes.push({ name, base: b, head: h, delta });
  }
  return changes.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || (x.name < y.name ? -1 : 1));
}
