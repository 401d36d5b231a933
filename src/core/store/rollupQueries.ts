/**
 * Read queries over the rollup tables: bucketed series, the summary and breakdowns. They never
 * touch raw values (except for a failure's message), so their cost follows the number of
 * buckets in the range, not the number of runs.
 */
import type { SqlValue } from 'sql.js';
import { RUN_EVENTS, type MetricValue, type RunEvent } from '../types';
import type {
  Breakdown,
  BreakdownGroup,
  BreakdownQuery,
  MetricSummary,
  RollupPoint,
  RollupQuery,
  StoreSummary,
  SummaryQuery,
} from './api';
import { GRAINS, type Bucketer } from '../buckets';
import type { Row, StoreDb } from './database';
import { normalizeTimestamp } from './operations';
import { FAILURE_STATUSES } from './rollups';

/** Aggregate of several rollup rows (branches, events, dirty flags) of one group. */
interface Merged {
  count: number;
  failures: number;
  min: number | null;
  max: number | null;
  sum: number | null;
  first: SqlValue;
  firstAt: number | null;
  firstBuild: number;
  last: SqlValue;
  lastAt: number | null;
  lastBuild: number;
}

const ROW_COLUMNS = `value_count, failure_count, min_value, max_value, sum_value,
  first_value, first_at, first_build, last_value, last_at, last_build`;

function emptyMerged(): Merged {
  return { count: 0, failures: 0, min: null, max: null, sum: null, first: null, firstAt: null, firstBuild: 0, last: null, lastAt: null, lastBuild: 0 };
}

/** Folds the ROW_COLUMNS starting at `at` into `m`. */
function merge(m: Merged, row: Row, at: number): void {
  m.count += Number(row[at]);
  m.failures += Number(row[at + 1]);
  const min = row[at + 2] as number | null;
  const max = row[at + 3] as number | null;
  const sum = row[at + 4] as number | null;
  if (min !== null && (m.min === null || min < m.min)) m.min = min;
  if (max !== null && (m.max === null || max > m.max)) m.max = max;
  if (sum !== null) m.sum = m.sum === null ? sum : m.sum + sum;
  const firstAt = row[at + 6] as number | null;
  const firstBuild = Number(row[at + 7]);
  if (firstAt !== null && (m.firstAt === null || firstAt < m.firstAt || (firstAt === m.firstAt && firstBuild < m.firstBuild))) {
    m.first = row[at + 5];
    m.firstAt = firstAt;
    m.firstBuild = firstBuild;
  }
  const lastAt = row[at + 9] as number | null;
  const lastBuild = Number(row[at + 10]);
  if (lastAt !== null && (m.lastAt === null || lastAt > m.lastAt || (lastAt === m.lastAt && lastBuild > m.lastBuild))) {
    m.last = row[at + 8];
    m.lastAt = lastAt;
    m.lastBuild = lastBuild;
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

interface Filter {
  where: string[];
  params: SqlValue[];
}

function dimensionFilter(q: { branch?: string | string[]; events?: RunEvent[]; dirty?: boolean }): Filter {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (q.branch !== undefined) {
    const branches = Array.isArray(q.branch) ? q.branch : [q.branch];
    where.push(branches.length ? `branch IN (${branches.map(() => '?').join(', ')})` : '0');
    params.push(...branches);
  }
  if (q.events !== undefined) {
    where.push(q.events.length ? `event_name IN (${q.events.map(() => '?').join(', ')})` : '0');
    params.push(...q.events);
  }
  if (q.dirty !== undefined) {
    where.push('dirty = ?');
    params.push(q.dirty ? 1 : 0);
  }
  return { where, params };
}

function andWhere(filter: Filter): string {
  return filter.where.map((w) => ` AND ${w}`).join('');
}

function checkGrain(grain: unknown): asserts grain is (typeof GRAINS)[number] {
  if (!(GRAINS as readonly unknown[]).includes(grain)) throw new Error(`grain must be one of ${GRAINS.join(', ')}, got "${String(grain)}"`);
}

function toPoint(start: number, m: Merged): RollupPoint {
  return {
    bucketStart: new Date(start).toISOString(),
    count: m.count,
    failures: m.failures,
    min: m.min,
    max: m.max,
    sum: m.sum,
    mean: m.sum === null || m.count === 0 ? null : m.sum / m.count,
    first: m.first as MetricValue,
    last: m.last as MetricValue,
    firstAt: iso(m.firstAt) as string,
    lastAt: iso(m.lastAt) as string,
    lastBuildId: m.lastBuild,
  };
}

export function rollupSeries(store: StoreDb, bucketer: Bucketer, q: RollupQuery): RollupPoint[] {
  if (!q || typeof q.metric !== 'string') throw new Error('rollup query needs a metric id');
  checkGrain(q.grain);
  const filter = dimensionFilter(q);
  const from = q.since === undefined ? -8.64e15 : bucketer.start(Date.parse(normalizeTimestamp(q.since, 'since')), q.grain);
  const to = q.until === undefined ? 8.64e15 : Date.parse(normalizeTimestamp(q.until, 'until'));
  const buckets = new Map<number, Merged>();
  const read = (lo: number, hi: number) =>
    store.each(
      `SELECT bucket_start, ${ROW_COLUMNS} FROM metric_rollups
       WHERE metric_id = ? AND grain = ? AND bucket_start >= ? AND bucket_start <= ?${andWhere(filter)}
       ORDER BY bucket_start`,
      [q.metric, q.grain, lo, hi, ...filter.params],
      (row) => {
        const start = Number(row[0]);
        let m = buckets.get(start);
        if (!m) buckets.set(start, (m = emptyMerged()));
        merge(m, row, 1);
        return true;
      },
    );
  read(from, to);
  let carried: number | null = null;
  if (q.since !== undefined && !(buckets.get(from)?.count ?? 0)) {
    // The range starts inside a bucket without values: carry in the last bucket before it.
    const previous = store.one(
      `SELECT MAX(bucket_start) FROM metric_rollups
       WHERE metric_id = ? AND grain = ? AND bucket_start < ? AND value_count > 0${andWhere(filter)}`,
      [q.metric, q.grain, from, ...filter.params],
    );
    if (previous && previous[0] !== null) {
      carried = Number(previous[0]);
      read(carried, carried);
    }
  }
  const labels = new Map<number, Record<string, number>>();
  if (store.one('SELECT type FROM metric_definitions WHERE id = ?', [q.metric])?.[0] === 'label') {
    store.each(
      `SELECT bucket_start, label, value_count FROM label_rollups
       WHERE metric_id = ? AND grain = ? AND ((bucket_start >= ? AND bucket_start <= ?) OR bucket_start = ?)${andWhere(filter)}`,
      [q.metric, q.grain, from, to, carried ?? from, ...filter.params],
      (row) => {
        const start = Number(row[0]);
        const counts = labels.get(start) ?? {};
        counts[String(row[1])] = (counts[String(row[1])] ?? 0) + Number(row[2]);
        labels.set(start, counts);
        return true;
      },
    );
  }
  const points: RollupPoint[] = [];
  for (const start of [...buckets.keys()].sort((a, b) => a - b)) {
    const m = buckets.get(start)!;
    if (m.count === 0) continue;
    const point = toPoint(start, m);
    const counts = labels.get(start);
    if (counts) point.labels = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (start === carried) point.carried = true;
    points.push(point);
  }
  return points;
}

/** A query range snapped to whole days: [start of since's day, until]. */
function dayRange(bucketer: Bucketer, q: { since?: string; until?: string }): { from: number; to: number; since: string | null; until: string | null } {
  const from = q.since === undefined ? null : bucketer.start(Date.parse(normalizeTimestamp(q.since, 'since')), 'day');
  const to = q.until === undefined ? null : Date.parse(normalizeTimestamp(q.until, 'until'));
  return { from: from ?? -8.64e15, to: to ?? 8.64e15, since: iso(from), until: iso(to) };
}

/** Latest failure of a metric in a range: the raw outcome (rollups keep counts, not messages). */
function latestFailureNote(store: StoreDb, metric: string, range: { since: string | null; until: string | null }): string | null {
  const row = store.one(
    `SELECT o.status, o.message FROM metric_outcomes o CROSS JOIN build_contexts b ON b.id = o.build_id
     WHERE o.metric_id = ? AND o.status IN (${FAILURE_STATUSES.map(() => '?').join(', ')})
       AND b.timestamp >= COALESCE(?, '') AND (? IS NULL OR b.timestamp <= ?)
     ORDER BY b.timestamp DESC, b.id DESC LIMIT 1`,
    [metric, ...FAILURE_STATUSES, range.since, range.until, range.until],
  );
  if (!row) return null;
  return row[1] === null ? String(row[0]) : `${String(row[0])}: ${String(row[1])}`;
}

export function summary(store: StoreDb, bucketer: Bucketer, q: SummaryQuery = {}): StoreSummary {
  const range = dayRange(bucketer, q);
  const runsByEvent = Object.fromEntries(RUN_EVENTS.map((e) => [e, 0])) as Record<RunEvent, number>;
  const branches = new Set<string>();
  let runs = 0;
  let last: { at: number; build: number; branch: string; event: RunEvent } | null = null;
  store.each(
    `SELECT branch, event_name, run_count, last_at, last_build FROM run_rollups
     WHERE grain = 'day' AND bucket_start >= ? AND bucket_start <= ?`,
    [range.from, range.to],
    (row) => {
      const event = String(row[1]) as RunEvent;
      const count = Number(row[2]);
      runs += count;
      runsByEvent[event] = (runsByEvent[event] ?? 0) + count;
      branches.add(String(row[0]));
      const at = Number(row[3]);
      const build = Number(row[4]);
      if (!last || at > last.at || (at === last.at && build > last.build)) last = { at, build, branch: String(row[0]), event };
      return true;
    },
  );
  const ids = new Set(store.definitions().map((d) => d.id));
  for (const id of q.metrics ?? []) ids.add(id);
  const metrics: MetricSummary[] = [];
  for (const metric of [...ids].sort()) {
    const row = store.one(
      `SELECT SUM(value_count), SUM(failure_count), MAX(last_at) FROM metric_rollups
       WHERE metric_id = ? AND grain = 'day' AND bucket_start >= ? AND bucket_start <= ?`,
      [metric, range.from, range.to],
    );
    const values = Number(row?.[0] ?? 0);
    const failures = Number(row?.[1] ?? 0);
    if (values === 0 && failures === 0 && !(q.metrics ?? []).includes(metric)) continue;
    metrics.push({
      metric,
      status: values === 0 ? 'missing' : failures > 0 ? 'partial' : 'ok',
      values,
      failures,
      lastUpdated: iso(row?.[2] == null ? null : Number(row[2])),
      note: failures > 0 ? latestFailureNote(store, metric, range) : null,
    });
  }
  const lastRun = last as { at: number; build: number; branch: string; event: RunEvent } | null;
  return {
    since: range.since,
    until: range.until,
    timeZone: bucketer.timeZone,
    runs,
    runsByEvent,
    branches: [...branches].sort(),
    metricsWithValues: metrics.filter((m) => m.values > 0).length,
    lastRun: lastRun ? { buildId: lastRun.build, timestamp: new Date(lastRun.at).toISOString(), branch: lastRun.branch, event: lastRun.event } : null,
    metrics,
  };
}

export function breakdown(store: StoreDb, bucketer: Bucketer, q: BreakdownQuery): Breakdown {
  if (!q || typeof q.metric !== 'string') throw new Error('breakdown query needs a metric id');
  if (!['branch', 'event', 'label'].includes(q.by)) throw new Error(`breakdown by must be branch, event or label, got "${String(q.by)}"`);
  const range = dayRange(bucketer, q);
  const groups: BreakdownGroup[] = [];
  if (q.by === 'label') {
    const counts = new Map<string, number>();
    store.each(
      `SELECT label, value_count FROM label_rollups WHERE metric_id = ? AND grain = 'day' AND bucket_start >= ? AND bucket_start <= ?`,
      [q.metric, range.from, range.to],
      (row) => {
        counts.set(String(row[0]), (counts.get(String(row[0])) ?? 0) + Number(row[1]));
        return true;
      },
    );
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    for (const [label, count] of counts) groups.push({ key: label, count, failures: 0, share: count / total });
    groups.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  } else {
    const column = q.by === 'branch' ? 'branch' : 'event_name';
    const merged = new Map<string, Merged>();
    store.each(
      `SELECT ${column}, ${ROW_COLUMNS} FROM metric_rollups WHERE metric_id = ? AND grain = 'day' AND bucket_start >= ? AND bucket_start <= ?`,
      [q.metric, range.from, range.to],
      (row) => {
        const key = String(row[0]);
        let m = merged.get(key);
        if (!m) merged.set(key, (m = emptyMerged()));
        merge(m, row, 1);
        return true;
      },
    );
    for (const [key, m] of merged) {
      groups.push({
        key,
        count: m.count,
        failures: m.failures,
        min: m.min,
        max: m.max,
        mean: m.sum === null || m.count === 0 ? null : m.sum / m.count,
        last: (m.last as MetricValue | null) ?? null,
        lastAt: iso(m.lastAt),
      });
    }
    // Branches: most recently measured first; events: most values first.
    if (q.by === 'branch') groups.sort((a, b) => (b.lastAt ?? '').localeCompare(a.lastAt ?? '') || a.key.localeCompare(b.key));
    else groups.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  }
  return { metric: q.metric, by: q.by, since: range.since, until: range.until, groups };
}
