/**
 * The in-memory sql.js database of a store: cached prepared statements, transactions, the
 * meta table, and the write operations (validate a build into a journal op, apply an op).
 * Knows nothing about files; sqlStore.ts decides what is durable and when.
 */
import type { SnapshotFile } from './snapshotFile';
import { SqlStatements, type Row } from './statements';
import type { Database, SqlValue } from 'sql.js';
import type { BuildRecord, MetricDefinition, MetricValue, RunEvent, RunSource } from '../types';
import type { RecordBuildInput, RecordBuildOutcome } from './api';
import {
  definitionProblem,
  isResultStatus,
  sameDefinition,
  strictTimestamp,
  validateBuildContext,
  type JournalOp,
  type StoredOutcome,
} from './operations';
import type { Bucketer } from '../buckets';
import { LIMITS, boundedMessage, textProblem } from '../limits';
import { applyShared } from './shared';
import { capParts, pruneParts, writeParts } from './parts';
import { FAILURE_STATUSES, META_PRUNED_UNTIL, RollupBuffer, RollupWriter, storeBucketer } from './rollups';

export type { Row } from './statements';

export const BUILD_COLUMNS = 'b.id, b.commit_sha, b.branch, b.run_id, b.run_number, b.event_name, b.timestamp, b.dirty, b.source';

/** Maps the 9 columns of BUILD_COLUMNS starting at `at` (always the last columns of a query). */
export function buildFromRow(row: Row, at = 0): BuildRecord {
  return {
    id: Number(row[at]),
    commitSha: String(row[at + 1]),
    branch: String(row[at + 2]),
    runId: String(row[at + 3]),
    runNumber: Number(row[at + 4]),
    event: String(row[at + 5]) as RunEvent,
    timestamp: String(row[at + 6]),
    dirty: Number(row[at + 7]) === 1,
    source: (row[at + 8] ?? 'local') as RunSource,
  };
}

export function valueFromColumns(numeric: SqlValue, label: SqlValue): MetricValue | null {
  if (numeric !== null && numeric !== undefined) return Number(numeric);
  if (label !== null && label !== undefined) return String(label);
  return null;
}

/** insertRows()'s statement texts, by head and row count. */
const MULTI_ROW_SQL = new Map<string, string[]>();

export class StoreDb extends SqlStatements {
  private bucketer: Bucketer | null = null;
  /** Set by batchRollups(): apply() adds rollups here, written once at the end. */
  private rollupBatch: RollupBuffer | null = null;
  /** Definitions as last written by apply(), to skip unchanged upserts; cleared when a write is rolled back. */
  private readonly appliedDefinitions = new Map<string, MetricDefinition>();

  /** `file`: the snapshot sql.js reads its pages from (snapshotFile.ts), closed with the database. */
  constructor(
    db: Database,
    readonly file?: Pick<SnapshotFile, 'close' | 'continueFrom'>,
  ) {
    super(db);
    // Durability comes from the store's own journal and snapshots, never from SQLite's files in
    // sql.js's in-memory file system: keep the rollback journal in memory, hold the (only)
    // connection's lock so the page cache is not revalidated per transaction, and cache enough
    // pages that a write touches memory instead of re-reading the emulated file.
    db.exec('PRAGMA foreign_keys = ON; PRAGMA journal_mode = MEMORY; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -8192');
  }

  /**
   * Runs a one-row statement (`… VALUES (?, …) …`, `width` parameters) for every `width`
   * parameters of `params`, `rows` rows per statement: its VALUES group repeated, the rest
   * (an upsert's ON CONFLICT clause) kept. Statements are cached per row count.
   */
  runRows(sql: string, width: number, params: SqlValue[], rows = 100): void {
    if (params.length === 0) return;
    const group = `(${new Array(width).fill('?').join(', ')})`;
    const at = sql.indexOf(`VALUES ${group}`);
    if (at < 0 || params.length % width !== 0) throw new Error(`runRows: expected VALUES ${group} in the statement and whole rows`);
    const head = sql.slice(0, at + 7);
    const tail = sql.slice(at + 7 + group.length);
    const full = head + new Array(rows).fill(group).join(', ') + tail;
    const step = width * rows;
    let start = 0;
    for (; start + step <= params.length; start += step) this.run(full, start === 0 && params.length === step ? params : params.slice(start, start + step));
    if (start < params.length) this.run(head + new Array((params.length - start) / width).fill(group).join(', ') + tail, params.slice(start));
  }

  changes(): number {
    return this.db.getRowsModified();
  }

  transaction<T>(body: () => T): T {
    this.db.run('BEGIN');
    try {
      const result = body();
      this.db.run('COMMIT');
      return result;
    } catch (err) {
      this.db.run('ROLLBACK');
      this.forgetAppliedDefinitions();
      throw err;
    }
  }

  getMeta(key: string): string | null {
    const row = this.one('SELECT value FROM store_meta WHERE key = ?', [key]);
    return row ? String(row[0]) : null;
  }

  setMeta(key: string, value: string): void {
    this.run('INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  definition(id: string): MetricDefinition | null {
    const row = this.one('SELECT id, type, unit, description, direction, name FROM metric_definitions WHERE id = ?', [id]);
    return row ? definitionFromRow(row) : null;
  }

  definitions(): MetricDefinition[] {
    return this.all('SELECT id, type, unit, description, direction, name FROM metric_definitions ORDER BY id').map(definitionFromRow);
  }

  nextRunNumber(): number {
    return Number(this.one('SELECT COALESCE(MAX(run_number), 0) + 1 FROM build_contexts')?.[0] ?? 1);
  }

  /** The id the next inserted build gets (AUTOINCREMENT never reuses ids, even after a clear). */
  nextBuildId(): number {
    const seq = this.one("SELECT seq FROM sqlite_sequence WHERE name = 'build_contexts'");
    const max = this.one('SELECT MAX(id) FROM build_contexts');
    return Math.max(Number(seq?.[0] ?? 0), Number(max?.[0] ?? 0)) + 1;
  }

  /**
   * Validates a build against the current state and resolves it into a journal op. Throws for
   * a malformed or already recorded run; metrics that cannot be stored (type changed, no
   * definition, value of the wrong kind) are listed in `rejected` and the rest is kept.
   */
  prepareBuild(input: RecordBuildInput): { op: JournalOp & { kind: 'build' }; rejected: RecordBuildOutcome['rejected'] } {
    const ctx = input?.build;
    validateBuildContext(ctx);
    const timestamp = strictTimestamp(ctx.timestamp, 'build timestamp');
    if ((input.results?.length ?? 0) > LIMITS.metricsPerRun || (input.definitions?.length ?? 0) > LIMITS.metricsPerRun) {
      throw new Error(`a run may hold at most ${LIMITS.metricsPerRun} metrics`);
    }
    const commitSha = ctx.commitSha.toLowerCase();
    if (this.one('SELECT 1 FROM build_contexts WHERE commit_sha = ? AND run_id = ?', [commitSha, ctx.runId])) {
      throw new Error(`run ${ctx.runId} of commit ${commitSha} is already recorded`);
    }
    const rejected: RecordBuildOutcome['rejected'] = [];
    const rejectedIds = new Set<string>();
    const reject = (metric: string, message: string) => {
      rejected.push({ metric, message });
      rejectedIds.add(metric);
    };

    const known = new Map<string, MetricDefinition>();
    const definitions: MetricDefinition[] = [];
    for (const def of input.definitions ?? []) {
      const problem = definitionProblem(def);
      if (problem) {
        reject(String(def?.id ?? ''), `invalid definition: ${problem}`);
        continue;
      }
      const existing = this.definition(def.id);
      if (existing && existing.type !== def.type) {
        reject(def.id, `metric "${def.id}" was recorded as ${existing.type}; its type cannot change to ${def.type} (rename the metric or clear the history)`);
        continue;
      }
      const resolved: MetricDefinition = {
        id: def.id,
        type: def.type,
        unit: def.unit ?? null,
        description: def.description ?? null,
        direction: def.direction ?? null,
        name: def.name ?? null,
      };
      known.set(def.id, resolved);
      // Journaled even when unchanged: a record must replay onto a fresh store (corrupt snapshot).
      definitions.push(resolved);
    }

    const outcomes: StoredOutcome[] = [];
    const seen = new Set<string>();
    for (const result of input.results ?? []) {
      const metric = String(result?.metric ?? '');
      if (rejectedIds.has(metric)) continue;
      if (seen.has(metric)) {
        reject(metric, `metric "${metric}" appears twice in one run`);
        continue;
      }
      seen.add(metric);
      const def = known.get(metric) ?? this.definition(metric);
      if (!def) {
        reject(metric, `metric "${metric}" has no definition`);
        continue;
      }
      if (!isResultStatus(result.status)) {
        reject(metric, `unknown result status "${String(result.status)}"`);
        continue;
      }
      if (result.status === 'ok') {
        const valueProblem = checkValue(def, result.value);
        if (valueProblem) {
          reject(metric, valueProblem);
          continue;
        }
        const parts = validParts(result.parts);
        outcomes.push({ metric, status: 'ok', value: result.value as MetricValue, ...(parts ? { parts } : {}) });
      } else {
        const durationMs = Number.isFinite(result.durationMs) ? result.durationMs : null;
        outcomes.push({ metric, status: result.status, value: null, durationMs, message: result.message == null ? null : boundedMessage(String(result.message)) });
      }
    }

    const build: BuildRecord = {
      id: this.nextBuildId(),
      commitSha,
      branch: ctx.branch,
      runId: ctx.runId,
      runNumber: ctx.runNumber ?? this.nextRunNumber(),
      event: ctx.event,
      timestamp,
      dirty: ctx.dirty,
      source: 'local',
    };
    return { op: { kind: 'build', build, definitions, outcomes }, rejected };
  }

  /** The rollups' bucketer (its time zone is stored in the database); reset after a rebuild. */
  rollupBucketer(): Bucketer {
    this.bucketer ??= storeBucketer(this);
    return this.bucketer;
  }

  forgetBucketer(): void {
    this.bucketer = null;
  }

  /**
   * Applies a journal op; the caller wraps it in a transaction. Returns the runs deleted for a
   * clear or prune. A build's rollups are upserted here, so recording and journal replay
   * maintain them identically.
   */
  /**
   * Runs `body` (many apply() calls, inside the caller's transaction) with the rollups of all
   * its builds aggregated in memory and written once per bucket at the end: journal replay.
   */
  batchRollups<T>(body: () => T): T {
    const batch = new RollupBuffer(this, this.rollupBucketer());
    this.rollupBatch = batch;
    try {
      const result = body();
      batch.flush();
      return result;
    } finally {
      this.rollupBatch = null;
      this.appliedDefinitions.clear();
    }
  }

  /** After a rollback: the definitions cache may name writes that were undone. */
  forgetAppliedDefinitions(): void {
    this.appliedDefinitions.clear();
  }

  apply(op: JournalOp): number {
    // A clear or prune acts on the stored rollups: what the batch holds goes first.
    if (op.kind !== 'build' && this.rollupBatch?.size) this.rollupBatch.flush();
    if (op.kind === 'clear') {
      const builds = Number(this.one('SELECT COUNT(*) FROM build_contexts')?.[0] ?? 0);
      this.db.run(
        `DELETE FROM metric_outcomes; DELETE FROM metric_values; DELETE FROM build_contexts;
         DELETE FROM metric_rollups; DELETE FROM label_rollups; DELETE FROM run_rollups;
         DELETE FROM run_parts; DELETE FROM metric_part_names; DELETE FROM store_meta WHERE key = '${META_PRUNED_UNTIL}';`,
      );
      return builds;
    }
    if (op.kind === 'published' || op.kind === 'pulled') return applyShared(this, op);
    if (op.kind === 'prune') {
      if (op.hourFrom !== undefined && op.hourTo !== undefined) this.pruneHourRollups(op.hourFrom, op.hourTo);
      if (op.partsOf?.length) pruneParts(this, op.partsOf);
      return this.prune(op.buildIds, op.until);
    }
    for (const def of op.definitions) {
      // Every build journals its definitions; most are unchanged since the last one applied.
      // (Only inside a replay batch: other writers, such as import, do not keep this cache.)
      if (this.rollupBatch) {
        if (sameDefinition(this.appliedDefinitions.get(def.id), def)) continue;
        this.appliedDefinitions.set(def.id, def);
      }
      this.run(
        `INSERT INTO metric_definitions (id, type, unit, description, direction, name) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET unit = excluded.unit, description = excluded.description,
           direction = excluded.direction, name = excluded.name
         WHERE unit IS NOT excluded.unit OR description IS NOT excluded.description
           OR direction IS NOT excluded.direction OR name IS NOT excluded.name`,
        [def.id, def.type, def.unit, def.description, def.direction, def.name],
      );
    }
    const b = op.build;
    this.run(
      `INSERT INTO build_contexts (id, commit_sha, branch, run_id, run_number, event_name, timestamp, dirty, source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [b.id, b.commitSha, b.branch, b.runId, b.runNumber, b.event, b.timestamp, b.dirty ? 1 : 0, b.source ?? 'local'],
    );
    // One multi-row INSERT per table (in outcome order, so metric_values ids keep it).
    const values: SqlValue[] = [];
    const outcomes: SqlValue[] = [];
    for (const o of op.outcomes) {
      if (o.status === 'ok') {
        values.push(o.metric, b.id, typeof o.value === 'number' ? o.value : null, typeof o.value === 'string' ? o.value : null);
      } else {
        outcomes.push(b.id, o.metric, o.status, o.durationMs, o.message);
      }
    }
    this.insertRows('INSERT INTO metric_values (metric_id, build_id, value_numeric, value_label) VALUES ', 4, values);
    this.insertRows('INSERT INTO metric_outcomes (build_id, metric_id, status, duration_ms, message) VALUES ', 5, outcomes);
    const parts = new Map<string, Record<string, number>>();
    for (const o of op.outcomes) if (o.status === 'ok' && o.parts) parts.set(o.metric, o.parts);
    writeParts(this, b, parts);
    const rollups = this.rollupBatch ?? new RollupWriter(this, this.rollupBucketer());
    const run = { id: b.id, branch: b.branch, event: b.event, dirty: b.dirty, at: Date.parse(b.timestamp) };
    rollups.addRun(run);
    for (const o of op.outcomes) {
      if (o.status === 'ok') rollups.addValue(o.metric, run, o.value as MetricValue);
      else if (FAILURE_STATUSES.includes(o.status)) rollups.addFailure(o.metric, run);
    }
    return 1;
  }

  /** Inserts rows of `width` parameters each, up to 100 rows per statement (statements cached per row count). */
  private insertRows(head: string, width: number, params: SqlValue[]): void {
    let byRows = MULTI_ROW_SQL.get(head);
    if (!byRows) MULTI_ROW_SQL.set(head, (byRows = []));
    for (let at = 0; at < params.length; at += width * 100) {
      const chunk = params.length - at <= width * 100 ? (at === 0 ? params : params.slice(at)) : params.slice(at, at + width * 100);
      const rows = chunk.length / width;
      byRows[rows] ??= head + new Array(rows).fill(`(${new Array(width).fill('?').join(', ')})`).join(', ');
      this.run(byRows[rows], chunk);
    }
  }

  /** Hour buckets live as long as on-save runs; one primary-key range per metric, so bounded work. */
  private pruneHourRollups(from: number, to: number): void {
    for (const def of this.definitions()) {
      this.run("DELETE FROM metric_rollups WHERE metric_id = ? AND grain = 'hour' AND bucket_start >= ? AND bucket_start < ?", [def.id, from, to]);
      this.run("DELETE FROM label_rollups WHERE metric_id = ? AND grain = 'hour' AND bucket_start >= ? AND bucket_start < ?", [def.id, from, to]);
    }
    this.run("DELETE FROM run_rollups WHERE grain = 'hour' AND bucket_start >= ? AND bucket_start < ?", [from, to]);
  }

  /** Deletes runs with their values and outcomes; rollups keep what they summarized. */
  private prune(buildIds: number[], until: string): number {
    pruneParts(this, buildIds);
    for (let i = 0; i < buildIds.length; i += 500) {
      const ids = buildIds.slice(i, i + 500);
      const marks = ids.map(() => '?').join(', ');
      this.db.run(`DELETE FROM metric_values WHERE build_id IN (${marks})`, ids);
      this.db.run(`DELETE FROM metric_outcomes WHERE build_id IN (${marks})`, ids);
      this.db.run(`DELETE FROM build_contexts WHERE id IN (${marks})`, ids);
    }
    const untilMs = Date.parse(until);
    const previous = Number(this.getMeta(META_PRUNED_UNTIL) ?? -Infinity);
    if (untilMs > previous) this.setMeta(META_PRUNED_UNTIL, String(untilMs));
    return buildIds.length;
  }

  close(): void {
    this.free();
    this.db.close();
    this.file?.close();
  }
}

function checkValue(def: MetricDefinition, value: unknown): string | null {
  if (def.type === 'numeric') {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return `metric "${def.id}" is numeric but its value is ${JSON.stringify(value) ?? String(value)}`;
    }
    return null;
  }
  if (typeof value !== 'string') return `metric "${def.id}" is a label but its value is ${JSON.stringify(value) ?? String(value)}`;
  return textProblem(value, `the label of metric "${def.id}"`, LIMITS.labelChars);
}

function definitionFromRow(row: Row): MetricDefinition {
  return {
    id: String(row[0]),
    type: String(row[1]) as MetricDefinition['type'],
    unit: (row[2] as MetricDefinition['unit']) ?? null,
    description: (row[3] as string | null) ?? null,
    direction: (row[4] as MetricDefinition['direction']) ?? null,
    name: (row[5] as string | null) ?? null,
  };
}

/** A collector's breakdown as the store keeps it: finite numbers under non-empty names, capped; anything else is dropped. */
function validParts(parts: unknown): Record<string, number> | undefined {
  if (!parts || typeof parts !== 'object' || Array.isArray(parts)) return undefined;
  const clean: Record<string, number> = {};
  let count = 0;
  for (const [name, value] of Object.entries(parts as Record<string, unknown>)) {
    if (++count > 100_000) break;
    if (name === '' || name.length > 512 || typeof value !== 'number' || !Number.isFinite(value)) continue;
    clean[name] = value;
  }
  return Object.keys(clean).length ? capParts(clean) : undefined;
}
