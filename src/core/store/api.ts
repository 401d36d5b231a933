/**
 * The store's public contract. Two implementations share it:
 *  - an in-process store (CLI, tests) and
 *  - a worker-thread client (the extension host: the sql.js database lives in a worker so
 *    exports, compaction and big queries never block the host's main thread).
 * Every method is async so callers cannot tell which one they hold.
 */
import type { PartChange } from './parts';
import type {
  BuildContextInput,
  BuildRecord,
  Direction,
  MetricDefinition,
  MetricResult,
  MetricType,
  MetricValue,
  ResultStatus,
  RetentionConfig,
  RunEvent,
  RunSource,
  Unit,
  Verdict,
} from '../types';

export interface MetricDefinitionInput {
  id: string;
  type: MetricType;
  unit?: Unit | null;
  description?: string | null;
  direction?: Direction | null;
  name?: string | null;
}

export interface RecordBuildInput {
  build: BuildContextInput;
  /** Definitions of the metrics in `results` (upserted; type is immutable once recorded). */
  definitions: MetricDefinitionInput[];
  results: MetricResult[];
}

export interface RecordBuildOutcome {
  build: BuildRecord;
  /** Metrics not stored, e.g. because their type changed since first recorded. */
  rejected: { metric: string; message: string }[];
}

export interface SeriesQuery {
  metric: string;
  /** One branch or several; absent = all branches. */
  branch?: string | string[];
  /** Only runs of these commits (full shas, at most MAX_SERIES_COMMITS); absent = all commits. */
  commits?: string[];
  /** ISO timestamps, inclusive. */
  since?: string;
  until?: string;
  events?: RunEvent[];
  /** true = only dirty runs, false = only clean runs, absent = both. */
  dirty?: boolean;
  /** The newest `limit` points (still returned oldest first). */
  limit?: number;
}

/** Most commits one series query names (a baseline plan walks at most a few hundred). */
export const MAX_SERIES_COMMITS = 1000;

export interface SeriesPoint {
  buildId: number;
  value: MetricValue;
  commitSha: string;
  branch: string;
  event: RunEvent;
  dirty: boolean;
  timestamp: string;
  runNumber: number;
  /** Where the run was recorded (absent = local). */
  source?: RunSource;
}

/** Per-metric outcome of one run, including failures (which have no stored value). */
export interface RunOutcome {
  metric: string;
  status: ResultStatus;
  value: MetricValue | null;
  durationMs: number | null;
  message: string | null;
}

export interface BuildWithValues {
  build: BuildRecord;
  outcomes: RunOutcome[];
}

export interface BuildsQuery {
  branch?: string;
  commitSha?: string;
  since?: string;
  until?: string;
  events?: RunEvent[];
  dirty?: boolean;
  /** Newest first. Default 100. */
  limit?: number;
  offset?: number;
}

/** Latest state of one metric: last value (if any) and last attempt (any status). */
export interface LatestMetric {
  metric: string;
  value: MetricValue | null;
  /** Build that produced `value`. */
  valueBuild: BuildRecord | null;
  /** The most recent attempt, successful or not. */
  lastOutcome: RunOutcome | null;
  lastOutcomeBuild: BuildRecord | null;
}

export interface LatestQuery {
  /** Branch name or commit sha (prefix ≥ 4 chars); absent = any branch. */
  ref?: string;
  /** Skip dirty runs. */
  cleanOnly?: boolean;
}

export interface ComparisonSide {
  ref: string;
  commitSha: string | null;
  build: BuildRecord | null;
}

export interface MetricComparison {
  metric: string;
  type: MetricType;
  unit: Unit | null;
  direction: Direction | null;
  base: MetricValue | null;
  head: MetricValue | null;
  delta: number | null;
  /** null when base is 0 or either side is missing/non-numeric. */
  deltaPercent: number | null;
  verdict: Verdict;
  /**
   * Files (or packages) whose part of the value changed between the two runs, from the
   * built-in collectors' breakdowns; absent when either run has none. Coverage: drops first.
   */
  parts?: PartChange[];
}

export interface Comparison {
  base: ComparisonSide;
  head: ComparisonSide;
  metrics: MetricComparison[];
}

export interface ImportProblem {
  line: number;
  message: string;
}

export interface ImportOutcome {
  imported: number;
  /** Already present (idempotent re-import). */
  skipped: number;
  builds: number;
  problems: ImportProblem[];
}

export interface StoreStats {
  path: string;
  fileBytes: number;
  journalBytes: number;
  builds: number;
  values: number;
  metrics: number;
  branches: number;
  firstRun: string | null;
  lastRun: string | null;
  /** Problems found since the store was opened (corrupt snapshot moved aside, damaged journal lines). */
  problems?: StoreProblem[];
  /** Runs per event. */
  runsByEvent?: Record<RunEvent, number>;
  rollups?: {
    metricRows: number;
    labelRows: number;
    runRows: number;
    timeZone: string;
    /** Newest run deleted by retention (raw data before it is partial). */
    prunedUntil: string | null;
  };
}

/** Rollup grains; `raw` in the CLI means the runs themselves (series()). */
export type RollupGrain = 'hour' | 'day' | 'week' | 'month';
export const ROLLUP_GRAINS = ['hour', 'day', 'week', 'month'] as const;

export interface RollupQuery {
  metric: string;
  grain: RollupGrain;
  /** One branch or several; absent = all branches. */
  branch?: string | string[];
  /** ISO timestamps. The bucket containing `since` is included whole; buckets starting after `until` are not. */
  since?: string;
  until?: string;
  events?: RunEvent[];
  /** true = only dirty runs, false = only clean runs, absent = both. */
  dirty?: boolean;
}

/** One bucket of a metric (over the branches, events and dirty flags the query selects). */
export interface RollupPoint {
  /** ISO start of the bucket (UTC instant; boundaries follow the store's time zone). */
  bucketStart: string;
  /** Values in the bucket. */
  count: number;
  /** Runs in the bucket that tried the metric and failed, timed out or gave invalid output. */
  failures: number;
  min: number | null;
  max: number | null;
  sum: number | null;
  mean: number | null;
  first: MetricValue;
  last: MetricValue;
  firstAt: string;
  lastAt: string;
  /** Build of `last`; it may have been deleted by retention since. */
  lastBuildId: number;
  /** Label metrics: how many times each label was seen. */
  labels?: Record<string, number>;
  /**
   * The last bucket before the range, carried in when the range starts inside a bucket with no
   * data, so a line can start at the range's start.
   */
  carried?: boolean;
}

export type Completeness = 'ok' | 'partial' | 'missing';

export interface SummaryQuery {
  /** ISO; snapped back to the start of its day (in the store's time zone). */
  since?: string;
  until?: string;
  /** Configured metric ids: a configured metric with no value in the range is `missing`. */
  metrics?: string[];
}

export interface MetricSummary {
  metric: string;
  status: Completeness;
  values: number;
  failures: number;
  /** Time of the last value in the range. */
  lastUpdated: string | null;
  /** The latest failure's message in the range (status and text), if any. */
  note: string | null;
}

export interface StoreSummary {
  /** The range actually covered (day-aligned start), null = unbounded. */
  since: string | null;
  until: string | null;
  timeZone: string;
  runs: number;
  runsByEvent: Record<RunEvent, number>;
  branches: string[];
  /** Metrics with at least one value in the range. */
  metricsWithValues: number;
  lastRun: { buildId: number; timestamp: string; branch: string; event: RunEvent } | null;
  metrics: MetricSummary[];
}

export type BreakdownDimension = 'branch' | 'event' | 'label';

export interface BreakdownQuery {
  metric: string;
  by: BreakdownDimension;
  /** ISO; snapped back to the start of its day (in the store's time zone). */
  since?: string;
  until?: string;
}

export interface BreakdownGroup {
  /** Branch name, event or label. */
  key: string;
  count: number;
  failures: number;
  /** by label: share of the values (0..1). */
  share?: number;
  min?: number | null;
  max?: number | null;
  mean?: number | null;
  last?: MetricValue | null;
  lastAt?: string | null;
}

export interface Breakdown {
  metric: string;
  by: BreakdownDimension;
  since: string | null;
  until: string | null;
  groups: BreakdownGroup[];
}

/** tidemark.json's `retention` (see RetentionConfig). */
export type RetentionPolicy = RetentionConfig;

export interface RetentionSliceOptions {
  /** Most runs examined by this call (default 50): keeps one call short (< 50 ms). */
  maxBuilds?: number;
  /** ISO "now" the ages are measured from (default: the current time). */
  now?: string;
}

export interface RetentionOutcome {
  /** Runs deleted by this call. */
  deleted: number;
  /** True when this pass found nothing more to delete (call again until it is). */
  done: boolean;
  /** Timestamp of the newest run ever deleted by retention. */
  prunedUntil: string | null;
}

export interface RollupRebuildOutcome {
  metricRows: number;
  labelRows: number;
  runRows: number;
  timeZone: string;
  /** Buckets starting at or before this were kept (their raw runs were deleted by retention). */
  keptThrough: string | null;
}

/** A run as it travels through git notes (src/core/share): always clean, no local ids. */
export interface SharedRun {
  /** Set by unpublishedRuns (the local run); ignored by importShared. */
  buildId?: number;
  commitSha: string;
  branch: string;
  runId: string;
  runNumber: number;
  event: RunEvent;
  timestamp: string;
  /** Definitions of the metrics in `outcomes`. */
  definitions: MetricDefinition[];
  /** Values (`ok`) and failures of the run. */
  outcomes: RunOutcome[];
}

export interface UnpublishedQuery {
  /** The notes ref, e.g. `refs/notes/tidemark`. */
  ref: string;
  events: RunEvent[];
  limit?: number;
}

export interface SharedImportInput {
  ref: string;
  /** The notes commit these runs were read up to (remembered for the next incremental pull). */
  tip: string | null;
  runs: SharedRun[];
  /** Recorded source of the runs (default `notes`; `import` for an Unentropy database). */
  source?: 'notes' | 'import';
}

export interface SharedImportOutcome {
  imported: number;
  /** Already stored (same commit and run id): pulling twice is harmless. */
  skipped: number;
  /** Runs refused whole (e.g. a metric whose type differs here). */
  rejected: { commitSha: string; runId: string; message: string }[];
}

export interface StoreApi {
  recordBuild(input: RecordBuildInput): Promise<RecordBuildOutcome>;
  definitions(): Promise<MetricDefinition[]>;
  series(query: SeriesQuery): Promise<SeriesPoint[]>;
  latest(query?: LatestQuery): Promise<LatestMetric[]>;
  builds(query?: BuildsQuery): Promise<BuildWithValues[]>;
  /** The runs among `ids` still stored, by id; ids deleted by retention (or never stored) are left out. */
  buildsById(ids: number[]): Promise<BuildRecord[]>;
  /** Resolve a ref: a branch = its latest build, a commit (full or prefix) = its latest run. */
  resolveRef(ref: string): Promise<BuildRecord | null>;
  /**
   * Each metric's latest value on `base` and on `head`. The base is a baseline, so only its clean
   * runs count (a run with uncommitted changes is never what a branch is compared against); the
   * head's newest runs count whatever their state (the working copy is what one compares).
   */
  compare(base: string, head: string): Promise<Comparison>;
  /**
   * The files (or packages) whose part of a metric changed between two runs (coverage: drops
   * first), at most `limit` (default 20); empty when either run has no breakdown.
   */
  partChanges(metric: string, baseBuildId: number, headBuildId: number, limit?: number): Promise<PartChange[]>;
  branches(): Promise<{ branch: string; builds: number; lastRun: string }[]>;
  /**
   * All or nothing: when any line is bad, every bad line is reported and nothing is imported,
   * unless `skipInvalid` (then the good lines are imported and the bad ones still reported).
   */
  /** `signal` (in-process stores only; it cannot cross to the worker) stops the import and stores nothing. */
  importJsonl(filePath: string, options?: { source?: string; skipInvalid?: boolean; signal?: AbortSignal }): Promise<ImportOutcome>;
  /** Writes Unentropy's canonical JSONL; returns the number of lines written. */
  exportJsonl(filePath: string): Promise<number>;
  /** Deletes every run (and its values); returns how many runs were deleted. */
  clearHistory(): Promise<number>;
  /** Writes a full snapshot and truncates the journal; `vacuum` first rebuilds the file without free pages. */
  compact(options?: { vacuum?: boolean }): Promise<void>;
  stats(): Promise<StoreStats>;
  /** Per-bucket aggregates of one metric, oldest first. */
  rollupSeries(query: RollupQuery): Promise<RollupPoint[]>;
  /** Runs, events, branches and per-metric completeness over a range (from rollups). */
  summary(query?: SummaryQuery): Promise<StoreSummary>;
  /** One metric broken down by branch (latest value), event (counts) or label (distribution). */
  breakdown(query: BreakdownQuery): Promise<Breakdown>;
  /**
   * Deletes at most `maxBuilds` runs that retention allows deleting (journaled, rollups kept),
   * continuing where the previous call stopped. Call until `done`.
   */
  applyRetention(policy: RetentionPolicy, options?: RetentionSliceOptions): Promise<RetentionOutcome>;
  /** Recomputes the rollups from raw runs, optionally in another time zone (IANA name or UTC). */
  rebuildRollups(options?: { timeZone?: string }): Promise<RollupRebuildOutcome>;
  /** Sharing: clean local runs of these events not yet published to the notes ref, oldest first. */
  unpublishedRuns(query: UnpublishedQuery): Promise<SharedRun[]>;
  /** Sharing: records that these runs are in the notes ref (journaled); returns how many were new. */
  markPublished(ref: string, buildIds: number[]): Promise<number>;
  /** Sharing: stores runs read from notes (source `notes`), skipping those already stored. */
  importShared(input: SharedImportInput): Promise<SharedImportOutcome>;
  /** Sharing: the notes commit the last pull of `ref` read up to. */
  pulledTip(ref: string): Promise<string | null>;
  close(): Promise<void>;
}

/** Something wrong found in the store's files: reported, never silently repaired away. */
export interface StoreProblem {
  kind: 'corrupt-snapshot' | 'damaged-journal' | 'replay-failed';
  message: string;
  /** The file the problem is in. */
  file: string;
  /** Where a corrupt file was moved (it is never overwritten). */
  movedTo?: string;
}

export interface StoreOptions {
  logger?: import('../types').Logger;
  /** sql-wasm.wasm; default: next to the running script, else the sql.js package's. */
  wasmPath?: string;
  /** Called for every problem found (also logged and listed in `stats().problems`). */
  onProblem?: (problem: StoreProblem) => void;
  /** Journal size that triggers a background snapshot (default: 1/16 of the snapshot's size, 16 KiB to 512 KiB). */
  compactThresholdBytes?: number;
  /**
   * How long a write waits for another process's lock while that lock shows no progress
   * (default 30 s; a holder that renews its lease is waited for as long as it takes).
   */
  lockTimeoutMs?: number;
  /**
   * Open for reading only: no lock file, no snapshot, no file moved or created (works on a
   * read-only folder). Damage is reported, not repaired; write calls throw.
   */
  readOnly?: boolean;
}

export interface WorkerStoreOptions extends StoreOptions {
  /** The worker entry; default `storeWorker.js` next to the calling bundle. */
  workerScript?: string;
}
