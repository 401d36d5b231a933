/**
 * Shared vocabulary of the Tidemark engine. No `vscode` import anywhere under src/core.
 *
 * These types are the contract between config, collect, store, analysis, the CLI and the
 * extension. Change them deliberately: every module reads them.
 */

export type MetricType = 'numeric' | 'label';
export const METRIC_TYPES = ['numeric', 'label'] as const;

export type Unit = 'percent' | 'integer' | 'bytes' | 'duration' | 'decimal';
export const UNITS = ['percent', 'integer', 'bytes', 'duration', 'decimal'] as const;

export type Direction = 'higher-is-better' | 'lower-is-better';
export const DIRECTIONS = ['higher-is-better', 'lower-is-better'] as const;

/** What triggered a run. */
export type RunEvent = 'manual' | 'save' | 'ci' | 'import' | 'backfill';
export const RUN_EVENTS = ['manual', 'save', 'ci', 'import', 'backfill'] as const;

/** Outcome of collecting one metric. Only `ok` carries a value that gets stored. */
export type ResultStatus = 'ok' | 'failed' | 'timeout' | 'invalid-output' | 'cancelled';
export const RESULT_STATUSES = ['ok', 'failed', 'timeout', 'invalid-output', 'cancelled'] as const;

export type MetricValue = number | string;

/**
 * Where a run came from: recorded by this machine's Tidemark (`local`), pulled from a git notes
 * ref (`notes`: CI or a teammate's publish; the event tells which) or imported from a file.
 */
export type RunSource = 'local' | 'notes' | 'import';
export const RUN_SOURCES = ['local', 'notes', 'import'] as const;

/** One metric as configured in tidemark.json (after defaults are applied). */
export interface MetricConfig {
  type: MetricType;
  command: string;
  name?: string;
  description?: string;
  unit?: Unit;
  direction?: Direction;
  /** Milliseconds; default 60000, max 600000. */
  timeout: number;
  /** false, true (any save in the folder) or globs relative to the workspace folder. */
  onSave: boolean | string[];
  /** Regression rules as written in tidemark.json (numeric metrics only); absent = no checks. */
  thresholds?: ThresholdsInput;
  /** Steps (config.steps ids) that run before this metric. */
  dependsOn?: string | string[];
  /** Read report files older than the last checkout anyway (default: recorded as stale). */
  allowStale?: boolean;
}

/** A setup command or named step of tidemark.json. */
export interface StepConfig {
  command: string;
  description?: string;
  /** Milliseconds; default 600000. */
  timeout: number;
  /** Files the step writes, relative to the workspace folder. */
  outputs?: string[];
}

/** How bad a broken rule is: `fail` makes `tidemark check` exit 1, `warn` only reports. */
export type Severity = 'warn' | 'fail';
export const SEVERITIES = ['warn', 'fail'] as const;

export type StatisticalTest = 't-test' | 'z-score' | 'percentage' | 'iqr';
export const STATISTICAL_TESTS = ['t-test', 'z-score', 'percentage', 'iqr'] as const;

/** A rule's value, or `{ value, severity }` to override the thresholds-level severity. */
export type RuleInput<T> = T | { value: T; severity?: Severity };

/** A metric's `thresholds` as written: budgets may be unit strings ("250 kB", "85%", "2m"). */
export interface ThresholdsInput {
  /** Default severity of every rule (default fail). */
  severity?: Severity;
  min?: RuleInput<number | string>;
  max?: RuleInput<number | string>;
  maxIncreasePercent?: RuleInput<number | string>;
  maxDecreasePercent?: RuleInput<number | string>;
  maxChangePercent?: RuleInput<number | string>;
  test?: RuleInput<StatisticalTest>;
  window?: number;
  boundary?: number;
  minSamples?: number;
}

/** One budget or relative rule after parsing: numbers in base units (bytes, seconds, percent). */
export interface ThresholdRule {
  value: number;
  severity: Severity;
}

export interface StatisticalRule {
  test: StatisticalTest;
  /** Newest clean samples of the reference branch used (default 64). */
  window: number;
  /** Confidence for t-test/z-score (default 0.99); fraction for percentage (0.1 = ±10%); IQR multiplier for iqr. */
  boundary: number;
  /** Fewer samples than this: the percentage test is used instead (default 2). */
  minSamples: number;
  severity: Severity;
}

/** A metric's `thresholds` entry after parsing; every key optional and combinable. */
export interface ThresholdsConfig {
  min?: ThresholdRule;
  max?: ThresholdRule;
  maxIncreasePercent?: ThresholdRule;
  maxDecreasePercent?: ThresholdRule;
  /** Applies to the regression side given by `direction`, or to both sides without one. */
  maxChangePercent?: ThresholdRule;
  statistical?: StatisticalRule;
}

export interface BaselineConfig {
  /** Absent: the repository's default branch (origin/HEAD, else main, else master). */
  referenceBranch?: string;
  maxAgeDays: number;
}

/** How long raw runs are kept; rollups are kept forever. */
export interface RetentionConfig {
  /** Runs with event `save` older than this many days are deleted (default 30). */
  rawDays: number;
  /**
   * The last run of each commit on each branch: kept forever ("all", the default), or for this
   * many days; with a number, runs of other events (manual, ci, import) older than it go too.
   */
  commitRuns: 'all' | number;
}

export interface TidemarkConfig {
  metrics: Record<string, MetricConfig>;
  baseline: BaselineConfig;
  /** Absent: available cores. */
  concurrency?: number;
  /**
   * Globs (with `!` excludes) limiting the files the loc, files, todo and coverage collectors
   * count. Absent: every git-tracked (or not ignored) file.
   */
  sources?: string[];
  /**
   * false: the source scope keeps what it leaves out by default (reports metrics read, report
   * folders, tidemark's own files, SVG). Absent: true.
   */
  defaultExcludes?: boolean;
  /** Absent: { rawDays: 30, commitRuns: 'all' }. */
  retention?: RetentionConfig;
  /** IANA time zone of rollup buckets; absent: UTC. */
  timezone?: string;
  /** Commands run once per run before any metric. */
  setup?: string | (string | StepConfig)[];
  /** Named steps metrics depend on. */
  steps?: Record<string, StepConfig>;
  /** Sharing through git notes; absent: the defaults (on, refs/notes/tidemark, origin, ci + manual + backfill). */
  share?: ShareConfig;
}

export interface ShareConfig {
  enabled: boolean;
  /** Full notes ref, e.g. refs/notes/tidemark. */
  ref: string;
  remote: string;
  /** Events whose clean runs are published. */
  events: ('manual' | 'ci' | 'backfill')[];
}

/** A problem found in tidemark.json, located precisely in the file. 1-based line/column. */
export interface ConfigProblem {
  /** JSON path such as `metrics.bundle-size.timeout` ('' for the root). */
  path: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** 0-based character offset and length of the offending range in the file text. */
  offset: number;
  length: number;
}

export type ConfigResult =
  | { ok: true; config: TidemarkConfig }
  | { ok: false; problems: ConfigProblem[] };

/** Result of running one metric. */
export interface MetricResult {
  metric: string;
  status: ResultStatus;
  /** Parsed value (numbers in base units: bytes, seconds, percent); null unless status is ok. */
  value: MetricValue | null;
  durationMs: number;
  /** Human explanation for anything but ok (exit code + stderr tail, timeout, parse error). */
  message?: string;
  exitCode?: number | null;
  pid?: number;
  /**
   * What each file (or package, for coverage) contributes to an ok value, as the built-in
   * collectors see it: bytes, lines, files or markers per file; coverage percent per file.
   */
  parts?: Record<string, number>;
}

export interface GitContext {
  /** 40 hex chars; 40 zeros outside git. */
  commitSha: string;
  /** Branch name; `HEAD` when detached and nothing else tells; `(no git)` outside git. */
  branch: string;
  /** Tracked files have uncommitted changes. */
  dirty: boolean;
}

export const NO_GIT_SHA = '0'.repeat(40);
export const NO_GIT_BRANCH = '(no git)';

/** A branch a run or git context names, or null for none: detached (`HEAD`) or outside git. */
export function usableBranch(branch: string | null | undefined): string | null {
  return branch && branch !== 'HEAD' && branch !== NO_GIT_BRANCH ? branch : null;
}

/** The context of one recorded run ("build" in the seed data model). */
export interface BuildContextInput {
  commitSha: string;
  branch: string;
  /** UUID for runs made by Tidemark; `import:<source>:<sha>` for imports by default. */
  runId: string;
  /** Absent: the store assigns max(run_number) + 1. */
  runNumber?: number;
  event: RunEvent;
  /** ISO 8601 UTC. */
  timestamp: string;
  dirty: boolean;
}

export interface BuildRecord {
  id: number;
  commitSha: string;
  branch: string;
  runId: string;
  runNumber: number;
  event: RunEvent;
  timestamp: string;
  dirty: boolean;
  /** Where the run came from (store schema 4); absent = `local`. */
  source?: RunSource;
}

export interface MetricDefinition {
  id: string;
  type: MetricType;
  unit: Unit | null;
  description: string | null;
  direction: Direction | null;
  name: string | null;
}

/** Minimal logger; the extension passes its LogOutputChannel, the CLI a stderr logger. */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export const silentLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Verdict of a comparison between two values of one metric. */
export type Verdict = 'better' | 'worse' | 'same' | 'changed' | 'unknown';
