/**
 * Write operations as they are journaled: already validated and fully resolved (build id, run
 * number, normalized timestamp), so replaying one on the same state is exact and cannot fail.
 */
import {
  DIRECTIONS,
  METRIC_TYPES,
  RESULT_STATUSES,
  RUN_EVENTS,
  UNITS,
  type BuildContextInput,
  type BuildRecord,
  type MetricDefinition,
  type MetricValue,
  type ResultStatus,
} from '../types';
import type { MetricDefinitionInput } from './api';
import { LIMITS, parseTimestamp, textProblem } from '../limits';

/**
 * A metric's outcome in a run, as journaled. An ok one is its value (and breakdown): its duration
 * is not stored, so the record does not carry it. A failure is stored as an outcome row with its
 * duration and message.
 */
export type StoredOutcome =
  | {
      metric: string;
      status: 'ok';
      value: MetricValue;
      /** Per-file (or per-package) breakdown, capped (parts.ts); absent when none. */
      parts?: Record<string, number>;
    }
  | { metric: string; status: Exclude<ResultStatus, 'ok'>; value: null; durationMs: number | null; message: string | null };

export type JournalOp =
  | BuildOp
  | { kind: 'clear' }
  /**
   * Retention: delete these runs (their day, week and month rollups stay) and the hour rollups
   * starting in [hourFrom, hourTo) (epoch ms); `until` = the newest instant whose raw data went;
   * `partsOf` = kept runs whose breakdowns go (older than rawDays).
   */
  | { kind: 'prune'; buildIds: number[]; until: string; hourFrom?: number; hourTo?: number; partsOf?: number[] }
  /** Sharing (store schema 4): these runs are now in the notes ref `ref`. */
  | { kind: 'published'; ref: string; buildIds: number[]; at: string }
  /** Sharing: runs pulled from the notes ref `ref` (source `notes`), and the notes commit read up to. */
  | { kind: 'pulled'; ref: string; tip: string | null; runs: BuildOp[] };

export type BuildOp = { kind: 'build'; build: BuildRecord; definitions: MetricDefinition[]; outcomes: StoredOutcome[] };

/** ISO 8601 UTC with milliseconds, the sortable text form every timestamp is stored in. */
export function normalizeTimestamp(value: string, what: string): string {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new Error(`${what}: "${String(value)}" is not an ISO 8601 timestamp`);
  return new Date(ms).toISOString();
}

/** A run's own timestamp: a real date in the supported years, stored exactly (see limits.ts). */
export function strictTimestamp(value: string, what: string): string {
  const parsed = parseTimestamp(value, what);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.iso;
}

const SHA = /^[0-9a-f]{40}$/i;

export function validateBuildContext(build: BuildContextInput): void {
  if (!build || typeof build !== 'object') throw new Error('build context is missing');
  if (typeof build.commitSha !== 'string' || !SHA.test(build.commitSha)) {
    throw new Error(`build commitSha must be 40 hex characters, got "${String(build.commitSha)}"`);
  }
  if (typeof build.branch !== 'string' || build.branch.trim() === '') throw new Error('build branch must be a non-empty string');
  if (typeof build.runId !== 'string' || build.runId.trim() === '') throw new Error('build runId must be a non-empty string');
  const text = textProblem(build.branch, 'build branch', LIMITS.branchChars) ?? textProblem(build.runId, 'build runId', LIMITS.runIdChars);
  if (text) throw new Error(text);
  if (!(RUN_EVENTS as readonly string[]).includes(build.event)) {
    throw new Error(`build event must be one of ${RUN_EVENTS.join(', ')}, got "${String(build.event)}"`);
  }
  if (build.runNumber !== undefined && !(Number.isInteger(build.runNumber) && build.runNumber > 0)) {
    throw new Error(`build runNumber must be a positive integer, got ${String(build.runNumber)}`);
  }
  if (typeof build.dirty !== 'boolean') throw new Error('build dirty must be true or false');
}

/** Returns a problem with a definition, or null when it is well formed. */
export function definitionProblem(def: MetricDefinitionInput): string | null {
  if (!def || typeof def.id !== 'string' || def.id.trim() === '') return 'metric definition without an id';
  const text =
    textProblem(def.id, 'metric id', LIMITS.metricIdChars) ??
    (def.description == null ? null : textProblem(def.description, 'description', LIMITS.descriptionChars, { allowEmpty: true })) ??
    (def.name == null ? null : textProblem(def.name, 'name', LIMITS.descriptionChars, { allowEmpty: true }));
  if (text) return text;
  if (!(METRIC_TYPES as readonly string[]).includes(def.type)) return `type must be numeric or label, got "${String(def.type)}"`;
  if (def.unit != null && !(UNITS as readonly string[]).includes(def.unit)) return `unknown unit "${String(def.unit)}"`;
  if (def.direction != null && !(DIRECTIONS as readonly string[]).includes(def.direction)) {
    return `unknown direction "${String(def.direction)}"`;
  }
  return null;
}

export function isResultStatus(value: unknown): value is ResultStatus {
  return (RESULT_STATUSES as readonly unknown[]).includes(value);
}

/**
 * Which metric definitions a new journal record may leave out: those that both the snapshot on
 * disk and an earlier record of the journal file hold unchanged. A build (or pulled) op that
 * repeats them is about twice as long, so leaving them out halves what a replay parses. Either
 * copy suffices to replay the record: onto the snapshot, the definition is stored; rebuilt from
 * the journal alone (a damaged snapshot), the earlier record carries it. So one damaged line or a
 * damaged snapshot costs no other run its definitions. Old readers apply such a record as it is:
 * an op with fewer definitions was always valid.
 *
 * The writer knows both: it reads the snapshot's definitions when it loads or writes one, every
 * process reads the journal from its start at open and each later record as it catches up or
 * appends, and a snapshot empties the journal. A damaged line is not noted, so the next record
 * carries its definitions again.
 */
export class CarriedDefinitions {
  private snapshot = new Map<string, MetricDefinition>();
  private readonly journal = new Map<string, MetricDefinition>();

  /** A snapshot was loaded (or written) and the journal starts over: `stored` = its definitions. */
  reset(stored: readonly MetricDefinition[]): void {
    this.snapshot = new Map(stored.map((def) => [def.id, def]));
    this.journal.clear();
  }

  /** A record read from or appended to the journal, in file order. */
  note(op: JournalOp): void {
    for (const build of buildOps(op)) for (const def of build.definitions) this.journal.set(def.id, def);
  }

  /** `op` without the definitions it may leave out (the same op when there are none). */
  slim<T extends JournalOp>(op: T): T {
    if (op.kind !== 'build' && op.kind !== 'pulled') return op;
    // Within a pulled op, a definition carried by an earlier run of the same op counts too.
    const carried = new Map(this.journal);
    const slimmed = (build: BuildOp): BuildOp => {
      const definitions = build.definitions.filter((def) => {
        const leaveOut = sameDefinition(this.snapshot.get(def.id), def) && sameDefinition(carried.get(def.id), def);
        if (!leaveOut) carried.set(def.id, def);
        return !leaveOut;
      });
      return definitions.length === build.definitions.length ? build : { ...build, definitions };
    };
    if (op.kind === 'build') return slimmed(op) as T;
    return { ...op, runs: op.runs.map(slimmed) };
  }
}

function buildOps(op: JournalOp): BuildOp[] {
  return op.kind === 'build' ? [op] : op.kind === 'pulled' ? op.runs : [];
}

export function sameDefinition(a: MetricDefinition | undefined, b: MetricDefinition): boolean {
  return a !== undefined && a.type === b.type && a.unit === b.unit && a.description === b.description && a.direction === b.direction && a.name === b.name;
}
