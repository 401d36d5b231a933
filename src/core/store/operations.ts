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

export interface StoredOutcome {
  metric: string;
  status: ResultStatus;
  value: MetricValue | null;
  durationMs: number | null;
  message: string | null;
  /** Per-file (or per-package) breakdown of an ok value, capped (parts.ts); absent when none. */
  parts?: Record<string, number>;
}

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
