/**
 * Rollups: per-bucket aggregates kept beside the raw runs, so long-range charts, summaries and
 * breakdowns never scan raw values, and raw on-save runs can be deleted by retention.
 *
 * Keyed by (metric, grain, bucket, branch, event, dirty): event and dirty are dimensions so a
 * coarse chart can still hide dirty runs or show only CI runs. Maintained in the transaction
 * that writes the raw rows (record, journal replay, import), and rebuildable from raw data.
 *
 * Both paths compute the same rows bit for bit: counts, min/max and first/last (by
 * (timestamp, build id)) do not depend on order, and sums are added in metric_values.id order
 * (the order values were written) by both.
 */
import type { SqlValue } from 'sql.js';
import type { ResultStatus } from '../types';
import { Bucketer, GRAINS, type Grain } from '../buckets';
import type { Row, StoreDb } from './database';

export const META_TIMEZONE = 'rollup_timezone';
/** Epoch ms of the newest run deleted by retention: buckets starting at or before it cannot be recomputed. */
export const META_PRUNED_UNTIL = 'raw_pruned_until';
export const META_ROLLUPS_READY = 'rollups_ready';

/** Statuses counted as failures of a metric (a cancelled run says nothing about the metric). */
export const FAILURE_STATUSES: readonly ResultStatus[] = ['failed', 'timeout', 'invalid-output'];

const UPSERT_METRIC = `
  INSERT INTO metric_rollups (metric_id, grain, bucket_start, branch, event_name, dirty, value_count, failure_count,
    min_value, max_value, sum_value, first_value, first_at, first_build, last_value, last_at, last_build)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (metric_id, grain, bucket_start, branch, event_name, dirty) DO UPDATE SET
    value_count = value_count + excluded.value_count,
    failure_count = failure_count + excluded.failure_count,
    min_value = CASE WHEN excluded.min_value IS NOT NULL AND (min_value IS NULL OR excluded.min_value < min_value) THEN excluded.min_value ELSE min_value END,
    max_value = CASE WHEN excluded.max_value IS NOT NULL AND (max_value IS NULL OR excluded.max_value > max_value) THEN excluded.max_value ELSE max_value END,
    sum_value = CASE WHEN excluded.sum_value IS NULL THEN sum_value WHEN sum_value IS NULL THEN excluded.sum_value ELSE sum_value + excluded.sum_value END,
    first_value = CASE WHEN excluded.first_at IS NOT NULL AND (first_at IS NULL OR (excluded.first_at, excluded.first_build) < (first_at, first_build)) THEN excluded.first_value ELSE first_value END,
    first_at = CASE WHEN excluded.first_at IS NOT NULL AND (first_at IS NULL OR (excluded.first_at, excluded.first_build) < (first_at, first_build)) THEN excluded.first_at ELSE first_at END,
    first_build = CASE WHEN excluded.first_at IS NOT NULL AND (first_at IS NULL OR (excluded.first_at, excluded.first_build) < (first_at, first_build)) THEN excluded.first_build ELSE first_build END,
    last_value = CASE WHEN excluded.last_at IS NOT NULL AND (last_at IS NULL OR (excluded.last_at, excluded.last_build) > (last_at, last_build)) THEN excluded.last_value ELSE last_value END,
    last_at = CASE WHEN excluded.last_at IS NOT NULL AND (last_at IS NULL OR (excluded.last_at, excluded.last_build) > (last_at, last_build)) THEN excluded.last_at ELSE last_at END,
    last_build = CASE WHEN excluded.last_at IS NOT NULL AND (last_at IS NULL OR (excluded.last_at, excluded.last_build) > (last_at, last_build)) THEN excluded.last_build ELSE last_build END`;

const UPSERT_LABEL = `
  INSERT INTO label_rollups (metric_id, grain, bucket_start, branch, event_name, dirty, label, value_count)
  VALUES (?, ?, ?, ?, ?, ?, ?, 1)
  ON CONFLICT (metric_id, grain, bucket_start, branch, event_name, dirty, label) DO UPDATE SET value_count = value_count + 1`;

const UPSERT_RUN = `
  INSERT INTO run_rollups (grain, bucket_start, branch, event_name, dirty, run_count, last_at, last_build)
  VALUES (?, ?, ?, ?, ?, 1, ?, ?)
  ON CONFLICT (grain, bucket_start, branch, event_name, dirty) DO UPDATE SET
    run_count = run_count + 1,
    last_build = CASE WHEN (excluded.last_at, excluded.last_build) > (last_at, last_build) THEN excluded.last_build ELSE last_build END,
    last_at = CASE WHEN (excluded.last_at, excluded.last_build) > (last_at, last_build) THEN excluded.last_at ELSE last_at END`;

/** The run a raw row belongs to, as the rollups see it. */
export interface RunKey {
  id: number;
  branch: string;
  event: string;
  dirty: boolean;
  /** Epoch ms. */
  at: number;
}

/** The rollup bucketer of a store: its time zone is part of the stored data (store_meta). */
export function storeBucketer(store: StoreDb): Bucketer {
  return new Bucketer(store.getMeta(META_TIMEZONE) ?? 'UTC');
}

export function prunedUntil(store: StoreDb): number | null {
  const value = store.getMeta(META_PRUNED_UNTIL);
  return value === null ? null : Number(value);
}

/** Incremental maintenance: one upsert per grain for each value, failure and run. */
export class RollupWriter {
  constructor(
    private readonly store: StoreDb,
    private readonly bucketer: Bucketer,
  ) {}

  addRun(run: RunKey): void {
    const starts = this.bucketer.starts(run.at);
    const dirty = run.dirty ? 1 : 0;
    for (let g = 0; g < GRAINS.length; g++) {
      this.store.run(UPSERT_RUN, [GRAINS[g], starts[g], run.branch, run.event, dirty, run.at, run.id]);
    }
  }

  addValue(metric: string, run: RunKey, value: number | string): void {
    const starts = this.bucketer.starts(run.at);
    const dirty = run.dirty ? 1 : 0;
    const numeric = typeof value === 'number' ? value : null;
    for (let g = 0; g < GRAINS.length; g++) {
      this.store.run(UPSERT_METRIC, [
        metric, GRAINS[g], starts[g], run.branch, run.event, dirty, 1, 0,
        numeric, numeric, numeric, value, run.at, run.id, value, run.at, run.id,
      ]);
      if (numeric === null) this.store.run(UPSERT_LABEL, [metric, GRAINS[g], starts[g], run.branch, run.event, dirty, value]);
    }
  }

  addFailure(metric: string, run: RunKey): void {
    const starts = this.bucketer.starts(run.at);
    const dirty = run.dirty ? 1 : 0;
    for (let g = 0; g < GRAINS.length; g++) {
      this.store.run(UPSERT_METRIC, [
        metric, GRAINS[g], starts[g], run.branch, run.event, dirty, 0, 1,
        null, null, null, null, null, null, null, null, null,
      ]);
    }
  }
}

/** UPSERT_METRIC for a pre-aggregated batch: its sum is final (computed in value order from the stored sum). */
// (@__PURE__: bundles that import a constant from this file drop these.)
const UPSERT_METRIC_BATCH = /* @__PURE__ */ UPSERT_METRIC.replace(
  'sum_value = CASE WHEN excluded.sum_value IS NULL THEN sum_value WHEN sum_value IS NULL THEN excluded.sum_value ELSE sum_value + excluded.sum_value END',
  'sum_value = CASE WHEN excluded.sum_value IS NULL THEN sum_value ELSE excluded.sum_value END',
);
const UPSERT_LABEL_BATCH = /* @__PURE__ */ UPSERT_LABEL.replace('VALUES (?, ?, ?, ?, ?, ?, ?, 1)', 'VALUES (?, ?, ?, ?, ?, ?, ?, ?)').replace('value_count = value_count + 1', 'value_count = value_count + excluded.value_count');
const UPSERT_RUN_BATCH = /* @__PURE__ */ UPSERT_RUN.replace('VALUES (?, ?, ?, ?, ?, 1, ?, ?)', 'VALUES (?, ?, ?, ?, ?, ?, ?, ?)').replace('run_count = run_count + 1', 'run_count = run_count + excluded.run_count');
const STORED_SUM = 'SELECT sum_value FROM metric_rollups WHERE metric_id = ? AND grain = ? AND bucket_start = ? AND branch = ? AND event_name = ? AND dirty = ?';

interface BucketKey {
  grain: Grain;
  start: number;
  branch: string;
  event: string;
  dirty: number;
}

/**
 * One metric_rollups row of a batch. A class whose fields hold one type each from the start, so
 * V8 keeps min, max, sum and the first and last numbers unboxed: fields that start as null (an
 * object literal's `min: null`) hold a boxed number, a new heap object on every update (four
 * rows per value: most of an import's garbage).
 */
class MetricAgg implements BucketKey {
  values = 0;
  failures = 0;
  /** min and max: meaningful once hasNumbers. */
  min = 0;
  max = 0;
  hasNumbers = false;
  /**
   * The bucket's sum so far (when hasSum): continued from the stored sum (read when the first
   * number arrives) in the order values are added, so it equals RollupWriter's sums bit for bit.
   */
  sum = 0;
  hasSum = false;
  /** The first and last value by (time, build): a label, or else the number (when hasFirst / hasLast). */
  hasFirst = false;
  firstLabel: string | null = null;
  firstNumber = 0;
  firstAt = 0;
  firstBuild = 0;
  hasLast = false;
  lastLabel: string | null = null;
  lastNumber = 0;
  lastAt = 0;
  lastBuild = 0;

  constructor(
    readonly metric: string,
    readonly grain: Grain,
    readonly start: number,
    readonly branch: string,
    readonly event: string,
    readonly dirty: number,
  ) {}

  /** A value (a label, or else the number) becomes the first and/or the last if it is earlier / later by (time, build). */
  see(at: number, build: number, label: string | null, number: number): void {
    if (!this.hasFirst || at < this.firstAt || (at === this.firstAt && build < this.firstBuild)) {
      this.hasFirst = true;
      this.firstLabel = label;
      this.firstNumber = number;
      this.firstAt = at;
      this.firstBuild = build;
    }
    if (!this.hasLast || at > this.lastAt || (at === this.lastAt && build > this.lastBuild)) {
      this.hasLast = true;
      this.lastLabel = label;
      this.lastNumber = number;
      this.lastAt = at;
      this.lastBuild = build;
    }
  }
}

const earlier = (a: { at: number; build: number }, b: { at: number; build: number }) => a.at < b.at || (a.at === b.at && a.build < b.build);

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** metric_rollups' primary key order (text in UTF-16 order: only a hint, SQLite sorts by bytes). */
const byPrimaryKey = (a: MetricAgg, b: MetricAgg) =>
  compare(a.metric, b.metric) || compare(a.grain, b.grain) || a.start - b.start || compare(a.branch, b.branch) || compare(a.event, b.event) || a.dirty - b.dirty;

/** Rows per multi-row upsert at flush (a statement per row costs sql.js a step and a reset per row). */
const FLUSH_ROWS = 100;

/**
 * RollupWriter's batch form, for journal replay and import: adds in memory, one row per
 * distinct bucket at flush() (instead of one upsert per value and grain), in multi-row upserts.
 * The rows equal what RollupWriter would write, bit for bit: sums continue from the stored sum
 * in value order. Nothing else writes rollups while a batch holds values (a clear or prune
 * flushes it first), so a stored sum read when a bucket's first number arrives is the one the
 * flush would read.
 */
export class RollupBuffer {
  /** Keyed by bucket (grain, start, branch, event, dirty), then metric: the keys are reused strings whose hashes V8 keeps. */
  private readonly metrics = new Map<string, Map<string, MetricAgg>>();
  private metricCount = 0;
  private readonly labels = new Map<string, BucketKey & { metric: string; label: string; count: number }>();
  private readonly runs = new Map<string, BucketKey & { count: number; at: number; build: number }>();
  /** Whether a metric has stored rollup rows (none: no stored sums to continue, no conflicts). */
  private readonly stored = new Map<string, boolean>();
  /** Whether the table has any rollup row at all (unknown until the first value asks). */
  private anyRows: boolean | undefined;

  constructor(
    private readonly store: StoreDb,
    private readonly bucketer: Bucketer,
  ) {}

  get size(): number {
    return this.metricCount + this.labels.size + this.runs.size;
  }

  private hasRows(metric: string): boolean {
    // A store without rollup rows (a fresh store being imported into) has no sums to continue:
    // asked once, not a page per metric.
    this.anyRows ??= this.store.one('SELECT 1 FROM metric_rollups LIMIT 1') !== undefined;
    if (!this.anyRows) return false;
    let has = this.stored.get(metric);
    if (has === undefined) this.stored.set(metric, (has = this.store.one('SELECT 1 FROM metric_rollups WHERE metric_id = ? LIMIT 1', [metric]) !== undefined));
    return has;
  }

  addRun(run: RunKey): void {
    this.bucketsOf(run);
    const starts = this.lastStarts;
    const keys = this.lastRunKeys;
    const dirty = run.dirty ? 1 : 0;
    for (let g = 0; g < GRAINS.length; g++) {
      const agg = this.runs.get(keys[g]);
      if (!agg) this.runs.set(keys[g], { grain: GRAINS[g], start: starts[g], branch: run.branch, event: run.event, dirty, count: 1, at: run.at, build: run.id });
      else {
        agg.count++;
        if (earlier(agg, { at: run.at, build: run.id })) {
          agg.at = run.at;
          agg.build = run.id;
        }
      }
    }
  }

  /**
   * Per run (most have many values): its bucket starts and, per grain, the map of its bucket's
   * rows by metric (one map lookup per value and grain instead of two, no key built) and its
   * run_rollups key. A run in the same buckets as the run before (the same starts array from the
   * bucketer, branch, event and dirty flag: consecutive runs mostly are) reuses them.
   */
  private lastRun: RunKey | null = null;
  private lastStarts: readonly number[] = [];
  private lastBuckets: Map<string, MetricAgg>[] = [];
  private lastRunKeys: string[] = [];

  private bucketsOf(run: RunKey): Map<string, MetricAgg>[] {
    const previous = this.lastRun;
    if (previous === run) return this.lastBuckets;
    const starts = this.bucketer.starts(run.at);
    this.lastRun = run;
    if (previous && starts === this.lastStarts && previous.branch === run.branch && previous.event === run.event && previous.dirty === run.dirty) return this.lastBuckets;
    const dirty = run.dirty ? 1 : 0;
    const buckets: Map<string, MetricAgg>[] = [];
    const keys: string[] = [];
    for (let g = 0; g < GRAINS.length; g++) {
      const key = `${GRAINS[g]}\u0000${starts[g]}\u0000${run.branch}\u0000${run.event}\u0000${dirty}`;
      let byMetric = this.metrics.get(key);
      if (!byMetric) this.metrics.set(key, (byMetric = new Map()));
      buckets.push(byMetric);
      keys.push(key);
    }
    this.lastStarts = starts;
    this.lastBuckets = buckets;
    this.lastRunKeys = keys;
    return buckets;
  }

  addValue(metric: string, run: RunKey, value: number | string): void {
    const buckets = this.bucketsOf(run);
    const starts = this.lastStarts;
    const dirty = run.dirty ? 1 : 0;
    const at = run.at;
    const build = run.id;
    if (typeof value === 'number') {
      for (let g = 0; g < GRAINS.length; g++) {
        const agg = this.metric(buckets[g], metric, GRAINS[g], starts[g], run, dirty);
        agg.values++;
        if (!agg.hasNumbers) {
          agg.hasNumbers = true;
          agg.min = value;
          agg.max = value;
          const stored = this.hasRows(metric) ? this.storedSum(agg) : null;
          if (stored !== null) {
            agg.sum = stored;
            agg.hasSum = true;
          }
        } else {
          if (value < agg.min) agg.min = value;
          if (value > agg.max) agg.max = value;
        }
        agg.sum = agg.hasSum ? agg.sum + value : value;
        agg.hasSum = true;
        agg.see(at, build, null, value);
      }
      return;
    }
    for (let g = 0; g < GRAINS.length; g++) {
      const agg = this.metric(buckets[g], metric, GRAINS[g], starts[g], run, dirty);
      agg.values++;
      const key = `${metric}\u0000${GRAINS[g]}\u0000${starts[g]}\u0000${run.branch}\u0000${run.event}\u0000${dirty}\u0000${value}`;
      const label = this.labels.get(key);
      if (label) label.count++;
      else this.labels.set(key, { metric, grain: GRAINS[g], start: starts[g], branch: run.branch, event: run.event, dirty, label: value, count: 1 });
      agg.see(at, build, value, 0);
    }
  }

  private storedSum(a: MetricAgg): number | null {
    const stored = this.store.one(STORED_SUM, [a.metric, a.grain, a.start, a.branch, a.event, a.dirty])?.[0];
    return stored === null || stored === undefined ? null : Number(stored);
  }

  addFailure(metric: string, run: RunKey): void {
    const buckets = this.bucketsOf(run);
    const dirty = run.dirty ? 1 : 0;
    for (let g = 0; g < GRAINS.length; g++) this.metric(buckets[g], metric, GRAINS[g], this.lastStarts[g], run, dirty).failures++;
  }

  private metric(byMetric: Map<string, MetricAgg>, metric: string, grain: Grain, start: number, run: RunKey, dirty: number): MetricAgg {
    let agg = byMetric.get(metric);
    if (!agg) {
      agg = new MetricAgg(metric, grain, start, run.branch, run.event, dirty);
      byMetric.set(metric, agg);
      this.metricCount++;
    }
    return agg;
  }

  /** Writes the batch (the caller holds the transaction) and empties it. */
  flush(): void {
    for (const _ of this.flushSteps()) {
      // Written in steps only so that an import can yield between them.
    }
  }

  /** flush() in steps of about 4,096 rows (a generator: an import yields to the event loop between steps). */
  *flushSteps(): Generator<void> {
    const params: SqlValue[] = [];
    let rows = 0;
    // In primary-key order: SQLite appends to the b-tree instead of inserting all over it (a
    // third less time than bucket order for an import's rows).
    const aggs: MetricAgg[] = [];
    for (const byMetric of this.metrics.values()) for (const a of byMetric.values()) aggs.push(a);
    aggs.sort(byPrimaryKey);
    for (const a of aggs) {
      const first = a.hasFirst;
      const last = a.hasLast;
      params.push(
        a.metric, a.grain, a.start, a.branch, a.event, a.dirty, a.values, a.failures,
        a.hasNumbers ? a.min : null, a.hasNumbers ? a.max : null, a.hasSum ? a.sum : null,
        first ? (a.firstLabel ?? a.firstNumber) : null, first ? a.firstAt : null, first ? a.firstBuild : null,
        last ? (a.lastLabel ?? a.lastNumber) : null, last ? a.lastAt : null, last ? a.lastBuild : null,
      );
      if (++rows % FLUSH_ROWS === 0) {
        this.store.runRows(UPSERT_METRIC_BATCH, 17, params);
        params.length = 0;
        if (rows % 4096 < FLUSH_ROWS) yield;
      }
    }
    this.store.runRows(UPSERT_METRIC_BATCH, 17, params);
    params.length = 0;
    for (const l of this.labels.values()) params.push(l.metric, l.grain, l.start, l.branch, l.event, l.dirty, l.label, l.count);
    this.store.runRows(UPSERT_LABEL_BATCH, 8, params);
    params.length = 0;
    for (const r of this.runs.values()) params.push(r.grain, r.start, r.branch, r.event, r.dirty, r.count, r.at, r.build);
    this.store.runRows(UPSERT_RUN_BATCH, 8, params);
    this.metrics.clear();
    // The last run's bucket maps were just dropped.
    this.lastRun = null;
    this.metricCount = 0;
    this.labels.clear();
    this.runs.clear();
    this.stored.clear();
    this.anyRows = undefined;
  }
}

const RAW_VALUES = `
  SELECT v.metric_id, v.value_numeric, v.value_label, b.id, b.branch, b.event_name, b.dirty, b.timestamp
  FROM metric_values v JOIN build_contexts b ON b.id = v.build_id`;

function runOfRow(row: Row, at: number): RunKey {
  return { id: Number(row[at]), branch: String(row[at + 1]), event: String(row[at + 2]), dirty: Number(row[at + 3]) === 1, at: Date.parse(String(row[at + 4])) };
}


interface MetricAcc {
  key: SqlValue[];
  count: number;
  failures: number;
  min: number | null;
  max: number | null;
  sum: number | null;
  firstValue: SqlValue;
  firstAt: number | null;
  firstBuild: number | null;
  lastValue: SqlValue;
  lastAt: number | null;
  lastBuild: number | null;
}

function before(at: number, build: number, otherAt: number | null, otherBuild: number | null): boolean {
  return otherAt === null || at < otherAt || (at === otherAt && build < (otherBuild as number));
}

function after(at: number, build: number, otherAt: number | null, otherBuild: number | null): boolean {
  return otherAt === null || at > otherAt || (at === otherAt && build > (otherBuild as number));
}

export interface RebuildOutcome {
  metricRows: number;
  labelRows: number;
  runRows: number;
  timeZone: string;
  /** Buckets starting at or before this instant were kept: their raw runs were deleted by retention. */
  keptThrough: string | null;
}

/**
 * Recomputes the rollups from raw data, in memory then in bulk. Buckets that start at or before
 * the newest run deleted by retention are kept as they are (their raw data is gone). Changing
 * the time zone re-buckets everything, so it is refused once retention has deleted runs.
 * The caller wraps it in a transaction.
 */
export function rebuildRollups(store: StoreDb, options: { timeZone?: string } = {}): RebuildOutcome {
  const current = store.getMeta(META_TIMEZONE) ?? 'UTC';
  const timeZone = options.timeZone ?? current;
  const horizon = prunedUntil(store);
  if (timeZone !== current && horizon !== null) {
    throw new Error(
      `cannot re-bucket rollups from ${current} to ${timeZone}: retention already deleted raw runs up to ${new Date(horizon).toISOString()}, so their buckets cannot be recomputed`,
    );
  }
  const bucketer = new Bucketer(timeZone);
  const floor = horizon ?? -Infinity;
  const metrics = new Map<string, MetricAcc>();
  const labels = new Map<string, { key: SqlValue[]; count: number }>();
  const runs = new Map<string, { key: SqlValue[]; count: number; lastAt: number; lastBuild: number }>();
  const metricAcc = (metric: string, grain: Grain, start: number, run: RunKey): MetricAcc => {
    const id = `${metric}\u0000${grain}\u0000${start}\u0000${run.branch}\u0000${run.event}\u0000${run.dirty ? 1 : 0}`;
    let acc = metrics.get(id);
    if (!acc) {
      acc = {
        key: [metric, grain, start, run.branch, run.event, run.dirty ? 1 : 0],
        count: 0, failures: 0, min: null, max: null, sum: null,
        firstValue: null, firstAt: null, firstBuild: null, lastValue: null, lastAt: null, lastBuild: null,
      };
      metrics.set(id, acc);
    }
    return acc;
  };

  store.each(`${RAW_VALUES} ORDER BY v.id`, [], (row) => {
    const metric = String(row[0]);
    const run = runOfRow(row, 3);
    const value = (row[1] ?? row[2]) as number | string;
    const numeric = typeof value === 'number' ? value : null;
    const starts = bucketer.starts(run.at);
    for (let g = 0; g < GRAINS.length; g++) {
      if (starts[g] <= floor) continue;
      const acc = metricAcc(metric, GRAINS[g], starts[g], run);
      acc.count++;
      if (numeric !== null) {
        if (acc.min === null || numeric < acc.min) acc.min = numeric;
        if (acc.max === null || numeric > acc.max) acc.max = numeric;
        acc.sum = acc.sum === null ? numeric : acc.sum + numeric;
      } else {
        const id = `${metric}\u0000${GRAINS[g]}\u0000${starts[g]}\u0000${run.branch}\u0000${run.event}\u0000${run.dirty ? 1 : 0}\u0000${value}`;
        const label = labels.get(id);
        if (label) label.count++;
        else labels.set(id, { key: [...acc.key, value], count: 1 });
      }
      if (before(run.at, run.id, acc.firstAt, acc.firstBuild)) {
        acc.firstValue = value;
        acc.firstAt = run.at;
        acc.firstBuild = run.id;
      }
      if (after(run.at, run.id, acc.lastAt, acc.lastBuild)) {
        acc.lastValue = value;
        acc.lastAt = run.at;
        acc.lastBuild = run.id;
      }
    }
    return true;
  });

  const statuses = FAILURE_STATUSES.map(() => '?').join(', ');
  store.each(
    `SELECT o.metric_id, b.id, b.branch, b.event_name, b.dirty, b.timestamp
     FROM metric_outcomes o JOIN build_contexts b ON b.id = o.build_id WHERE o.status IN (${statuses})`,
    [...FAILURE_STATUSES],
    (row) => {
      const run = runOfRow(row, 1);
      const starts = bucketer.starts(run.at);
      for (let g = 0; g < GRAINS.length; g++) {
        if (starts[g] > floor) metricAcc(String(row[0]), GRAINS[g], starts[g], run).failures++;
      }
      return true;
    },
  );

  store.each('SELECT id, branch, event_name, dirty, timestamp FROM build_contexts', [], (row) => {
    const run = runOfRow(row, 0);
    const starts = bucketer.starts(run.at);
    for (let g = 0; g < GRAINS.length; g++) {
      if (starts[g] <= floor) continue;
      const id = `${GRAINS[g]}\u0000${starts[g]}\u0000${run.branch}\u0000${run.event}\u0000${run.dirty ? 1 : 0}`;
      const acc = runs.get(id);
      if (!acc) runs.set(id, { key: [GRAINS[g], starts[g], run.branch, run.event, run.dirty ? 1 : 0], count: 1, lastAt: run.at, lastBuild: run.id });
      else {
        acc.count++;
        if (run.at > acc.lastAt || (run.at === acc.lastAt && run.id > acc.lastBuild)) {
          acc.lastAt = run.at;
          acc.lastBuild = run.id;
        }
      }
    }
    return true;
  });

  const kept = Number.isFinite(floor) ? floor : -8.64e15;
  for (const table of ['metric_rollups', 'label_rollups', 'run_rollups']) store.run(`DELETE FROM ${table} WHERE bucket_start > ?`, [kept]);
  for (const acc of metrics.values()) {
    store.run(
      `INSERT INTO metric_rollups (metric_id, grain, bucket_start, branch, event_name, dirty, value_count, failure_count,
         min_value, max_value, sum_value, first_value, first_at, first_build, last_value, last_at, last_build)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [...acc.key, acc.count, acc.failures, acc.min, acc.max, acc.sum, acc.firstValue, acc.firstAt, acc.firstBuild, acc.lastValue, acc.lastAt, acc.lastBuild],
    );
  }
  for (const acc of labels.values()) {
    store.run(
      'INSERT INTO label_rollups (metric_id, grain, bucket_start, branch, event_name, dirty, label, value_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [...acc.key, acc.count],
    );
  }
  for (const acc of runs.values()) {
    store.run(
      'INSERT INTO run_rollups (grain, bucket_start, branch, event_name, dirty, run_count, last_at, last_build) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [...acc.key, acc.count, acc.lastAt, acc.lastBuild],
    );
  }
  store.setMeta(META_TIMEZONE, timeZone);
  store.setMeta(META_ROLLUPS_READY, '1');
  return {
    metricRows: metrics.size,
    labelRows: labels.size,
    runRows: runs.size,
    timeZone,
    keptThrough: horizon === null ? null : new Date(horizon).toISOString(),
  };
}
