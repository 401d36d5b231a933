/**
 * Per-file (or per-package) breakdowns of a run's metric values: `run_parts` (schema version 6).
 *
 * One row per run that has any breakdown: `parts`, a packed blob with one section per metric,
 * and `base_build`, the branch's previous run with a breakdown. A metric's section holds either
 * its whole breakdown or only what changed since the same metric in the base run, so a run
 * usually costs a few bytes per metric. A run is stored whole when the branch has no earlier
 * breakdown or the chain of deltas behind its base reaches MAX_DEPTH, so reading one walks at
 * most MAX_DEPTH + 1 rows, each decoded once for all its metrics. Breakdowns are capped at
 * PARTS_CAP parts, the rest summed under OTHER. Part names (file paths) and metric ids are
 * stored once, in `metric_part_names`, and blobs name them by id. Rows are written by `apply()`
 * from the journaled full breakdowns, so recording and replay write the same rows; retention
 * rebases the runs based on a deleted run before it goes.
 *
 * Blob layout, all integers unsigned LEB128 varints: per section, the metric's name id, then
 * `count * 2 + whole`, then `count` entries in ascending part-id order, each `(id - previous id)
 * * 4 + tag` followed by its value: tag 0 an integer (zigzag varint), 1 a float64 (little
 * endian), 2 removed (no value), 3 an integer added to the base run's value (zigzag varint).
 * Integers are values with |v| ≤ 2^52 other than -0, so every value reads back bit for bit.
 */
import type { Database, SqlValue } from 'sql.js';
import { SqlStatements } from './statements';
import type { BuildRecord } from '../types';

export type Parts = Record<string, number>;
export const PARTS_CAP = 100;
export const OTHER = '(other)';
const MAX_DEPTH = 128;

/** What parts.ts needs of a database: StoreDb, or a plain sql.js one during a migration. */
export interface PartsDb {
  one(sql: string, params?: SqlValue[]): SqlValue[] | undefined;
  all(sql: string, params?: SqlValue[]): SqlValue[][];
  run(sql: string, params?: SqlValue[]): void;
}

/** A breakdown by part id. */
type IdParts = Map<number, number>;
/** A run's breakdowns by metric name id. */
type RunState = Map<number, IdParts>;

const TAG_INT = 0;
const TAG_FLOAT = 1;
const TAG_REMOVED = 2;
const TAG_ADD = 3;
const INT_LIMIT = 2 ** 52;

/** The largest PARTS_CAP - 1 parts by size, and the rest summed as OTHER; non-finite values dropped. */
export function capParts(parts: Parts): Parts {
  const entries = Object.entries(parts).filter(([, v]) => typeof v === 'number' && Number.isFinite(v));
  if (entries.length <= PARTS_CAP) return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  entries.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1));
  const kept = Object.fromEntries(entries.slice(0, PARTS_CAP - 1));
  kept[OTHER] = (kept[OTHER] ?? 0) + entries.slice(PARTS_CAP - 1).reduce((sum, [, v]) => sum + v, 0);
  return kept;
}

const isInt = (v: number): boolean => Number.isInteger(v) && Math.abs(v) <= INT_LIMIT && !Object.is(v, -0);

class Writer {
  private bytes = new Uint8Array(64);
  private length = 0;
  private readonly view = new DataView(new ArrayBuffer(8));

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  varint(n: number): void {
    this.room(8);
    while (n >= 128) {
      this.bytes[this.length++] = (n % 128) + 128;
      n = Math.floor(n / 128);
    }
    this.bytes[this.length++] = n;
  }

  zigzag(n: number): void {
    this.varint(n < 0 ? -2 * n - 1 : 2 * n);
  }

  float(v: number): void {
    this.room(8);
    this.view.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) this.bytes[this.length++] = this.view.getUint8(i);
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

interface Entry {
  id: number;
  tag: number;
  value: number;
}

interface Section {
  whole: boolean;
  entries: Entry[];
}

function decode(blob: Uint8Array): Map<number, Section> {
  let at = 0;
  const varint = (): number => {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (at >= blob.length) throw new Error('breakdown blob ends inside a number');
      const byte = blob[at++];
      n += (byte & 127) * scale;
      if (byte < 128) return n;
      scale *= 128;
    }
  };
  const zigzag = (): number => {
    const n = varint();
    return n % 2 === 1 ? -(n + 1) / 2 : n / 2;
  };
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const sections = new Map<number, Section>();
  while (at < blob.length) {
    const metric = varint();
    const head = varint();
    const count = Math.floor(head / 2);
    const entries: Entry[] = [];
    let id = 0;
    for (let i = 0; i < count; i++) {
      const key = varint();
      const tag = key % 4;
      id += Math.floor(key / 4);
      let value = 0;
      if (tag === TAG_FLOAT) {
        if (at + 8 > blob.length) throw new Error('breakdown blob ends inside a value');
        value = view.getFloat64(at, true);
        at += 8;
      } else if (tag !== TAG_REMOVED) {
        value = zigzag();
      }
      entries.push({ id, tag, value });
    }
    sections.set(metric, { whole: head % 2 === 1, entries });
  }
  return sections;
}

/**
 * Packs a run's breakdowns: each metric whole, or as what changed since `base` when the base run
 * has that metric. Returns the blob and whether any section is a delta (the row then needs its base).
 */
export function encodeRun(run: RunState, base: RunState | null): { blob: Uint8Array; delta: boolean } {
  const out = new Writer();
  let delta = false;
  for (const metric of [...run.keys()].sort((a, b) => a - b)) {
    const parts = run.get(metric)!;
    const from = base?.get(metric);
    const entries: Entry[] = [];
    if (from) {
      delta = true;
      for (const [id, value] of parts) {
        const old = from.get(id);
        if (old !== undefined && Object.is(old, value)) continue;
        if (old !== undefined && isInt(old) && isInt(value) && Math.abs(value - old) <= INT_LIMIT) entries.push({ id, tag: TAG_ADD, value: value - old });
        else entries.push({ id, tag: isInt(value) ? TAG_INT : TAG_FLOAT, value });
      }
      for (const id of from.keys()) if (!parts.has(id)) entries.push({ id, tag: TAG_REMOVED, value: 0 });
    } else {
      for (const [id, value] of parts) entries.push({ id, tag: isInt(value) ? TAG_INT : TAG_FLOAT, value });
    }
    entries.sort((a, b) => a.id - b.id);
    out.varint(metric);
    out.varint(entries.length * 2 + (from ? 0 : 1));
    let previous = 0;
    for (const e of entries) {
      out.varint((e.id - previous) * 4 + e.tag);
      previous = e.id;
      if (e.tag === TAG_FLOAT) out.float(e.value);
      else if (e.tag !== TAG_REMOVED) out.zigzag(e.value);
    }
  }
  return { blob: out.result(), delta };
}

function applySection(base: IdParts | undefined, section: Section): IdParts {
  const next = new Map(section.whole ? [] : base);
  for (const e of section.entries) {
    if (e.tag === TAG_REMOVED) next.delete(e.id);
    else if (e.tag === TAG_ADD) next.set(e.id, (next.get(e.id) ?? 0) + e.value);
    else next.set(e.id, e.value);
  }
  return next;
}

function blobOf(value: SqlValue | undefined): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new Error('breakdown row holds no blob');
}

/**
 * A run's breakdowns (every metric its row names), walking its base chain with each row decoded
 * once; `depth` = how many rows behind it were needed. Null when the run has no row. A metric
 * whose chain is broken (it cannot be, short of a damaged file) is left out.
 */
function runState(store: PartsDb, buildId: number): { state: RunState; depth: number } | null {
  const first = store.one('SELECT base_build, parts FROM run_parts WHERE build_id = ?', [buildId]);
  if (!first) return null;
  const own = decode(blobOf(first[1]));
  const state: RunState = new Map();
  // Per pending metric, its sections from this run back to the nearest whole one.
  const chains = new Map<number, Section[]>();
  for (const [metric, section] of own) chains.set(metric, [section]);
  let base = first[0] === null ? null : Number(first[0]);
  let depth = 0;
  const resolve = (): void => {
    for (const [metric, chain] of chains) {
      if (!chain[chain.length - 1].whole) continue;
      let parts: IdParts | undefined;
      for (let i = chain.length - 1; i >= 0; i--) parts = applySection(parts, chain[i]);
      state.set(metric, parts!);
      chains.delete(metric);
    }
  };
  resolve();
  while (chains.size && base !== null && depth <= MAX_DEPTH * 4) {
    const row = store.one('SELECT base_build, parts FROM run_parts WHERE build_id = ?', [base]);
    if (!row) break;
    depth++;
    const sections = decode(blobOf(row[1]));
    for (const [metric, chain] of chains) {
      const section = sections.get(metric);
      if (section) chain.push(section);
      else chains.delete(metric);
    }
    resolve();
    base = row[0] === null ? null : Number(row[0]);
  }
  return { state, depth };
}

/** The latest run with a breakdown on the branch before this run. */
function previousRun(store: PartsDb, build: Pick<BuildRecord, 'id' | 'branch' | 'timestamp'>): number | null {
  const row = store.one(
    `SELECT p.build_id FROM build_contexts b CROSS JOIN run_parts p ON p.build_id = b.id
     WHERE b.branch = ? AND (b.timestamp < ? OR (b.timestamp = ? AND b.id < ?))
     ORDER BY b.timestamp DESC, b.id DESC LIMIT 1`,
    [build.branch, build.timestamp, build.timestamp, build.id],
  );
  return row ? Number(row[0]) : null;
}

/** The id of a name in metric_part_names, adding it when new. */
function nameId(store: PartsDb, name: string): number {
  const found = store.one('SELECT id FROM metric_part_names WHERE name = ?', [name]);
  if (found) return Number(found[0]);
  store.run('INSERT INTO metric_part_names (name) VALUES (?)', [name]);
  return Number(store.one('SELECT id FROM metric_part_names WHERE name = ?', [name])![0]);
}

/**
 * The runs stored as deltas on run `id`, found without an index on base_build (it would cost
 * about a sixth of the breakdowns' bytes). A run's base is the branch's latest run with a
 * breakdown before it *when it was written*, and run ids grow in the order runs are written.
 * So a dependant is either `next`, the first run with a breakdown after `id` on its branch, or a
 * run written after `id` but before `next` (later in time than `next`, which came afterwards):
 * an id between the two. When `next` was written before `id`, nothing later can be based on `id`.
 */
function dependantsOf(store: PartsDb, id: number): number[] {
  const at = store.one('SELECT branch, timestamp FROM build_contexts WHERE id = ?', [id]);
  if (!at) return [];
  const next = store.one(
    `SELECT p.build_id, p.base_build FROM build_contexts b CROSS JOIN run_parts p ON p.build_id = b.id
     WHERE b.branch = ? AND (b.timestamp > ? OR (b.timestamp = ? AND b.id > ?))
     ORDER BY b.timestamp, b.id LIMIT 1`,
    [at[0], at[1], at[1], id],
  );
  if (!next) return [];
  const nextId = Number(next[0]);
  const found = next[1] !== null && Number(next[1]) === id ? [nextId] : [];
  if (nextId > id + 1) {
    for (const [other] of store.all('SELECT build_id FROM run_parts WHERE build_id > ? AND build_id < ? AND base_build = ?', [id, nextId, id])) found.push(Number(other));
  }
  return found;
}

/** Stores a run's breakdowns, as deltas on `baseId`'s where it has the metric (`baseId` null or too deep: whole). */
function storeRun(store: PartsDb, buildId: number, run: RunState, baseId: number | null): void {
  const base = baseId === null ? null : runState(store, baseId);
  const usable = base && base.depth < MAX_DEPTH ? base.state : null;
  const { blob, delta } = encodeRun(run, usable);
  store.run('INSERT OR REPLACE INTO run_parts (build_id, base_build, parts) VALUES (?, ?, ?)', [buildId, delta ? baseId : null, blob]);
}

/** Writes a run's breakdowns, metric -> parts (called by apply(), inside its transaction). */
export function writeParts(store: PartsDb, build: BuildRecord, byMetric: ReadonlyMap<string, Parts>): void {
  if (!byMetric.size) return;
  const run: RunState = new Map();
  for (const [metric, parts] of byMetric) {
    const byId: IdParts = new Map();
    for (const [name, value] of Object.entries(capParts(parts))) byId.set(nameId(store, name), value);
    run.set(nameId(store, metric), byId);
  }
  storeRun(store, build.id, run, previousRun(store, build));
}

/** Breakdowns already read during one query, by run. */
export type PartsCache = Map<number, Map<string, Parts> | null>;

/** Every breakdown of a run by metric id; null when it has none (shell commands, or recorded before breakdowns existed). */
export function readRunParts(store: PartsDb, buildId: number, cache?: PartsCache): Map<string, Parts> | null {
  const cached = cache?.get(buildId);
  if (cached !== undefined) return cached;
  const found = runState(store, buildId);
  let result: Map<string, Parts> | null = null;
  if (found) {
    const names = new Map<number, string>();
    const name = (id: number): string => {
      let n = names.get(id);
      if (n === undefined) {
        const row = store.one('SELECT name FROM metric_part_names WHERE id = ?', [id]);
        n = row ? String(row[0]) : `#${id}`;
        names.set(id, n);
      }
      return n;
    };
    result = new Map();
    for (const [metric, parts] of found.state) {
      const named: Parts = {};
      for (const [id, value] of [...parts].sort((a, b) => a[0] - b[0])) named[name(id)] = value;
      result.set(name(metric), named);
    }
  }
  cache?.set(buildId, result);
  return result;
}

/** The breakdown of a metric's value in a run; null when it has none. */
export function readParts(store: PartsDb, metric: string, buildId: number, cache?: PartsCache): Parts | null {
  return readRunParts(store, buildId, cache)?.get(metric) ?? null;
}

/**
 * Before runs' breakdowns are deleted: a run stored as a delta on one of them is rebased onto the
 * nearest run it still descends from (its deltas then hold what the deleted runs changed too),
 * or stored whole when there is none; then the rows go. Every kept run reads back the same.
 */
export function pruneParts(store: PartsDb, buildIds: number[]): void {
  const deleted = new Set(buildIds);
  const baseOf = (id: number): number | null => {
    const row = store.one('SELECT base_build FROM run_parts WHERE build_id = ?', [id]);
    return row && row[0] !== null ? Number(row[0]) : null;
  };
  for (const id of buildIds) {
    for (const buildId of dependantsOf(store, id)) {
      if (deleted.has(buildId)) continue;
      const own = runState(store, buildId);
      if (!own) continue;
      let ancestor: number | null = id;
      while (ancestor !== null && deleted.has(ancestor)) ancestor = baseOf(ancestor);
      storeRun(store, buildId, own.state, ancestor);
    }
  }
  for (let i = 0; i < buildIds.length; i += 500) {
    const ids = buildIds.slice(i, i + 500);
    store.run(`DELETE FROM run_parts WHERE build_id IN (${ids.map(() => '?').join(', ')})`, ids);
  }
}

/** A sql.js database as PartsDb, its statements freed by close(). */
/**
 * Migration 6: schema 5's rows (`metric_parts`: one JSON row per metric and run, a whole
 * breakdown by part id or a delta `{"s": {id: value}, "r": [id]}` on `base_build`) become one
 * `run_parts` row per run, written oldest first by the same code as a recorded run, so every
 * run reads back exactly the values it read back before. Part ids are kept.
 */
export function migrateMetricParts(db: Database): void {
  const store = new SqlStatements(db);
  try {
    // Schema 5's reader, with the breakdowns met on the way kept while they are likely bases.
    let known = new Map<string, IdParts>();
    const v5 = (metric: string, buildId: number): IdParts | null => {
      const stack: { s?: Record<string, number>; r?: string[] }[] = [];
      let parts: IdParts | null = null;
      let id: number | null = buildId;
      for (let guard = 0; id !== null && guard <= MAX_DEPTH * 4; guard++) {
        const hit = known.get(`${metric}\n${id}`);
        if (hit) {
          parts = hit;
          break;
        }
        const row = store.one('SELECT base_build, parts FROM metric_parts WHERE metric_id = ? AND build_id = ?', [metric, id]);
        if (!row) return null;
        const stored = JSON.parse(String(row[1])) as { s?: Record<string, number>; r?: string[] };
        if (row[0] === null) {
          parts = new Map(Object.entries(stored as Record<string, number>).map(([k, v]) => [Number(k), v]));
          break;
        }
        stack.push(stored);
        id = Number(row[0]);
      }
      if (!parts) return null;
      for (let i = stack.length - 1; i >= 0; i--) {
        parts = new Map(parts);
        for (const [k, v] of Object.entries(stack[i].s ?? {})) parts.set(Number(k), v);
        for (const k of stack[i].r ?? []) parts.delete(Number(k));
      }
      if (known.size > 20_000) known = new Map();
      known.set(`${metric}\n${buildId}`, parts);
      return parts;
    };
    const runs = store.all(
      `SELECT b.id, b.branch, b.timestamp FROM build_contexts b
       WHERE EXISTS (SELECT 1 FROM metric_parts p WHERE p.build_id = b.id) ORDER BY b.timestamp, b.id`,
    );
    for (const [id, branch, timestamp] of runs) {
      const buildId = Number(id);
      const run: RunState = new Map();
      for (const [metric] of store.all('SELECT metric_id FROM metric_parts WHERE build_id = ? ORDER BY metric_id', [buildId])) {
        const parts = v5(String(metric), buildId);
        if (parts) run.set(nameId(store, String(metric)), parts);
      }
      if (run.size) storeRun(store, buildId, run, previousRun(store, { id: buildId, branch: String(branch), timestamp: String(timestamp) }));
    }
  } finally {
    store.free();
  }
  db.run('DROP TABLE metric_parts');
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
