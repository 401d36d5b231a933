/**
 * The note format: one JSON line per value, in Unentropy's canonical JSONL fields
 * (metric_id, timestamp, value_numeric | value_label, commit_sha, branch, source, run_id,
 * run_number) plus Tidemark's own: `tidemark` (format version), `event`, `dirty`, `unit`,
 * `direction`, `name`, `run_values` (how many value lines the run has) and, on the run's first
 * line only, `failures` (metrics of the run that produced no value). Keys are written in a fixed
 * order so the same run always gives the same bytes (git's cat_sort_uniq merge then drops
 * duplicates).
 *
 * Lines in notes are untrusted (anyone who can push the ref writes them): parseNote checks
 * every field with size limits and refuses a run whole when any of its lines is bad.
 */
import type { RunOutcome, SharedRun } from '../store/api';
import { DIRECTIONS, UNITS, type Direction, type MetricDefinition, type RunEvent, type Unit } from '../types';

export const NOTE_FORMAT_VERSION = 1;
// tidemark.json's metric id rule (config/schema.ts), repeated so reading notes never loads the zod schema.
const METRIC_ID_PATTERN = /^[a-z0-9-]+$/;
const MAX_METRIC_ID_LENGTH = 64;
/** Longest line read from a note; longer lines are skipped. */
export const MAX_LINE_BYTES = 8 * 1024;
/** Largest note read (one commit's note, all its runs). */
export const MAX_NOTE_BYTES = 16 * 1024 * 1024;
export const MAX_LABEL_LENGTH = 256;
export const MAX_MESSAGE_LENGTH = 500;
const MAX_BRANCH_LENGTH = 255;
const MAX_RUN_ID_LENGTH = 128;
const MAX_SOURCE_LENGTH = 64;
const MAX_VALUES_PER_RUN = 500;
/** Events a note may carry: never `save` (on-save runs are not shared). */
export const SHARED_EVENTS = ['manual', 'ci', 'import', 'backfill'] as const;
const FAILURE_STATUSES = ['failed', 'timeout', 'invalid-output', 'cancelled'] as const;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
// C0/C1 controls and bidi overrides: a hostile branch or label must not rewrite what is shown around it.
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The note lines of one run (with a trailing newline each); empty when it has no value. */
export function encodeRun(run: SharedRun, source: string): string {
  const defs = new Map(run.definitions.map((d) => [d.id, d]));
  const values = run.outcomes.filter((o) => o.status === 'ok' && o.value !== null).sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
  if (values.length === 0) return '';
  const failures = run.outcomes
    .filter((o) => o.status !== 'ok')
    .sort((a, b) => (a.metric < b.metric ? -1 : 1))
    .map((o) => {
      const f: Record<string, unknown> = { metric_id: o.metric, status: o.status };
      if (o.message) f.message = clip(o.message.replace(UNSAFE_TEXT_GLOBAL, ' '), MAX_MESSAGE_LENGTH);
      if (o.durationMs !== null && Number.isFinite(o.durationMs)) f.duration_ms = Math.round(o.durationMs);
      return f;
    });
  let text = '';
  values.forEach((o, index) => {
    const def = defs.get(o.metric);
    const line: Record<string, unknown> = { metric_id: o.metric, timestamp: run.timestamp };
    if (typeof o.value === 'number') line.value_numeric = o.value;
    else line.value_label = o.value;
    line.commit_sha = run.commitSha;
    line.branch = run.branch;
    line.source = source;
    line.run_id = run.runId;
    line.run_number = run.runNumber;
    line.tidemark = NOTE_FORMAT_VERSION;
    line.event = run.event;
    line.dirty = false;
    if (def?.unit) line.unit = def.unit;
    if (def?.direction) line.direction = def.direction;
    if (def?.name) line.name = clip(def.name, MAX_LABEL_LENGTH);
    line.run_values = values.length;
    if (index === 0 && failures.length) line.failures = failures;
    text += `${JSON.stringify(line)}\n`;
  });
  return text;
}

const UNSAFE_TEXT_GLOBAL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export interface NoteProblem {
  commit: string;
  /** 1-based line in the note, 0 for the note as a whole. */
  line: number;
  message: string;
}

export interface ParsedNote {
  runs: SharedRun[];
  problems: NoteProblem[];
}

interface ParsedLine {
  metric: string;
  timestamp: string;
  value: number | string;
  branch: string;
  runId: string;
  runNumber: number;
  event: RunEvent;
  unit: Unit | null;
  direction: Direction | null;
  name: string | null;
  runValues: number;
  failures: RunOutcome[];
}

function text(o: Record<string, unknown>, key: string, max: number, required: boolean): string | null | Error {
  const v = o[key];
  if (v === undefined || v === null) return required ? new Error(`"${key}" is missing`) : null;
  if (typeof v !== 'string' || v.trim() === '') return new Error(`"${key}" must be a non-empty string`);
  if (v.length > max) return new Error(`"${key}" is longer than ${max} characters`);
  if (UNSAFE_TEXT.test(v)) return new Error(`"${key}" contains control characters`);
  return v;
}

function parseLine(raw: string, commit: string): ParsedLine | string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'not valid JSON';
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const o = value as Record<string, unknown>;
  if (o.tidemark !== NOTE_FORMAT_VERSION) {
    return typeof o.tidemark === 'number' && o.tidemark > NOTE_FORMAT_VERSION
      ? `format version ${o.tidemark} is newer than this Tidemark reads (${NOTE_FORMAT_VERSION}); update Tidemark`
      : `"tidemark" (format version) must be ${NOTE_FORMAT_VERSION}`;
  }
  const metric = o.metric_id;
  if (typeof metric !== 'string' || metric.length > MAX_METRIC_ID_LENGTH || !METRIC_ID_PATTERN.test(metric)) return '"metric_id" must be a metric id (a-z, 0-9, "-", at most 64)';
  if (typeof o.timestamp !== 'string' || !RFC3339.test(o.timestamp)) return '"timestamp" must be an RFC 3339 date-time';
  const ms = Date.parse(o.timestamp);
  if (!Number.isFinite(ms) || ms < Date.UTC(2000, 0, 1) || ms > Date.now() + 366 * 86_400_000) return '"timestamp" is out of range';
  const hasNumeric = o.value_numeric !== undefined && o.value_numeric !== null;
  const hasLabel = o.value_label !== undefined && o.value_label !== null;
  if (hasNumeric === hasLabel) return 'exactly one of "value_numeric" and "value_label" must be present';
  if (hasNumeric && (typeof o.value_numeric !== 'number' || !Number.isFinite(o.value_numeric))) return '"value_numeric" must be a finite number';
  if (hasLabel) {
    const label = text(o, 'value_label', MAX_LABEL_LENGTH, true);
    if (label instanceof Error) return label.message;
  }
  if (o.commit_sha !== commit) return `"commit_sha" must be the commit the note is attached to (${commit.slice(0, 12)})`;
  const branch = text(o, 'branch', MAX_BRANCH_LENGTH, true);
  if (branch instanceof Error) return branch.message;
  const source = text(o, 'source', MAX_SOURCE_LENGTH, false);
  if (source instanceof Error) return source.message;
  const runId = text(o, 'run_id', MAX_RUN_ID_LENGTH, true);
  if (runId instanceof Error) return runId.message;
  if (!Number.isSafeInteger(o.run_number) || (o.run_number as number) < 0) return '"run_number" must be a whole number ≥ 0';
  if (!(SHARED_EVENTS as readonly unknown[]).includes(o.event)) return `"event" must be one of ${SHARED_EVENTS.join(', ')}`;
  if (o.dirty !== false) return '"dirty" must be false (only clean runs are shared)';
  if (o.unit !== undefined && !(UNITS as readonly unknown[]).includes(o.unit)) return `"unit" must be one of ${UNITS.join(', ')}`;
  if (o.direction !== undefined && !(DIRECTIONS as readonly unknown[]).includes(o.direction)) return `"direction" must be one of ${DIRECTIONS.join(', ')}`;
  if (hasLabel && (o.unit !== undefined || o.direction !== undefined)) return 'a label value cannot have a unit or direction';
  const name = text(o, 'name', MAX_LABEL_LENGTH, false);
  if (name instanceof Error) return name.message;
  if (!Number.isSafeInteger(o.run_values) || (o.run_values as number) < 1 || (o.run_values as number) > MAX_VALUES_PER_RUN) {
    return `"run_values" must be a whole number from 1 to ${MAX_VALUES_PER_RUN}`;
  }
  const failures: RunOutcome[] = [];
  if (o.failures !== undefined) {
    if (!Array.isArray(o.failures) || o.failures.length > MAX_VALUES_PER_RUN) return '"failures" must be a list';
    for (const f of o.failures as unknown[]) {
      if (!f || typeof f !== 'object' || Array.isArray(f)) return '"failures" must hold objects';
      const fo = f as Record<string, unknown>;
      if (typeof fo.metric_id !== 'string' || fo.metric_id.length > MAX_METRIC_ID_LENGTH || !METRIC_ID_PATTERN.test(fo.metric_id)) return 'a failure has a bad "metric_id"';
      if (!(FAILURE_STATUSES as readonly unknown[]).includes(fo.status)) return `a failure's "status" must be one of ${FAILURE_STATUSES.join(', ')}`;
      if (fo.message !== undefined && (typeof fo.message !== 'string' || fo.message.length > MAX_MESSAGE_LENGTH)) return `a failure's "message" must be text of at most ${MAX_MESSAGE_LENGTH} characters`;
      if (fo.duration_ms !== undefined && !(typeof fo.duration_ms === 'number' && Number.isFinite(fo.duration_ms) && fo.duration_ms >= 0)) return 'a failure\'s "duration_ms" must be a number ≥ 0';
      failures.push({
        metric: fo.metric_id,
        status: fo.status as RunOutcome['status'],
        value: null,
        durationMs: typeof fo.duration_ms === 'number' ? fo.duration_ms : null,
        message: typeof fo.message === 'string' ? fo.message.replace(UNSAFE_TEXT_GLOBAL, ' ') : null,
      });
    }
  }
  return {
    metric,
    timestamp: new Date(ms).toISOString(),
    value: hasNumeric ? (o.value_numeric as number) : (o.value_label as string),
    branch: branch as string,
    runId: runId as string,
    runNumber: o.run_number as number,
    event: o.event as RunEvent,
    unit: (o.unit as Unit | undefined) ?? null,
    direction: (o.direction as Direction | undefined) ?? null,
    name: name as string | null,
    runValues: o.run_values as number,
    failures,
  };
}

interface RunDraft {
  first: ParsedLine;
  lines: number[];
  values: Map<string, ParsedLine>;
  failures: RunOutcome[];
  problem: string | null;
}

/**
 * Reads one commit's note. Blank lines are ignored (git separates appended texts with one);
 * a bad line is reported with its number and makes its run (when its run id can be read)
 * refused whole; a run whose line count disagrees with `run_values` is refused too.
 */
export function parseNote(commit: string, note: string): ParsedNote {
  const problems: NoteProblem[] = [];
  const drafts = new Map<string, RunDraft>();
  const poisoned = new Set<string>();
  const lines = note.split('\n');
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    if (raw.trim() === '') return;
    if (Buffer.byteLength(raw, 'utf8') > MAX_LINE_BYTES) {
      problems.push({ commit, line: lineNo, message: `line longer than ${MAX_LINE_BYTES} bytes, skipped` });
      return;
    }
    const parsed = parseLine(raw, commit);
    if (typeof parsed === 'string') {
      problems.push({ commit, line: lineNo, message: parsed });
      const runId = runIdOf(raw);
      if (runId !== null) poisoned.add(runId);
      return;
    }
    let draft = drafts.get(parsed.runId);
    if (!draft) {
      draft = { first: parsed, lines: [], values: new Map(), failures: [], problem: null };
      drafts.set(parsed.runId, draft);
    }
    draft.lines.push(lineNo);
    const f = draft.first;
    if (parsed.timestamp !== f.timestamp || parsed.branch !== f.branch || parsed.event !== f.event || parsed.runNumber !== f.runNumber || parsed.runValues !== f.runValues) {
      draft.problem ??= `line ${lineNo} disagrees with line ${draft.lines[0]} about the run (time, branch, event or number)`;
    }
    const existing = draft.values.get(parsed.metric);
    if (existing && existing.value !== parsed.value) draft.problem ??= `line ${lineNo}: metric "${parsed.metric}" has two different values in one run`;
    draft.values.set(parsed.metric, parsed);
    if (parsed.failures.length) draft.failures.push(...parsed.failures);
  });
  const runs: SharedRun[] = [];
  for (const [runId, draft] of drafts) {
    const where = draft.lines[0];
    if (poisoned.has(runId)) {
      problems.push({ commit, line: where, message: `run ${runId} skipped: another of its lines is bad` });
      continue;
    }
    if (!draft.problem && draft.values.size !== draft.first.runValues) {
      draft.problem = `run ${runId} has ${draft.values.size} value lines but says it has ${draft.first.runValues}`;
    }
    const failures = new Map<string, RunOutcome>();
    for (const fail of draft.failures) if (!draft.values.has(fail.metric)) failures.set(fail.metric, fail);
    if (draft.problem) {
      problems.push({ commit, line: where, message: `run ${runId} skipped: ${draft.problem}` });
      continue;
    }
    const definitions: MetricDefinition[] = [];
    const outcomes: RunOutcome[] = [];
    for (const v of draft.values.values()) {
      definitions.push({ id: v.metric, type: typeof v.value === 'number' ? 'numeric' : 'label', unit: v.unit, direction: v.direction, name: v.name, description: null });
      outcomes.push({ metric: v.metric, status: 'ok', value: v.value, durationMs: null, message: null });
    }
    for (const fail of failures.values()) {
      // A failure's type is unknown from the note; numeric unless the metric is known otherwise (resolved by the store).
      definitions.push({ id: fail.metric, type: 'numeric', unit: null, direction: null, name: null, description: null });
      outcomes.push(fail);
    }
    const f = draft.first;
    runs.push({ commitSha: commit, branch: f.branch, runId, runNumber: f.runNumber, event: f.event, timestamp: f.timestamp, definitions, outcomes });
  }
  return { runs, problems };
}

/** The run id of a bad line, when it is JSON enough to tell. */
function runIdOf(raw: string): string | null {
  try {
    const o = JSON.parse(raw) as Record<string, unknown>;
    return o && typeof o.run_id === 'string' ? o.run_id : null;
  } catch {
    return null;
  }
}
