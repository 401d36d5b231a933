/**
 * The store's public contract. Two implementations share it:
 *  - an in-process store (CLI, tests) and
 *  - a worker-thread client (the extension host: the sql.js database lives in a worker so
 *    exports, compaction and big queries never block the host's main thread).
 * Every method is async so callers cannot tell which one they hold.
 */
import type {
  BuildContextInput,
  BuildRecord,
  Direction,
  MetricDefinition,
  MetricResult,
  MetricType,
  MetricValue,
  ResultStatus,
  RunEvent,
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
  /** ISO timestamps, inclusive. */
  since?: string;
  until?: string;
  events?: RunEvent[];
  /** true = only dirty runs, false = only clean runs, absent = both. */
  dirty?: boolean;
  limit?: number;
}

export interface SeriesPoint {
  buildId: number;
  value: MetricValue;
  commitSha: string;
  branch: string;
  event: RunEvent;
  dirty: boolean;
  timestamp: string;
  runNumber: number;
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
}

export interface StoreApi {
  recordBuild(input: RecordBuildInput): Promise<RecordBuildOutcome>;
  definitions(): Promise<MetricDefinition[]>;
  series(query: SeriesQuery): Promise<SeriesPoint[]>;
  latest(query?: LatestQuery): Promise<LatestMetric[]>;
  builds(query?: BuildsQuery): Promise<BuildWithValues[]>;
  /** Resolve a ref: a branch = its latest build, a commit (full or prefix) = its latest run. */
  resolveRef(ref: string): Promise<BuildRecord | null>;
  compare(base: string, head: string): Promise<Comparison>;
  branches(): Promise<{ branch: string; builds: number; lastRun: string }[]>;
  /**
   * All or nothing: when any line is bad, every bad line is reported and nothing is imported,
   * unless `skipInvalid` (then the good lines are imported and the bad ones still reported).
   */
  importJsonl(filePath: string, options?: { source?: string; skipInvalid?: boolean }): Promise<ImportOutcome>;
  /** Writes Unentropy's canonical JSONL; returns the number of lines written. */
  exportJsonl(filePath: string): Promise<number>;
  /** Deletes every run (and its values); returns how many runs were deleted. */
  clearHistory(): Promise<number>;
  /** Writes a full snapshot and truncates the journal. */
  compact(): Promise<void>;
  stats(): Promise<StoreStats>;
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
  /** Journal size that triggers a background snapshot (default 1 MiB). */
  compactThresholdBytes?: number;
  /** How long a write waits for another process's lock (default 30 s). */
  lockTimeoutMs?: number;
}

export interface WorkerStoreOptions extends StoreOptions {
  /** The worker entry; default `storeWorker.js` next to the calling bundle. */
  workerScript?: string;
}
