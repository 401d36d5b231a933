/**
 * The report webview's message protocol and view models, shared by the extension host, the
 * standalone HTML export and the webview app. Every message crossing the channel is parsed
 * with these schemas on arrival; anything unknown or malformed is rejected and logged.
 */
import * as z from 'zod';
import { DIRECTIONS, METRIC_TYPES, RESULT_STATUSES, RUN_EVENTS, RUN_SOURCES, UNITS } from '../core/types';

export const VIEWS = ['overview', 'trends', 'compare'] as const;
export type ReportView = (typeof VIEWS)[number];

export const RANGES = ['7d', '30d', '90d', 'all', 'custom'] as const;
export type TrendRange = (typeof RANGES)[number];

/** What the Trends charts' x axis counts: run time, or commits in the reference branch's first-parent order. */
export const AXES = ['time', 'commit'] as const;
export type TrendAxis = (typeof AXES)[number];

/** Which runs Trends draws by where they were recorded: all, this machine's (`local`), the team's (pulled from git notes: CI, teammates). */
export const ORIGINS = ['all', 'here', 'team'] as const;
export type TrendOrigin = (typeof ORIGINS)[number];

const TILE_STATUSES = ['ok', 'partial', 'never'] as const;
const CHECK_STATUSES = ['pass', 'warn', 'fail', 'unknown'] as const;
/** The status language's three channels (core/analysis/vocabulary.ts). */
const COLLECTION_STATUSES = [...RESULT_STATUSES, 'never-run'] as const;
const CHANGE_DIRECTIONS = ['better', 'worse', 'unchanged', 'changed', 'unknown'] as const;

const text = z.string().max(100_000);
const metricValue = z.union([z.number(), z.string()]);

export const metricInfoSchema = z.object({
  id: text,
  name: text.nullable(),
  type: z.enum(METRIC_TYPES),
  unit: z.enum(UNITS).nullable(),
  direction: z.enum(DIRECTIONS).nullable(),
  description: text.nullable(),
});
export type MetricInfo = z.infer<typeof metricInfoSchema>;

export const buildSchema = z.object({
  id: z.number().int(),
  commitSha: text,
  branch: text,
  runId: text,
  runNumber: z.number().int(),
  event: z.enum(RUN_EVENTS),
  timestamp: text,
  dirty: z.boolean(),
});

export const reportMetaSchema = z.object({
  /** Every metric in display order (charts are laid out before their data arrives). */
  metrics: z.array(metricInfoSchema),
  folderName: text,
  /** The workspace folder's URI in the panel (kept in the webview state to restore it); absent in exports. */
  folderUri: text.optional(),
  currentBranch: text,
  referenceBranch: text,
  branches: z.array(z.object({ branch: text, builds: z.number().int(), lastRun: text })),
  /**
   * The run the Overview, the tree and the status bar judge `head` against (the reference
   * branch's run at the merge-base): Compare opens on it, so one screen shows one change.
   * Absent when there is none yet.
   */
  baseline: z.object({ head: text, ref: text, commitSha: text, explanation: text, fallback: z.boolean().optional() }).optional(),
  /** Epoch ms the data was read; relative ranges (7d, 30d...) count back from it. */
  generatedAt: z.number(),
  standalone: z.boolean(),
});
export type ReportMeta = z.infer<typeof reportMetaSchema>;

/** A change against the baseline as the core vocabulary computes it (direction within noise included). */
export const changeSchema = z.object({
  direction: z.enum(CHANGE_DIRECTIONS),
  delta: z.number().nullable(),
  percent: z.number().nullable(),
  points: z.boolean(),
});

/** A metric's judgement (its threshold rules) with the rules that decided it. */
export const compareCheckSchema = z.object({ status: z.enum(CHECK_STATUSES), explanation: text });
export type CompareCheck = z.infer<typeof compareCheckSchema>;

export const overviewTileSchema = z.object({
  metric: metricInfoSchema,
  /** ok: last attempt succeeded; partial: has a value but the last attempt failed; never: no value ever. */
  status: z.enum(TILE_STATUSES),
  value: metricValue.nullable(),
  valueBuild: buildSchema.nullable(),
  baseline: metricValue.nullable(),
  /** Channel 1, collection status: how the last attempt ended. */
  collection: z.enum(COLLECTION_STATUSES),
  /** Channel 2, judgement: the thresholds on HEAD's value; null without rules or git. */
  judgement: compareCheckSchema.nullable(),
  /** Channel 3, direction of change against the baseline ("unchanged" within noise). */
  change: changeSchema,
  lastStatus: z.enum(RESULT_STATUSES).nullable(),
  lastError: text.nullable(),
  /** Recent numeric values of the current branch, oldest first. */
  sparkline: z.array(z.number()),
  /**
   * On a branch with a baseline: the sparkline is the reference branch up to the baseline run
   * (the merge-base), then the branch; this is the index of the baseline's value. Absent: the
   * branch's own values only.
   */
  sparklineBaseline: z.number().int().nullable().optional(),
});
export type OverviewTile = z.infer<typeof overviewTileSchema>;

export const overviewSchema = z.object({
  summary: z.object({
    runs: z.number().int(),
    branches: z.number().int(),
    lastRun: text.nullable(),
    ok: z.number().int(),
    partial: z.number().int(),
    never: z.number().int(),
    /** Completeness of the configured metrics over the last RECENT_DAYS days (store.summary, from the rollups). */
    recent: z
      .object({
        days: z.number().int(),
        ok: z.number().int(),
        partial: z.number().int(),
        missing: z.number().int(),
        /** The partial / missing metrics with their latest failure in the range, one per line. */
        problems: text.nullable(),
      })
      .optional(),
  }),
  headRef: text,
  /** `fallback`: the baseline rules found no run, so this is the reference branch's latest clean run (as in the Metrics view). */
  baseline: z.object({ ref: text, build: buildSchema.nullable(), explanation: text, fallback: z.boolean().optional() }),
  tiles: z.array(overviewTileSchema),
});
export type OverviewModel = z.infer<typeof overviewSchema>;

export const trendsQuerySchema = z.object({
  range: z.enum(RANGES),
  /** Epoch ms, used with range `custom`. */
  since: z.number().optional(),
  until: z.number().optional(),
  /** Empty: every branch. */
  branches: z.array(text).max(500),
  includeDirty: z.boolean(),
  /** Chart plot width in CSS pixels; the host sends at most ~2 points per pixel per series. */
  width: z.number().int().min(20).max(20_000),
  /** Only these metrics (the charts scrolled into view); absent: every metric. */
  metrics: z.array(text).max(1000).optional(),
  /** Absent: time. */
  axis: z.enum(AXES).optional(),
  /** Absent: all runs. */
  origin: z.enum(ORIGINS).optional(),
});
export type TrendsQuery = z.infer<typeof trendsQuerySchema>;

/** A run as the charts' tooltips and the drill-down need it. */
export const runRowSchema = z.object({
  id: z.number().int(),
  sha: text,
  branch: text,
  event: z.enum(RUN_EVENTS),
  dirty: z.boolean(),
  time: z.number(),
  runNumber: z.number().int(),
  /** Where it was recorded (absent: this machine). */
  source: z.enum(RUN_SOURCES).optional(),
});
export type RunRow = z.infer<typeof runRowSchema>;

/**
 * One branch of a numeric metric. Raw: x = run time, y = value, one entry per run.
 * Bucketed (long ranges): b = bucket index (its centre is from + (b + 0.5) × bucketMs),
 * y = mean, min/max keep spikes visible, last = value of the last run in the bucket and
 * run = that run's id. Bucket statistics are rounded to 6 significant digits.
 */
export const numericLineSchema = z.object({
  branch: text,
  bucketed: z.boolean(),
  x: z.array(z.number()).optional(),
  b: z.array(z.number().int()).optional(),
  bucketMs: z.number().optional(),
  y: z.array(z.number()),
  min: z.array(z.number()).optional(),
  max: z.array(z.number()).optional(),
  last: z.array(z.number()).optional(),
  count: z.array(z.number().int()).optional(),
  run: z.array(z.number().int()),
});
export type NumericLine = z.infer<typeof numericLineSchema>;

export const trendSeriesSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('numeric'), metric: metricInfoSchema, points: z.number().int(), lines: z.array(numericLineSchema) }),
  z.object({
    kind: z.literal('label'),
    metric: metricInfoSchema,
    points: z.number().int(),
    /** Bucket starts (epoch ms) and width. */
    x: z.array(z.number()),
    bucketMs: z.number(),
    /** Most frequent labels first; the rest is folded into `other`. */
    labels: z.array(text),
    /** counts[labelIndex][bucketIndex]; the last row is `other` when `hasOther`. */
    counts: z.array(z.array(z.number().int())),
    hasOther: z.boolean(),
  }),
]);
export type TrendSeries = z.infer<typeof trendSeriesSchema>;

/** A metric's threshold limits judged for the current head (see core/report/verdicts.ts). */
export const metricLimitsSchema = z.object({
  metric: text,
  /** The absolute budgets from the config (min / max rules). */
  budget: z.object({ min: z.number().nullable(), max: z.number().nullable() }),
  /** What the relative and statistical rules allow around the baseline. */
  band: z.object({ lower: z.number().nullable(), upper: z.number().nullable() }),
  status: z.enum(CHECK_STATUSES),
});
export type MetricLimits = z.infer<typeof metricLimitsSchema>;

/**
 * A commit on the commit axis: its position (measured commits of the reference branch in
 * first-parent order are 0, 1, 2…; a branch's own commits follow its fork point) and what
 * the ticks and tooltips say about it.
 */
export const axisCommitSchema = z.object({
  sha: text,
  x: z.number(),
  /** The branch the position belongs to (the reference branch for its own commits). */
  branch: text,
  tag: text.nullable(),
  subject: text,
  author: text,
  /** Committer time, epoch ms. */
  time: z.number(),
});
export type AxisCommit = z.infer<typeof axisCommitSchema>;

/** A persistent step in a metric's series at one commit (core/analysis/changes.ts's MetricChange). */
export const metricChangeSchema = z.object({
  metric: text,
  branch: text,
  commitSha: text,
  previousSha: text.nullable(),
  before: z.number(),
  after: z.number(),
  relativeChange: z.number().nullable(),
  unit: z.enum(UNITS).nullable(),
  /** ISO time of the commit's run. */
  time: text,
  subject: text.optional(),
  author: text.optional(),
});
export type MetricChangeRow = z.infer<typeof metricChangeSchema>;

export const changesSchema = z.object({
  changes: z.array(metricChangeSchema),
  /** Why there is no list (no git, no history), shown instead of it. */
  note: text.nullable(),
});
export type ChangesModel = z.infer<typeof changesSchema>;

export const trendsSchema = z.object({
  query: trendsQuerySchema,
  from: z.number(),
  to: z.number(),
  series: z.array(trendSeriesSchema),
  runs: z.array(runRowSchema),
  /** Absent when the thresholds cannot be judged (no git checkout or config). */
  limits: z.array(metricLimitsSchema).optional(),
  /** Axis `commit`: the commits the lines' x positions stand for, by position; absent on the time axis. */
  commits: z.array(axisCommitSchema).optional(),
  /** Axis `commit`: why some runs are not drawn (no git, commits unknown to this clone). */
  axisNote: text.optional(),
});
export type TrendsModel = z.infer<typeof trendsSchema>;

/** One file's (or package's) part of a metric in the two compared runs; null = not there. */
export const partChangeSchema = z.object({ name: text, base: z.number().nullable(), head: z.number().nullable(), delta: z.number() });
export type PartChangeModel = z.infer<typeof partChangeSchema>;

export const compareSchema = z.object({
  base: z.object({ ref: text, commitSha: text.nullable(), build: buildSchema.nullable() }),
  head: z.object({ ref: text, commitSha: text.nullable(), build: buildSchema.nullable() }),
  rows: z.array(
    z.object({
      metric: metricInfoSchema,
      base: metricValue.nullable(),
      head: metricValue.nullable(),
      /** The change of head against base (difference, percent, direction: "unchanged" within the measured noise). */
      change: changeSchema,
      /** The judgement: the threshold rules of head against base; absent without rules or git. */
      check: compareCheckSchema.optional(),
      /** Files (coverage: files or packages) whose part changed, biggest first (coverage: drops first); absent without breakdowns. */
      parts: z.array(partChangeSchema).max(20).optional(),
    }),
  ),
});
export type CompareModel = z.infer<typeof compareSchema>;

export const runDetailSchema = z.object({
  build: buildSchema,
  outcomes: z.array(
    z.object({
      metric: metricInfoSchema,
      status: z.enum(RESULT_STATUSES).nullable(),
      value: metricValue.nullable(),
      durationMs: z.number().nullable(),
      message: text.nullable(),
    }),
  ),
});
export type RunDetail = z.infer<typeof runDetailSchema>;

export const reportRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('overview') }),
  z.object({ kind: z.literal('trends'), query: trendsQuerySchema }),
  z.object({ kind: z.literal('compare'), base: z.string().min(1).max(500), head: z.string().min(1).max(500) }),
  /** The sha narrows the store lookup; the id picks the run among that commit's runs. */
  z.object({ kind: z.literal('run'), buildId: z.number().int(), commitSha: z.string().min(4).max(64) }),
  /** The change points of every metric (of one branch; absent: the reference branch). */
  z.object({ kind: z.literal('changes'), branch: z.string().min(1).max(500).optional() }),
]);
export type ReportRequest = z.infer<typeof reportRequestSchema>;

/** What each request kind answers with. */
export interface ReportReplies {
  overview: OverviewModel;
  trends: TrendsModel;
  compare: CompareModel;
  run: RunDetail;
  changes: ChangesModel;
}
export const replySchemas = {
  overview: overviewSchema,
  trends: trendsSchema,
  compare: compareSchema,
  run: runDetailSchema,
  changes: changesSchema,
} as const;

export const navigationSchema = z.object({
  view: z.enum(VIEWS).optional(),
  metric: text.optional(),
  base: text.optional(),
  head: text.optional(),
});
export type Navigation = z.infer<typeof navigationSchema>;

/** Webview → host. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('request'), id: z.number().int(), request: reportRequestSchema }),
  z.strictObject({ type: z.literal('runAll') }),
  z.strictObject({ type: z.literal('copy'), text: z.string().max(1000) }),
  /** Show this commit in VS Code (the Changes list and change markers). */
  z.strictObject({ type: z.literal('openCommit'), commitSha: z.string().regex(/^[0-9a-f]{7,64}$/i) }),
]);
export type WebviewMessage = z.infer<typeof webviewMessageSchema>;

/** Bounds of the translations the host hands the page (VS Code's bundle for the display language). */
export const L10N_LIMITS = { messages: 5_000, messageLength: 2_000, languageLength: 64 } as const;

/**
 * The page's translations: VS Code's `vscode.l10n.bundle` (English message → translation; absent
 * in English) and `vscode.env.language`. They cross into the page, so both are bounded.
 */
export const reportL10nSchema = z.object({
  bundle: z
    .record(z.string().max(L10N_LIMITS.messageLength), z.string().max(L10N_LIMITS.messageLength))
    .refine((bundle) => Object.keys(bundle).length <= L10N_LIMITS.messages, { message: `more than ${L10N_LIMITS.messages} messages` })
    .optional(),
  language: z.string().max(L10N_LIMITS.languageLength),
});
export type ReportL10n = z.infer<typeof reportL10nSchema>;

/** Host → webview. Reply results are validated against `replySchemas` by request kind. */
export const hostMessageSchema = z.discriminatedUnion('type', [
  /** `l10n` absent: English (the tests' hosts). */
  z.object({ type: z.literal('init'), meta: reportMetaSchema, navigate: navigationSchema, l10n: reportL10nSchema.optional() }),
  /** Exactly one of result / error. */
  z.object({ type: z.literal('reply'), id: z.number().int(), result: z.unknown().optional(), error: text.optional() }),
  z.object({ type: z.literal('meta'), meta: reportMetaSchema }),
  z.object({ type: z.literal('runRecorded'), buildId: z.number().int() }),
  /** HEAD moved (checkout, commit, merge): the page reloads what it shows, after the new meta. */
  z.object({ type: z.literal('headMoved') }),
  z.object({ type: z.literal('navigate'), navigate: navigationSchema }),
  /** The report cannot start (e.g. an untrusted folder with no history): shown instead of the views. */
  z.object({ type: z.literal('unavailable'), message: text, l10n: reportL10nSchema.optional() }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

/** What the webview persists with setState so a reloaded panel comes back where it was. */
export const webviewStateSchema = z.object({
  folder: text.optional(),
  view: z.enum(VIEWS),
  range: z.enum(RANGES),
  since: z.number().optional(),
  until: z.number().optional(),
  branches: z.array(text).optional(),
  includeDirty: z.boolean(),
  metric: text.optional(),
  base: text.optional(),
  head: text.optional(),
  sort: z.object({ column: text, descending: z.boolean() }).optional(),
  /** The Trends x axis the user chose; absent: the default (commit when the history has a commit axis). */
  axis: z.enum(AXES).optional(),
  /** Trends: which runs by origin (absent: all). */
  origin: z.enum(ORIGINS).optional(),
});
export type WebviewState = z.infer<typeof webviewStateSchema>;

/** Describes why a value failed validation, short enough for a log line. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/**
 * The data a standalone HTML export inlines: the precomputed Overview and Compare models,
 * and the whole history in columns so the file can answer Trends and drill-down queries
 * offline with the same code the host uses.
 */
export const standaloneSnapshotSchema = z.object({
  meta: reportMetaSchema,
  navigate: navigationSchema,
  overview: overviewSchema,
  metrics: z.array(metricInfoSchema),
  /** Oldest first. */
  runs: z.array(runRowSchema),
  runIds: z.array(text),
  /** values[metricIndex][runIndex]; null where the run stored no value. */
  values: z.array(z.array(metricValue.nullable())),
  failures: z.array(z.object({ run: z.number().int(), metric: z.number().int(), status: z.enum(RESULT_STATUSES), message: text.nullable() })),
  /** Every ordered pair of the most recent branches. */
  compares: z.array(compareSchema),
  /** The store's rollup time zone: long Trends ranges bucket by its calendar, as the panel does. Absent: UTC. */
  timeZone: text.optional(),
  /** The Trends limits of the head the file was exported from (absent: nothing to draw). */
  limits: z.array(metricLimitsSchema).optional(),
  /** The commit axis of every inlined run's commit (absent: no git when exported). */
  commits: z.array(axisCommitSchema).optional(),
  /** The change points when exported. */
  changes: changesSchema.optional(),
});
export type StandaloneSnapshot = z.infer<typeof standaloneSnapshotSchema>;
