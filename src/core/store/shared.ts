/**
 * The store's side of sharing through git notes (store schema 4): which clean local runs are
 * not yet in a notes ref, marking them published, and turning runs read from notes into one
 * journaled `pulled` operation. Knows nothing about git; src/core/share does the notes.
 */
import { NO_GIT_SHA, type BuildRecord, type MetricDefinition, type MetricValue, type RunEvent } from '../types';
import type { RunOutcome, SharedImportOutcome, SharedImportInput, SharedRun, UnpublishedQuery } from './api';
import { valueFromColumns, type StoreDb } from './database';
import type { BuildOp, JournalOp, StoredOutcome } from './operations';

export const META_PULLED_PREFIX = 'share_pulled:';

/** Applies `published` and `pulled` ops (inside the caller's transaction). */
export function applyShared(store: StoreDb, op: Extract<JournalOp, { kind: 'published' | 'pulled' }>): number {
  if (op.kind === 'published') {
    let marked = 0;
    for (const id of op.buildIds) {
      store.run(
        `INSERT INTO shared_runs (build_id, notes_ref, published_at) SELECT id, ?, ? FROM build_contexts WHERE id = ?
         ON CONFLICT DO NOTHING`,
        [op.ref, op.at, id],
      );
      marked += store.changes();
    }
    return marked;
  }
  for (const run of op.runs) store.apply(run);
  if (op.tip !== null) store.setMeta(META_PULLED_PREFIX + op.ref, op.tip);
  return op.runs.length;
}

/** Clean runs recorded here, of the given events, not yet published to `ref`, oldest first. */
export function unpublishedRuns(store: StoreDb, query: UnpublishedQuery): SharedRun[] {
  if (query.events.length === 0) return [];
  const marks = query.events.map(() => '?').join(', ');
  const rows = store.all(
    `SELECT b.id, b.commit_sha, b.branch, b.run_id, b.run_number, b.event_name, b.timestamp
     FROM build_contexts b
     WHERE b.source = 'local' AND b.dirty = 0 AND b.commit_sha <> ? AND b.event_name IN (${marks})
       AND NOT EXISTS (SELECT 1 FROM shared_runs s WHERE s.notes_ref = ? AND s.build_id = b.id)
     ORDER BY b.timestamp, b.id LIMIT ?`,
    [NO_GIT_SHA, ...query.events, query.ref, query.limit ?? 100_000],
  );
  const definitions = new Map<string, MetricDefinition>();
  for (const row of store.all('SELECT id, type, unit, description, direction, name FROM metric_definitions')) {
    definitions.set(String(row[0]), {
      id: String(row[0]),
      type: row[1] as MetricDefinition['type'],
      unit: (row[2] as MetricDefinition['unit']) ?? null,
      description: (row[3] as string | null) ?? null,
      direction: (row[4] as MetricDefinition['direction']) ?? null,
      name: (row[5] as string | null) ?? null,
    });
  }
  return rows.map((row) => {
    const buildId = Number(row[0]);
    const outcomes: RunOutcome[] = [];
    for (const v of store.all('SELECT metric_id, value_numeric, value_label FROM metric_values WHERE build_id = ? ORDER BY metric_id', [buildId])) {
      outcomes.push({ metric: String(v[0]), status: 'ok', value: valueFromColumns(v[1], v[2]), durationMs: null, message: null });
    }
    for (const o of store.all('SELECT metric_id, status, duration_ms, message FROM metric_outcomes WHERE build_id = ? ORDER BY metric_id', [buildId])) {
      outcomes.push({
        metric: String(o[0]),
        status: o[1] as RunOutcome['status'],
        value: null,
        durationMs: o[2] === null ? null : Number(o[2]),
        message: o[3] === null ? null : String(o[3]),
      });
    }
    const used = new Set(outcomes.map((o) => o.metric));
    return {
      buildId,
      commitSha: String(row[1]),
      branch: String(row[2]),
      runId: String(row[3]),
      runNumber: Number(row[4]),
      event: String(row[5]) as RunEvent,
      timestamp: String(row[6]),
      definitions: [...used].flatMap((id) => (definitions.has(id) ? [definitions.get(id)!] : [])),
      outcomes,
    };
  });
}

/**
 * Resolves runs read from notes into one `pulled` op: runs already stored (same commit and run
 * id) are skipped, a run whose metric has another type here is rejected whole (never half a
 * run), and metrics defined here keep their local definition. Returns null when nothing changes.
 */
export function preparePulled(store: StoreDb, input: SharedImportInput): { op: (JournalOp & { kind: 'pulled' }) | null; outcome: SharedImportOutcome } {
  const outcome: SharedImportOutcome = { imported: 0, skipped: 0, rejected: [] };
  const runs: BuildOp[] = [];
  const pending = new Map<string, MetricDefinition>();
  // Definitions stored here, looked up once per metric (not once per run and metric).
  const stored = new Map<string, MetricDefinition | null>();
  const storedDefinition = (id: string) => {
    if (!stored.has(id)) stored.set(id, store.definition(id));
    return stored.get(id) ?? null;
  };
  const seen = new Set<string>();
  let nextId = store.nextBuildId();
  for (const run of input.runs) {
    const key = `${run.commitSha}\u0000${run.runId}`;
    if (seen.has(key) || store.one('SELECT 1 FROM build_contexts WHERE commit_sha = ? AND run_id = ?', [run.commitSha, run.runId])) {
      outcome.skipped++;
      continue;
    }
    const definitions: MetricDefinition[] = [];
    let problem: string | null = null;
    const measured = new Set(run.outcomes.filter((o) => o.status === 'ok').map((o) => o.metric));
    for (const def of run.definitions) {
      const known = pending.get(def.id) ?? storedDefinition(def.id);
      // A failure says nothing about the metric's type: the local definition wins.
      if (known && known.type !== def.type && measured.has(def.id)) {
        problem = `metric "${def.id}" is ${known.type} here but ${def.type} in the note`;
        break;
      }
      definitions.push(known ?? def);
    }
    const defined = new Set(definitions.map((d) => d.id));
    if (!problem) {
      const missing = run.outcomes.find((o) => !defined.has(o.metric));
      if (missing) problem = `metric "${missing.metric}" has no definition`;
    }
    if (problem) {
      outcome.rejected.push({ commitSha: run.commitSha, runId: run.runId, message: problem });
      continue;
    }
    seen.add(key);
    for (const def of definitions) if (!pending.has(def.id)) pending.set(def.id, def);
    const build: BuildRecord = {
      id: nextId++,
      commitSha: run.commitSha,
      branch: run.branch,
      runId: run.runId,
      runNumber: run.runNumber,
      event: run.event,
      timestamp: run.timestamp,
      dirty: false,
      source: input.source ?? 'notes',
    };
    // An ok outcome's duration is not stored (operations.ts), so the op does not carry it.
    const outcomes: StoredOutcome[] = run.outcomes.map((o) =>
      o.status === 'ok'
        ? { metric: o.metric, status: 'ok', value: o.value as MetricValue }
        : { metric: o.metric, status: o.status, value: null, durationMs: o.durationMs, message: o.message },
    );
    runs.push({ kind: 'build', build, definitions, outcomes });
    outcome.imported++;
  }
  const previousTip = store.getMeta(META_PULLED_PREFIX + input.ref);
  if (runs.length === 0 && (input.tip === null || input.tip === previousTip)) return { op: null, outcome };
  return { op: { kind: 'pulled', ref: input.ref, tip: input.tip, runs }, outcome };
}

export function pulledTip(store: StoreDb, ref: string): string | null {
  return store.getMeta(META_PULLED_PREFIX + ref);
}
