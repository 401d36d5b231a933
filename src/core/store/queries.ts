/**
 * Read queries over a StoreDb. Runs are ordered by (timestamp, id): the run's time first, the
 * recording order to break ties, so "latest" is well defined even for imported history.
 */
import type { SqlValue } from 'sql.js';
import type { BuildRecord, MetricDefinition, MetricValue, ResultStatus, RunEvent, Verdict } from '../types';
import type {
  BuildWithValues,
  BuildsQuery,
  Comparison,
  ComparisonSide,
  LatestMetric,
  LatestQuery,
  MetricComparison,
  RunOutcome,
  SeriesPoint,
  SeriesQuery,
} from './api';
import { MAX_SERIES_COMMITS } from './api';
import { BUILD_COLUMNS, buildFromRow, valueFromColumns, type StoreDb } from './database';
import { partChanges, readParts, type PartChange, type PartsCache } from './parts';
import { normalizeTimestamp } from './operations';

/** Which runs a query looks at, as SQL over the alias `b` plus its parameters. */
interface Scope {
  where: string[];
  params: SqlValue[];
}

function runFilter(q: {
  branch?: string | string[];
  commitSha?: string;
  commits?: string[];
  since?: string;
  until?: string;
  events?: RunEvent[];
  dirty?: boolean;
}): Scope {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (q.branch !== undefined) {
    const branches = Array.isArray(q.branch) ? q.branch : [q.branch];
    where.push(branches.length ? `b.branch IN (${branches.map(() => '?').join(', ')})` : '0');
    params.push(...branches);
  }
  if (q.commitSha !== undefined) addCommitPrefix({ where, params }, q.commitSha);
  if (q.commits !== undefined) {
    const commits = fullShas(q.commits);
    where.push(commits.length ? `b.commit_sha IN (${commits.map(() => '?').join(', ')})` : '0');
    params.push(...commits);
  }
  if (q.since !== undefined) {
    where.push('b.timestamp >= ?');
    params.push(normalizeTimestamp(q.since, 'since'));
  }
  if (q.until !== undefined) {
    where.push('b.timestamp <= ?');
    params.push(normalizeTimestamp(q.until, 'until'));
  }
  if (q.events !== undefined) {
    where.push(q.events.length ? `b.event_name IN (${q.events.map(() => '?').join(', ')})` : '0');
    params.push(...q.events);
  }
  if (q.dirty !== undefined) {
    where.push('b.dirty = ?');
    params.push(q.dirty ? 1 : 0);
  }
  return { where, params };
}

const HEX_PREFIX = /^[0-9a-f]{4,40}$/i;
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/** A query's list of commits: full shas (SHA-1 or SHA-256), lower case, at most MAX_SERIES_COMMITS. */
function fullShas(commits: unknown): string[] {
  if (!Array.isArray(commits)) throw new Error('commits must be an array of commit shas');
  if (commits.length > MAX_SERIES_COMMITS) throw new Error(`commits names ${commits.length} commits; at most ${MAX_SERIES_COMMITS} per query`);
  return commits.map((c) => {
    if (typeof c !== 'string' || !FULL_SHA.test(c)) throw new Error(`commits: ${JSON.stringify(String(c)).slice(0, 80)} is not a full commit sha`);
    return c.toLowerCase();
  });
}

/** Commit prefix as an index-friendly range: every sha starting with p sorts in [p, p + '~'). */
function addCommitPrefix(scope: Scope, prefix: string): void {
  const p = prefix.toLowerCase();
  if (p.length === 40) {
    scope.where.push('b.commit_sha = ?');
    scope.params.push(p);
  } else {
    scope.where.push('b.commit_sha >= ? AND b.commit_sha < ?');
    scope.params.push(p, `${p}~`);
  }
}

function whereClause(scope: Scope): string {
  return scope.where.length ? `WHERE ${scope.where.join(' AND ')}` : '';
}

function limitOf(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`limit/offset must be a non-negative integer, got ${value}`);
  return value;
}

export function series(store: StoreDb, q: SeriesQuery): SeriesPoint[] {
  if (!q || typeof q.metric !== 'string') throw new Error('series query needs a metric id');
  const scope = runFilter(q);
  const limit = q.limit === undefined ? -1 : limitOf(q.limit, -1);
  // Newest first so a limit keeps the most recent points; returned oldest first for charts.
  // Runs first (CROSS JOIN fixes that order) when that is the shorter walk: with a limit, it
  // stops early; in a time range of few runs, it looks up those runs' values instead of every
  // value of the metric (on a 1M-value store a week of history read the whole file); for named
  // commits, it finds their runs on the commit index. Else SQLite picks the plan.
  const runsFirst = limit >= 0 || q.commits !== undefined || fewRunsInRange(store, q, scope);
  scope.where.unshift('v.metric_id = ?');
  scope.params.unshift(q.metric);
  const rows = store.all(
    `SELECT v.value_numeric, v.value_label, ${BUILD_COLUMNS}
     FROM ${runsFirst ? 'build_contexts b CROSS JOIN metric_values v' : 'metric_values v JOIN build_contexts b'} ON b.id = v.build_id
     ${whereClause(scope)}
     ORDER BY b.timestamp DESC, b.id DESC LIMIT ?`,
    [...scope.params, limit],
  );
  const points: SeriesPoint[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const build = buildFromRow(row, 2);
    points[rows.length - 1 - i] = {
      buildId: build.id,
      value: valueFromColumns(row[0], row[1]) as MetricValue,
      commitSha: build.commitSha,
      branch: build.branch,
      event: build.event,
      dirty: build.dirty,
      timestamp: build.timestamp,
      runNumber: build.runNumber,
    };
    if (build.source !== 'local') points[rows.length - 1 - i].source = build.source;
  }
  return points;
}

/** Runs in a series' time range past which its values are walked by metric, not by run. */
const RUNS_FIRST_MAX = 5000;

/** Whether the query has a time range holding at most RUNS_FIRST_MAX of its runs (`runs`: its run filter; counted on a build_contexts index, stopping there). */
function fewRunsInRange(store: StoreDb, q: SeriesQuery, runs: Scope): boolean {
  if (q.since === undefined && q.until === undefined) return false;
  const row = store.one(`SELECT COUNT(*) FROM (SELECT 1 FROM build_contexts b ${whereClause(runs)} LIMIT ?)`, [...runs.params, RUNS_FIRST_MAX + 1]);
  return Number(row?.[0] ?? 0) <= RUNS_FIRST_MAX;
}

function isBranch(store: StoreDb, ref: string): boolean {
  return store.one('SELECT 1 FROM build_contexts WHERE branch = ? LIMIT 1', [ref]) !== undefined;
}

/**
 * The runs a ref stands for: a known branch, else a commit (full sha or prefix of at least 4
 * hex digits). An ambiguous prefix is an error, an unknown ref matches nothing.
 */
function refScope(store: StoreDb, ref: string, options: { cleanOnly?: boolean } = {}): Scope {
  const clean = options.cleanOnly ? ['b.dirty = 0'] : [];
  if (isBranch(store, ref)) return { where: ['b.branch = ?', ...clean], params: [ref] };
  if (!HEX_PREFIX.test(ref)) return { where: ['0'], params: [] };
  const scope: Scope = { where: [...clean], params: [] };
  addCommitPrefix(scope, ref);
  const commits = store.all(`SELECT DISTINCT b.commit_sha FROM build_contexts b ${whereClause(scope)} LIMIT 3`, scope.params);
  if (commits.length > 1) {
    throw new Error(`ref "${ref}" is ambiguous: it matches commits ${commits.map((c) => String(c[0]).slice(0, 12)).join(', ')}…`);
  }
  return scope;
}

export function resolveRef(store: StoreDb, ref: string, options: { cleanOnly?: boolean } = {}): BuildRecord | null {
  return newestRun(store, requiredRefScope(store, ref, options));
}

/** refScope for a ref the caller must name (resolveRef, compare). */
function requiredRefScope(store: StoreDb, ref: string, options: { cleanOnly?: boolean }): Scope {
  if (typeof ref !== 'string' || ref === '') throw new Error('ref must be a non-empty string');
  return refScope(store, ref, options);
}

/** The newest run in scope. */
function newestRun(store: StoreDb, scope: Scope): BuildRecord | null {
  const row = store.one(
    `SELECT ${BUILD_COLUMNS} FROM build_contexts b ${whereClause(scope)} ORDER BY b.timestamp DESC, b.id DESC LIMIT 1`,
    scope.params,
  );
  return row ? buildFromRow(row) : null;
}

interface Found<T> {
  item: T;
  build: BuildRecord;
}

/** Latest value of one metric among the runs in scope; walks runs newest first (CROSS JOIN keeps that order). */
function latestValue(store: StoreDb, metric: string, scope: Scope): Found<MetricValue> | null {
  const row = store.one(
    `SELECT v.value_numeric, v.value_label, ${BUILD_COLUMNS}
     FROM build_contexts b CROSS JOIN metric_values v ON v.build_id = b.id AND v.metric_id = ?
     ${whereClause(scope)}
     ORDER BY b.timestamp DESC, b.id DESC LIMIT 1`,
    [metric, ...scope.params],
  );
  return row ? { item: valueFromColumns(row[0], row[1]) as MetricValue, build: buildFromRow(row, 2) } : null;
}

/** How many value rows the newest-first walk of latestValues reads before asking metric by metric. */
const WALK_ROWS = 2000;

/**
 * Latest value of each metric in scope. One walk over the newest runs finds the usual case
 * (every metric measured recently) with a single statement; metrics not seen within the walk
 * are looked up one by one, unless the walk already covered every run in scope.
 */
function latestValues(store: StoreDb, metrics: string[], scope: Scope): Map<string, Found<MetricValue>> {
  const wanted = new Set(metrics);
  const found = new Map<string, Found<MetricValue>>();
  let rows = 0;
  let exhausted = true;
  store.each(
    `SELECT v.metric_id, v.value_numeric, v.value_label, ${BUILD_COLUMNS}
     FROM build_contexts b CROSS JOIN metric_values v ON v.build_id = b.id
     ${whereClause(scope)}
     ORDER BY b.timestamp DESC, b.id DESC`,
    scope.params,
    (row) => {
      const metric = String(row[0]);
      if (wanted.has(metric) && !found.has(metric)) {
        found.set(metric, { item: valueFromColumns(row[1], row[2]) as MetricValue, build: buildFromRow(row, 3) });
      }
      if (found.size === wanted.size || ++rows >= WALK_ROWS) {
        exhausted = false;
        return false;
      }
      return true;
    },
  );
  if (!exhausted) {
    for (const metric of wanted) {
      if (found.has(metric)) continue;
      const value = latestValue(store, metric, scope);
      if (value) found.set(metric, value);
    }
  }
  return found;
}

/**
 * Last failure of each metric in scope. Failures are few compared with values, so one pass over
 * the outcomes in scope (newest first) is cheaper than a statement per metric.
 */
function latestFailures(store: StoreDb, scope: Scope): Map<string, Found<RunOutcome>> {
  const found = new Map<string, Found<RunOutcome>>();
  store.each(
    `SELECT o.metric_id, o.status, o.duration_ms, o.message, ${BUILD_COLUMNS}
     FROM metric_outcomes o CROSS JOIN build_contexts b ON b.id = o.build_id
     ${whereClause(scope)}
     ORDER BY b.timestamp DESC, b.id DESC`,
    scope.params,
    (row) => {
      const metric = String(row[0]);
      if (!found.has(metric)) {
        found.set(metric, {
          item: {
            metric,
            status: String(row[1]) as ResultStatus,
            value: null,
            durationMs: row[2] === null ? null : Number(row[2]),
            message: row[3] === null ? null : String(row[3]),
          },
          build: buildFromRow(row, 4),
        });
      }
      return true;
    },
  );
  return found;
}

function newer(a: BuildRecord, b: BuildRecord): boolean {
  return a.timestamp > b.timestamp || (a.timestamp === b.timestamp && a.id > b.id);
}

/** One entry per metric with any run in scope, ordered by metric id. */
export function latest(store: StoreDb, q: LatestQuery = {}): LatestMetric[] {
  const scope: Scope = q.ref === undefined ? { where: [], params: [] } : refScope(store, q.ref);
  if (q.cleanOnly) scope.where.push('b.dirty = 0');
  const result: LatestMetric[] = [];
  const definitions = store.definitions();
  const values = latestValues(store, definitions.map((d) => d.id), scope);
  const failures = latestFailures(store, scope);
  for (const def of definitions) {
    const value = values.get(def.id) ?? null;
    const failure = failures.get(def.id) ?? null;
    if (!value && !failure) continue;
    const valueOutcome: Found<RunOutcome> | null = value
      ? { item: { metric: def.id, status: 'ok', value: value.item, durationMs: null, message: null }, build: value.build }
      : null;
    const last = !valueOutcome ? failure : !failure ? valueOutcome : newer(failure.build, valueOutcome.build) ? failure : valueOutcome;
    result.push({
      metric: def.id,
      value: value?.item ?? null,
      valueBuild: value?.build ?? null,
      lastOutcome: last?.item ?? null,
      lastOutcomeBuild: last?.build ?? null,
    });
  }
  return result;
}

export function builds(store: StoreDb, q: BuildsQuery = {}): BuildWithValues[] {
  const scope = runFilter(q);
  const limit = limitOf(q.limit, 100);
  const offset = limitOf(q.offset, 0);
  const runs = store
    .all(
      `SELECT ${BUILD_COLUMNS} FROM build_contexts b ${whereClause(scope)}
       ORDER BY b.timestamp DESC, b.id DESC LIMIT ? OFFSET ?`,
      [...scope.params, limit, offset],
    )
    .map((row) => buildFromRow(row));
  if (!runs.length) return [];
  const byId = new Map<number, RunOutcome[]>(runs.map((r) => [r.id, []]));
  const ids = runs.map((r) => r.id);
  const marks = ids.map(() => '?').join(', ');
  for (const row of store.db.exec(
    `SELECT build_id, metric_id, value_numeric, value_label FROM metric_values WHERE build_id IN (${marks})`,
    ids,
  )[0]?.values ?? []) {
    byId.get(Number(row[0]))?.push({
      metric: String(row[1]),
      status: 'ok',
      value: valueFromColumns(row[2], row[3]),
      durationMs: null,
      message: null,
    });
  }
  for (const row of store.db.exec(
    `SELECT build_id, metric_id, status, duration_ms, message FROM metric_outcomes WHERE build_id IN (${marks})`,
    ids,
  )[0]?.values ?? []) {
    byId.get(Number(row[0]))?.push({
      metric: String(row[1]),
      status: String(row[2]) as ResultStatus,
      value: null,
      durationMs: row[3] === null ? null : Number(row[3]),
      message: row[4] === null ? null : String(row[4]),
    });
  }
  return runs.map((build) => ({
    build,
    outcomes: (byId.get(build.id) ?? []).sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0)),
  }));
}

/** The runs among `ids` that are still stored (retention may have deleted the others), by id. */
export function buildsById(store: StoreDb, ids: number[]): BuildRecord[] {
  if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id))) throw new Error('build ids must be integers');
  const found: BuildRecord[] = [];
  const unique = [...new Set(ids)];
  // Chunked: SQLite limits the number of bound parameters per statement.
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const rows = store.all(`SELECT ${BUILD_COLUMNS} FROM build_contexts b WHERE b.id IN (${chunk.map(() => '?').join(', ')})`, chunk);
    for (const row of rows) found.push(buildFromRow(row));
  }
  return found.sort((a, b) => a.id - b.id);
}

export function branches(store: StoreDb): { branch: string; builds: number; lastRun: string }[] {
  return store
    .all('SELECT branch, COUNT(*), MAX(timestamp) FROM build_contexts GROUP BY branch ORDER BY MAX(timestamp) DESC, branch')
    .map((row) => ({ branch: String(row[0]), builds: Number(row[1]), lastRun: String(row[2]) }));
}

export function verdict(def: Pick<MetricDefinition, 'type' | 'direction'>, base: MetricValue | null, head: MetricValue | null): Verdict {
  if (base === null || head === null) return 'unknown';
  if (base === head) return 'same';
  if (def.type === 'label' || typeof base !== 'number' || typeof head !== 'number') return 'changed';
  if (def.direction === 'higher-is-better') return head > base ? 'better' : 'worse';
  if (def.direction === 'lower-is-better') return head < base ? 'better' : 'worse';
  return 'changed';
}

/**
 * Compares two refs metric by metric. Each side's value is the metric's latest value on that
 * ref (a run on save may measure only some metrics, so the ref's very last run may lack it);
 * on the base side, of its clean runs only (StoreApi.compare).
 */
export function compare(store: StoreDb, baseRef: string, headRef: string): Comparison {
  const definitions = store.definitions();
  const ids = definitions.map((d) => d.id);
  const sides = [baseRef, headRef].map((ref, i) => {
    // One scope per side: a commit prefix's scope costs a query (is it ambiguous?).
    const scope = requiredRefScope(store, ref, { cleanOnly: i === 0 });
    const build = newestRun(store, scope);
    const values = build ? latestValues(store, ids, scope) : new Map<string, Found<MetricValue>>();
    const side: ComparisonSide = { ref, commitSha: build?.commitSha ?? null, build };
    return { side, values };
  });
  const metrics: MetricComparison[] = [];
  const cache: PartsCache = new Map();
  for (const def of definitions) {
    const [base, head] = sides.map(({ values }) => values.get(def.id)?.item ?? null);
    if (base === null && head === null) continue;
    const numeric = typeof base === 'number' && typeof head === 'number';
    const delta = numeric ? head - base : null;
    const parts = comparedParts(store, def, ...(sides.map(({ values }) => values.get(def.id)?.build ?? null) as [BuildRecord | null, BuildRecord | null]), COMPARED_PARTS, cache);
    metrics.push({
      ...(parts.length ? { parts } : {}),
      metric: def.id,
      type: def.type,
      unit: def.unit,
      direction: def.direction,
      base,
      head,
      delta,
      deltaPercent: numeric && base !== 0 ? ((head - base) / Math.abs(base)) * 100 : null,
      verdict: verdict(def, base, head),
    });
  }
  return { base: sides[0].side, head: sides[1].side, metrics };
}

/** Parts Compare lists per metric. */
export const COMPARED_PARTS = 20;

/**
 * The files (or packages) that moved a metric between two runs, from their breakdowns: for a
 * higher-is-better metric (coverage) the biggest drops first, otherwise the biggest changes.
 */
function comparedParts(store: StoreDb, def: MetricDefinition, base: BuildRecord | null, head: BuildRecord | null, limit = COMPARED_PARTS, cache?: PartsCache): PartChange[] {
  if (!base || !head || def.type !== 'numeric' || base.id === head.id) return [];
  const baseParts = readParts(store, def.id, base.id, cache);
  const headParts = readParts(store, def.id, head.id, cache);
  if (!baseParts || !headParts) return [];
  const changes = partChanges(baseParts, headParts);
  if (def.direction === 'higher-is-better') changes.sort((x, y) => x.delta - y.delta || (x.name < y.name ? -1 : 1));
  return changes.slice(0, limit);
}

export function metricPartChanges(store: StoreDb, metric: string, baseBuildId: number, headBuildId: number, limit?: number): PartChange[] {
  const def = store.definition(metric);
  if (!def) return [];
  const ids = [baseBuildId, headBuildId];
  const at = (id: number) => ({ id }) as BuildRecord;
  return ids.every((id) => Number.isInteger(id)) ? comparedParts(store, def, at(baseBuildId), at(headBuildId), limit) : [];
}
