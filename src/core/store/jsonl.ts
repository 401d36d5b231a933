/**
 * Unentropy's canonical JSONL, one measurement per line:
 *   {"metric_id", "timestamp" (RFC 3339), exactly one of "value_numeric" / "value_label",
 *    optional "commit_sha" (40 hex), "branch", "source", "run_id", "run_number"}
 *
 * Import is one transaction, streamed, with prepared statements. It is all or nothing: every
 * bad line is reported by number and, unless `skipInvalid`, nothing is imported when any line
 * is bad. Measurements already stored (same metric, commit and run id) are skipped, so
 * importing a file twice changes nothing. Lines of one run share a build (event `import` unless
 * the line says otherwise, timestamp = its earliest measurement); a missing run_id becomes
 * `import:<source>:<sha>`. A line without commit_sha is recorded under the all-zero commit
 * (branch `(no git)` unless given): kept and shown by time, never matched to a real commit.
 * Tidemark's optional fields `event`, `dirty`, `unit`, `direction` (written by export) are read
 * back; unit and direction only define a metric not yet known here.
 */
import * as fs from 'node:fs';
import { DIRECTIONS, NO_GIT_BRANCH, NO_GIT_SHA, RUN_EVENTS, UNITS, type Direction, type MetricType, type RunEvent, type Unit } from '../types';
import type { ImportOutcome, ImportProblem } from './api';
import type { StoreDb } from './database';
import { RollupBuffer, storeBucketer, type RunKey } from './rollups';
import type { SqlValue } from 'sql.js';
import { LIMITS, jsonShapeProblem, parseTimestamp, textProblem } from '../limits';


/** Bytes read at a time: small enough that each decoded text stays in V8's young generation. */
const READ_BYTES = 1 << 16;

/**
 * Text of a file in pieces that each end at a line break (the last may not), read synchronously
 * into one reused buffer. Pieces are cut at the byte 0x0A, which UTF-8 never uses inside a
 * character, so no character is split. Small pieces matter: 1 MiB strings (a stream's chunks)
 * live in V8's large-object space, whose fresh pages cost page faults and old-generation GC,
 * and the file's text was read, decoded and split about 3× slower that way.
 */
function* readTextPieces(fd: number): Generator<string> {
  let buf = Buffer.allocUnsafe(READ_BYTES);
  let fill = 0;
  for (;;) {
    const n = fs.readSync(fd, buf, fill, buf.length - fill, null);
    const length = fill + n;
    if (n === 0) {
      if (length > 0) yield buf.toString('utf8', 0, length);
      return;
    }
    const end = buf.lastIndexOf(10, length - 1);
    if (end < 0) {
      // One line longer than the buffer: read on with a larger one.
      if (length === buf.length) {
        const larger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(larger, 0, 0, length);
        buf = larger;
      }
      fill = length;
      continue;
    }
    yield buf.toString('utf8', 0, end + 1);
    buf.copy(buf, 0, end + 1, length);
    fill = length - end - 1;
  }
}

export interface ImportOptions {
  /** Source name for lines without one (default `jsonl`). */
  source?: string;
  /** Import the good lines even when some are bad (the bad ones are still reported). */
  skipInvalid?: boolean;
  /** Aborting it stops the import and rolls everything back (Ctrl-C). */
  signal?: AbortSignal;
}

interface Measurement {
  metricId: string;
  timestamp: string;
  numeric: number | null;
  label: string | null;
  commitSha: string;
  branch: string;
  runId: string;
  runNumber: number | null;
  event: RunEvent;
  dirty: boolean;
  unit: Unit | null;
  direction: Direction | null;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
/**
 * Every text limit of limits.ts for one field, checked before anything is stored. Lines of one
 * run repeat their metric ids, branch, source and run id, so each field remembers the verdicts
 * on its last few texts (textProblem is a pure function of the text: the answers are the same).
 */
class TextField {
  private readonly verdicts = new Map<string, string | null>();

  constructor(
    private readonly key: string,
    private readonly max: number,
    private readonly allowEmpty = false,
    private readonly remembered = 0,
  ) {}

  problem(value: string): string | null {
    if (this.remembered === 0) return textProblem(value, this.key, this.max, { allowEmpty: this.allowEmpty });
    let verdict = this.verdicts.get(value);
    if (verdict === undefined) {
      verdict = textProblem(value, this.key, this.max, { allowEmpty: this.allowEmpty });
      if (this.verdicts.size >= this.remembered) this.verdicts.clear();
      this.verdicts.set(value, verdict);
    }
    return verdict;
  }
}

/** The text fields in the order their problems are reported; values of labels vary, so they are not remembered. */
function textFields() {
  return {
    metric_id: new TextField('metric_id', LIMITS.metricIdChars, false, 4096),
    value_label: new TextField('value_label', LIMITS.labelChars, true),
    branch: new TextField('branch', LIMITS.branchChars, false, 64),
    source: new TextField('source', LIMITS.runIdChars, false, 64),
    run_id: new TextField('run_id', LIMITS.runIdChars, false, 64),
  };
}
type TextFields = ReturnType<typeof textFields>;

function textFieldProblem(o: Record<string, unknown>, fields: TextFields): string | null {
  let problem: string | null = null;
  if (typeof o.metric_id === 'string') problem = fields.metric_id.problem(o.metric_id);
  if (!problem && typeof o.value_label === 'string') problem = fields.value_label.problem(o.value_label);
  if (!problem && typeof o.branch === 'string') problem = fields.branch.problem(o.branch);
  if (!problem && typeof o.source === 'string') problem = fields.source.problem(o.source);
  if (!problem && typeof o.run_id === 'string') problem = fields.run_id.problem(o.run_id);
  return problem;
}

/**
 * The verdict on a line's timestamp: the stored ISO form or the problem. Lines of one run
 * share their timestamp, so the last verdict is kept and reused for the same text (the check
 * is a pure function of the text, so the answers are the same).
 */
let lastTimestamp: string | null = null;
let lastTimestampVerdict: { iso: string } | { problem: string } = { problem: '' };
function timestampVerdict(value: unknown): { iso: string } | { problem: string } {
  if (typeof value === 'string' && value === lastTimestamp) return lastTimestampVerdict;
  let verdict: { iso: string } | { problem: string };
  if (typeof value !== 'string' || !RFC3339.test(value) || !Number.isFinite(Date.parse(value))) {
    verdict = { problem: `timestamp must be an RFC 3339 date-time, got ${JSON.stringify(value)?.slice(0, 80)}` };
  } else {
    const time = parseTimestamp(value, 'timestamp');
    verdict = time.ok ? { iso: time.iso } : { problem: time.message };
  }
  if (typeof value === 'string') {
    lastTimestamp = value;
    lastTimestampVerdict = verdict;
  }
  return verdict;
}

/**
 * No shape problem for certain: within the size limit, no `[` and no `{` but the first
 * character, so nothing can nest deeper than one level. Every other line gets the full scan.
 */
function plainlyFlat(text: string): boolean {
  return text.length <= LIMITS.jsonlLineBytes && LIMITS.jsonDepth >= 1 && text.indexOf('{', 1) < 0 && text.indexOf('[') < 0;
}
const SHA = /^[0-9a-f]{40}$/i;
const MAX_REPORTED_PROBLEMS = 1000;

/** Per import: the verdicts each line reuses (texts, and the last commit's lower-case form). */
interface LineMemory {
  fields: TextFields;
  sha: string | null;
  lowerSha: string;
  runIdSource: string;
  runIdSha: string;
  runId: string;
}

const SCRATCH: Measurement = { metricId: '', timestamp: '', numeric: null, label: null, commitSha: '', branch: '', runId: '', runNumber: null, event: 'import', dirty: false, unit: null, direction: null };

/** `import:<source>:<sha>`, the same string for the lines of one run. */
function defaultRunId(memory: LineMemory, source: string, commitSha: string): string {
  if (memory.runIdSource !== source || memory.runIdSha !== commitSha) {
    memory.runIdSource = source;
    memory.runIdSha = commitSha;
    memory.runId = `import:${source}:${commitSha}`;
  }
  return memory.runId;
}

function parseLine(text: string, defaultSource: string, memory: LineMemory): Measurement | string {
  const shape = plainlyFlat(text) ? null : jsonShapeProblem(text, LIMITS.jsonlLineBytes);
  if (shape) return `line too large or too deep: ${shape}`;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'expected a JSON object';
  const o = raw as Record<string, unknown>;
  if (typeof o.metric_id !== 'string' || o.metric_id.trim() === '') return 'metric_id must be a non-empty string';
  const time = timestampVerdict(o.timestamp);
  if ('problem' in time) return time.problem;
  const fieldProblem = textFieldProblem(o, memory.fields);
  if (fieldProblem) return fieldProblem;
  const hasNumeric = o.value_numeric !== undefined && o.value_numeric !== null;
  const hasLabel = o.value_label !== undefined && o.value_label !== null;
  if (hasNumeric === hasLabel) return 'exactly one of value_numeric and value_label must be present';
  if (hasNumeric && (typeof o.value_numeric !== 'number' || !Number.isFinite(o.value_numeric))) {
    return `value_numeric must be a finite number, got ${JSON.stringify(o.value_numeric)}`;
  }
  if (hasLabel && typeof o.value_label !== 'string') return `value_label must be a string, got ${JSON.stringify(o.value_label)}`;
  let commitSha = NO_GIT_SHA;
  if (o.commit_sha !== undefined) {
    if (typeof o.commit_sha === 'string' && o.commit_sha === memory.sha) commitSha = memory.lowerSha;
    else if (typeof o.commit_sha !== 'string' || !SHA.test(o.commit_sha)) return `commit_sha must be 40 hex characters, got ${JSON.stringify(o.commit_sha)}`;
    else {
      memory.sha = o.commit_sha;
      commitSha = memory.lowerSha = o.commit_sha.toLowerCase();
    }
  }
  // A string here passed textProblem, which refuses an empty one.
  if (o.branch !== undefined && typeof o.branch !== 'string') return 'branch must be a non-empty string';
  if (o.source !== undefined && typeof o.source !== 'string') return 'source must be a non-empty string';
  if (o.run_id !== undefined && typeof o.run_id !== 'string') return 'run_id must be a non-empty string';
  // Unentropy's own import default is 0, so 0 is a valid run number.
  if (o.run_number !== undefined && o.run_number !== null && !(Number.isSafeInteger(o.run_number) && (o.run_number as number) >= 0)) {
    return `run_number must be a whole number ≥ 0, got ${JSON.stringify(o.run_number)}`;
  }
  // Tidemark's own fields (written by export and in git notes), all optional.
  if (o.event !== undefined && !(RUN_EVENTS as readonly unknown[]).includes(o.event)) return `event must be one of ${RUN_EVENTS.join(', ')}, got ${JSON.stringify(o.event)}`;
  if (o.dirty !== undefined && typeof o.dirty !== 'boolean') return `dirty must be true or false, got ${JSON.stringify(o.dirty)}`;
  if (o.unit !== undefined && !(UNITS as readonly unknown[]).includes(o.unit)) return `unit must be one of ${UNITS.join(', ')}, got ${JSON.stringify(o.unit)}`;
  if (o.direction !== undefined && !(DIRECTIONS as readonly unknown[]).includes(o.direction)) return `direction must be one of ${DIRECTIONS.join(', ')}, got ${JSON.stringify(o.direction)}`;
  const source = typeof o.source === 'string' ? o.source : defaultSource;
  // One object for every line (the caller copies what it keeps before the next line).
  const m = SCRATCH;
  m.metricId = o.metric_id;
  m.timestamp = time.iso;
  m.numeric = hasNumeric ? (o.value_numeric as number) : null;
  m.label = hasLabel ? (o.value_label as string) : null;
  m.commitSha = commitSha;
  m.branch = typeof o.branch === 'string' ? o.branch : NO_GIT_BRANCH;
  m.runId = typeof o.run_id === 'string' ? o.run_id : defaultRunId(memory, source, commitSha);
  m.runNumber = typeof o.run_number === 'number' ? o.run_number : null;
  m.event = (o.event as RunEvent | undefined) ?? 'import';
  m.dirty = o.dirty === true;
  m.unit = (o.unit as Unit | undefined) ?? null;
  m.direction = (o.direction as Direction | undefined) ?? null;
  return m;
}

interface ImportedBuild {
  id: number;
  /** Metrics this import gave the build so far (a new build's duplicates are found here, not in SQL). */
  metrics?: Set<string>;
  created: boolean;
  timestamp: string;
  branch: string;
  event: string;
  dirty: boolean;
  /** A new build's row, written once its timestamp is final (the earliest of its lines). */
  commitSha?: string;
  runId?: string;
  runNumber?: number;
  /** The run as the rollups see it, made once its timestamp is final. */
  key?: RunKey;
}

/**
 * Inserts rows of `width` parameters each, `rows` rows per statement (its text cached per row
 * count by StoreDb): a statement per row costs sql.js a step and a reset per row.
 */
function insertRows(store: StoreDb, head: string, width: number, values: SqlValue[], rows = 250): void {
  const row = `(${new Array(width).fill('?').join(', ')})`;
  for (let at = 0; at < values.length; at += width * rows) {
    const chunk = values.slice(at, at + width * rows);
    store.run(head + new Array(chunk.length / width).fill(row).join(', '), chunk);
  }
}

const VALUES_HEAD = 'INSERT INTO metric_values (metric_id, build_id, value_numeric, value_label) VALUES ';
const BUILDS_HEAD = 'INSERT INTO build_contexts (id, commit_sha, branch, run_id, run_number, event_name, timestamp, dirty, source) VALUES ';

/**
 * Returns the outcome and whether the database changed (so the caller knows to persist).
 *
 * The file is read whole before anything is written: the lines' values are held in parallel
 * arrays, so a file with bad lines writes nothing, and the new runs are written once with their
 * final timestamps, before their values (multi-row statements).
 * Values keep the file's order, so metric_values ids and the rollups' sums are what a
 * line-by-line import gives.
 */
export async function importJsonl(store: StoreDb, file: string, options: ImportOptions = {}): Promise<ImportOutcome & { changed: boolean }> {
  const source = options.source ?? 'jsonl';
  const problems: ImportProblem[] = [];
  let badLines = 0;
  const report = (line: number, message: string) => {
    badLines++;
    if (problems.length < MAX_REPORTED_PROBLEMS) problems.push({ line, message });
  };

  const types = new Map<string, { id: string; type: MetricType }>(store.definitions().map((d) => [d.id, { id: d.id, type: d.type }]));
  const newDefinitions: SqlValue[] = [];
  const builds = new Map<string, ImportedBuild>();
  let nextBuildId = store.nextBuildId();
  let nextRunNumber = store.nextRunNumber();
  let imported = 0;
  let skipped = 0;
  let created = 0;
  // The values to insert, in line order (parallel arrays): metric, build, number or label.
  const valueMetric: string[] = [];
  const valueBuild: ImportedBuild[] = [];
  // NaN for a label (numbers are finite): an array of doubles only, which V8 stores unboxed.
  const valueNumber: number[] = [];
  const valueLabel: (string | null)[] = [];

  // Ctrl-C aborts the signal from a signal handler: the event loop must get a turn (the reads
  // and writes are synchronous), so the import yields to it every 256 KiB read and between batches
  // written, and stops there.
  const checkpoint = async () => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('import interrupted');
  };
  const memory: LineMemory = { fields: textFields(), sha: null, lowerSha: '', runIdSource: '', runIdSha: '', runId: '' };
  // Lines of one run follow each other: the last run found is checked before the map.
  let lastBuild: ImportedBuild | undefined;
  let lastSha = '';
  let lastRunId = '';
  const fd = fs.openSync(file, 'r');
  try {
    let lineNo = 0;
    let pieces = 0;
    for (const piece of readTextPieces(fd)) {
    if (pieces++ % 4 === 0) await checkpoint();
    for (let start = 0; start < piece.length; ) {
      let end = piece.indexOf('\n', start);
      if (end < 0) end = piece.length;
      let text = piece.slice(start, end > start && piece.charCodeAt(end - 1) === 13 ? end - 1 : end);
      start = end + 1;
      lineNo++;
      if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.charCodeAt(0) !== 0x7b && text.trim() === '') continue;
      const m = parseLine(text, source, memory);
      if (typeof m === 'string') {
        report(lineNo, m);
        continue;
      }
      const type: MetricType = m.numeric !== null ? 'numeric' : 'label';
      const known = types.get(m.metricId);
      if (known && known.type !== type) {
        report(lineNo, `metric "${m.metricId}" is ${known.type} but this line has ${type === 'numeric' ? 'value_numeric' : 'value_label'}`);
        continue;
      }
      // Each line's id is a new string: the values keep the metric's one string instead (100k
      // lines held 100k copies, promoted to the old generation and copied by every scavenge).
      const metricId = known ? known.id : m.metricId;
      if (!known) {
        newDefinitions.push(metricId, type, type === 'numeric' ? m.unit : null, type === 'numeric' ? m.direction : null);
        types.set(metricId, { id: metricId, type });
      }
      let build = lastBuild !== undefined && m.commitSha === lastSha && m.runId === lastRunId ? lastBuild : builds.get(`${m.commitSha}\u0000${m.runId}`);
      if (!build) {
        const existing = store.one('SELECT id, timestamp, branch, event_name, dirty FROM build_contexts WHERE commit_sha = ? AND run_id = ?', [m.commitSha, m.runId]);
        if (existing) {
          build = { id: Number(existing[0]), created: false, timestamp: String(existing[1]), branch: String(existing[2]), event: String(existing[3]), dirty: Number(existing[4]) === 1 };
        } else {
          const runNumber = m.runNumber ?? nextRunNumber;
          nextRunNumber = Math.max(nextRunNumber, runNumber + 1);
          build = { id: nextBuildId++, created: true, timestamp: m.timestamp, branch: m.branch, event: m.event, dirty: m.dirty, commitSha: m.commitSha, runId: m.runId, runNumber };
          created++;
        }
        builds.set(`${m.commitSha}\u0000${m.runId}`, build);
      }
      lastBuild = build;
      lastSha = m.commitSha;
      lastRunId = m.runId;
      if (build.created) {
        if (m.timestamp < build.timestamp) build.timestamp = m.timestamp;
        // A run this import created: only the file itself can hold a duplicate.
        build.metrics ??= new Set();
        if (build.metrics.has(metricId)) {
          skipped++;
          continue;
        }
        build.metrics.add(metricId);
        imported++;
      }
      valueMetric.push(metricId);
      valueBuild.push(build);
      valueNumber.push(m.numeric ?? NaN);
      valueLabel.push(m.label);
    }
    }
  } finally {
    fs.closeSync(fd);
  }
  if (badLines > problems.length) {
    problems.push({ line: problems[problems.length - 1].line, message: `… and ${badLines - problems.length} more bad lines not listed` });
  }
  if (badLines > 0 && !options.skipInvalid) return { imported: 0, skipped: 0, builds: 0, problems, changed: false };
  if (!valueMetric.length && !created && !newDefinitions.length) return { imported, skipped, builds: created, problems, changed: false };

  // Every row this import writes refers to a definition and a run that exist or that it writes
  // first (the definitions and runs above, or ones looked up in the store), so SQLite's foreign
  // key lookups (two per value, a fifth of the insert time) are off for the transaction. The
  // pragma cannot change inside a transaction: it is set around it.
  store.db.run('PRAGMA foreign_keys = OFF');
  store.db.run('BEGIN');
  try {
    insertRows(store, 'INSERT INTO metric_definitions (id, type, unit, direction) VALUES ', 4, newDefinitions);
    // The new runs, in id order, with their final timestamps.
    const runRows: SqlValue[] = [];
    for (const b of builds.values()) {
      if (b.created) runRows.push(b.id, b.commitSha as string, b.branch, b.runId as string, b.runNumber as number, b.event, b.timestamp, b.dirty ? 1 : 0, 'import');
    }
    insertRows(store, BUILDS_HEAD, 9, runRows);
    // The values in line order: a new run's in multi-row statements, an existing run's one by one
    // (a value it already has is skipped).
    const inserted: number[] = [];
    const batch: SqlValue[] = [];
    const insertBatch = () => {
      insertRows(store, VALUES_HEAD, 4, batch);
      batch.length = 0;
    };
    await checkpoint();
    for (let i = 0; i < valueMetric.length; i++) {
      const build = valueBuild[i];
      if (build.created) {
        batch.push(valueMetric[i], build.id, valueLabel[i] === null ? valueNumber[i] : null, valueLabel[i]);
        if (batch.length >= 4096 * 4) {
          insertBatch();
          await checkpoint();
        }
        inserted.push(i);
        continue;
      }
      insertBatch();
      store.run(`${VALUES_HEAD}(?, ?, ?, ?) ON CONFLICT(metric_id, build_id) DO NOTHING`, [valueMetric[i], build.id, valueLabel[i] === null ? valueNumber[i] : null, valueLabel[i]]);
      if (store.changes() === 1) {
        imported++;
        inserted.push(i);
      } else skipped++;
    }
    insertBatch();
    // Rollups once the runs' timestamps are final (a run's time is its earliest measurement),
    // in value order as a rebuild adds them, then the new runs in id order.
    const rollups = new RollupBuffer(store, storeBucketer(store));
    const runKey = (b: ImportedBuild): RunKey => (b.key ??= { id: b.id, branch: b.branch, event: b.event, dirty: b.dirty, at: Date.parse(b.timestamp) });
    for (let n = 0; n < inserted.length; n++) {
      const i = inserted[n];
      rollups.addValue(valueMetric[i], runKey(valueBuild[i]), valueLabel[i] ?? valueNumber[i]);
      if (n % 16384 === 16383) await checkpoint();
    }
    for (const build of builds.values()) if (build.created) rollups.addRun(runKey(build));
    for (const _ of rollups.flushSteps()) await checkpoint();
    await checkpoint();
    store.db.run('COMMIT');
  } catch (err) {
    try {
      store.db.run('ROLLBACK');
    } catch {
      // The failure came after COMMIT or SQLite already rolled back.
    }
    throw err;
  } finally {
    store.db.run('PRAGMA foreign_keys = ON');
  }
  return { imported, skipped, builds: created, problems, changed: imported > 0 || created > 0 };
}

/** Streams every stored value as canonical JSONL (oldest run first); returns the line count. */
export async function exportJsonl(store: StoreDb, file: string): Promise<number> {
  const tmp = `${file}.tmp-${process.pid}`;
  const out = fs.createWriteStream(tmp, { encoding: 'utf8' });
  const stmt = store.db.prepare(
    `SELECT v.metric_id, b.timestamp, v.value_numeric, v.value_label, b.commit_sha, b.branch, b.run_id, b.run_number,
       b.event_name, b.dirty, d.unit, d.direction
     FROM metric_values v JOIN build_contexts b ON b.id = v.build_id JOIN metric_definitions d ON d.id = v.metric_id
     ORDER BY b.timestamp, b.id, v.metric_id`,
  );
  let count = 0;
  try {
    let chunk = '';
    while (stmt.step()) {
      const r = stmt.get();
      const line: Record<string, unknown> = { metric_id: r[0], timestamp: r[1] };
      if (r[2] !== null) line.value_numeric = r[2];
      else line.value_label = r[3];
      line.commit_sha = r[4];
      line.branch = r[5];
      line.run_id = r[6];
      line.run_number = r[7];
      // Tidemark's fields: an export reads back with its event, dirty flag, unit and direction.
      line.event = r[8];
      line.dirty = Number(r[9]) === 1;
      if (r[10] !== null) line.unit = r[10];
      if (r[11] !== null) line.direction = r[11];
      chunk += JSON.stringify(line) + '\n';
      count++;
      if (chunk.length > 1 << 16) {
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        chunk = '';
      }
    }
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(chunk, () => resolve());
    });
  } catch (err) {
    out.destroy();
    fs.rmSync(tmp, { force: true });
    throw err;
  } finally {
    stmt.free();
  }
  fs.renameSync(tmp, file);
  return count;
}
