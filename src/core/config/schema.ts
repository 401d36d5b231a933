/**
 * The zod schema of tidemark.json. parseConfig validates with it and configJsonSchema()
 * generates the editor's JSON Schema from it, so each rule and each description lives here once.
 *
 * Other modules may add keys here; keep objects strict (unknown keys are errors) and give
 * every new key a `doc(...)` so the JSON Schema keeps a description for it.
 */
import { globProblem, MAX_GLOB_LENGTH } from '../glob';
import * as z from 'zod';
import { MAX_WINDOW, parseThresholds } from './thresholds';
import { DIRECTIONS, METRIC_TYPES, SEVERITIES, STATISTICAL_TESTS, UNITS } from '../types';

export const MAX_METRICS = 50;
export const METRIC_ID_PATTERN = /^[a-z0-9-]+$/;
export const MAX_METRIC_ID_LENGTH = 64;
export const MAX_COMMAND_LENGTH = 1024;
export const MAX_TEXT_LENGTH = 256;
export const DEFAULT_TIMEOUT_MS = 60_000;
export const MAX_TIMEOUT_MS = 600_000;
export const DEFAULT_MAX_AGE_DAYS = 90;

/** Editor documentation for one key: plain text for tools that ignore markdown, markdown for VS Code. */
function doc(description: string, markdownDescription = description) {
  return { description, markdownDescription };
}

const TYPE_DESCRIPTIONS: Record<(typeof METRIC_TYPES)[number], string> = {
  numeric: 'A number, read according to `unit` (e.g. a size, a percentage, a count).',
  label: 'A short piece of text such as a version or a status (at most 256 characters).',
};

const UNIT_DESCRIPTIONS: Record<(typeof UNITS)[number], string> = {
  percent: 'Percentage points: `85.3` or `85.3%`.',
  integer: 'A whole number: `1234`.',
  bytes: 'A size: `1234`, `12.5 kB`, `3.1 MiB` or `4.0K` (du -h style).',
  duration: 'A duration in seconds (`12.5`) or with units: `850ms`, `2m 3s`, `1h 5m`.',
  decimal: 'Any number: `3.14`. The default when no unit is given.',
};

const DIRECTION_DESCRIPTIONS: Record<(typeof DIRECTIONS)[number], string> = {
  'higher-is-better': 'An increase is an improvement (e.g. test coverage).',
  'lower-is-better': 'A decrease is an improvement (e.g. bundle size, build time).',
};

/** An enum whose values each carry a description that editors show in completions. */
function documentedEnum<T extends string>(values: readonly [T, ...T[]], descriptions: Record<T, string>, description: string) {
  const texts = values.map((v) => descriptions[v]);
  return z.enum(values).meta({
    ...doc(description),
    enumDescriptions: texts.map((t) => t.replace(/`/g, '')),
    markdownEnumDescriptions: texts,
  });
}

export const metricIdSchema = z
  .string()
  .min(1)
  .max(MAX_METRIC_ID_LENGTH)
  .regex(METRIC_ID_PATTERN)
  .meta(doc('Metric id: lowercase letters, digits and "-", at most 64 characters.', 'Metric id: lowercase letters, digits and `-`, at most 64 characters.'));

/** A glob from the config: bounded, and only syntax the linear-time matcher (core/glob.ts) runs. */
const globString = () =>
  z
    .string()
    .min(1)
    .max(MAX_GLOB_LENGTH)
    .refine((g) => globProblem(g) === null, { error: (issue) => globProblem(String(issue.input)) ?? 'invalid glob' });

const onSaveSchema = z
  .union([
    z.boolean(),
    z
      .array(globString().meta(doc('A glob relative to the workspace folder, e.g. "src/**/*.ts".', 'A glob relative to the workspace folder, e.g. `src/**/*.ts`.')))
      .min(1),
  ])
  .default(false)
  .meta(
    doc(
      'Run this metric when a file is saved in VS Code: false (never), true (any file in the folder) or a list of globs relative to the workspace folder.',
      'Run this metric when a file is saved in VS Code: `false` (never), `true` (any file in the folder) or a list of globs relative to the workspace folder, e.g. `["src/**/*.ts"]`.',
    ),
  );

const SEVERITY_DESCRIPTIONS: Record<(typeof SEVERITIES)[number], string> = {
  warn: 'Report the broken rule; `tidemark check` still succeeds.',
  fail: 'Report the broken rule and make `tidemark check` exit with 1.',
};

const TEST_DESCRIPTIONS: Record<(typeof STATISTICAL_TESTS)[number], string> = {
  't-test': "Student's t prediction interval over the window (`boundary` is a confidence, default 0.99).",
  'z-score': 'Mean ± z·standard deviation over the window (`boundary` is a confidence, default 0.99).',
  percentage: 'Mean ± a fraction of it (`boundary` is that fraction, default 0.1 = 10%).',
  iqr: 'Tukey fences Q1 − k·IQR and Q3 + k·IQR (`boundary` is k, default 1.5).',
};

function severitySchema() {
  return documentedEnum(SEVERITIES, SEVERITY_DESCRIPTIONS, 'What a broken rule does: "warn" only reports it, "fail" makes `tidemark check` fail.');
}

/**
 * A rule is its value, or `{ "value": ..., "severity": ... }` to give it its own severity.
 * `values` lists the value's alternatives flat in the union, so a wrong type is reported
 * against the object form only when an object was written.
 */
function ruleSchema<const T extends readonly [z.ZodType, ...z.ZodType[]]>(values: () => T, description: string, markdownDescription: string) {
  const alternatives = values();
  const value = z.union(values());
  return z
    .union([
      ...alternatives,
      z
        .strictObject({
          value: value.meta(doc("The rule's value.")),
          severity: severitySchema().optional(),
        })
        .meta(doc('The rule with its own severity.')),
    ])
    .optional()
    .meta(doc(description, markdownDescription));
}

const budgetValue = () => [z.number(), z.string().min(1)] as const;
const percentValue = () => [z.number().min(0), z.string().min(1)] as const;

export const thresholdsSchema = z
  .strictObject({
    severity: severitySchema()
      .optional()
      .meta(doc('Default severity of every rule here (default "fail").', 'Default severity of every rule here (default `"fail"`); a rule written as `{ "value": …, "severity": … }` overrides it.')),
    min: ruleSchema(
      budgetValue,
      'Budget: the lowest acceptable value, as a number in base units or with its unit ("85%", "2m", "250 kB").',
      'Budget: the lowest acceptable value, as a number in base units or with its unit (`"85%"`, `"2m"`, `"250 kB"`), read like command output.',
    ),
    max: ruleSchema(
      budgetValue,
      'Budget: the highest acceptable value, as a number in base units or with its unit ("250 kB", "2m 30s").',
      'Budget: the highest acceptable value, as a number in base units or with its unit (`"250 kB"`, `"2m 30s"`), read like command output.',
    ),
    maxIncreasePercent: ruleSchema(percentValue, 'Largest allowed increase over the baseline, in percent (5 or "5%").', 'Largest allowed increase over the baseline, in percent (`5` or `"5%"`).'),
    maxDecreasePercent: ruleSchema(percentValue, 'Largest allowed decrease below the baseline, in percent (5 or "5%").', 'Largest allowed decrease below the baseline, in percent (`5` or `"5%"`).'),
    maxChangePercent: ruleSchema(
      percentValue,
      'Largest allowed change from the baseline, in percent, on the side "direction" calls worse (both sides without a direction).',
      'Largest allowed change from the baseline, in percent, on the side `direction` calls worse (both sides without a `direction`).',
    ),
    test: ruleSchema(
      () => [documentedEnum(STATISTICAL_TESTS, TEST_DESCRIPTIONS, 'Statistical test against recent clean runs of the reference branch.')] as const,
      'Statistical test against the newest clean runs of the reference branch up to the baseline (default "t-test" when window, boundary or minSamples is given).',
      'Statistical test against the newest clean runs of the reference branch up to the baseline (default `"t-test"` when `window`, `boundary` or `minSamples` is given).',
    ),
    window: z
      .number()
      .int()
      .min(1)
      .max(MAX_WINDOW)
      .optional()
      .meta(doc('How many recent clean runs the statistical test uses (default 64).', 'How many recent clean runs the statistical test uses (default `64`).')),
    boundary: z
      .number()
      .positive()
      .optional()
      .meta(
        doc(
          'Confidence for t-test and z-score (0.5 to below 1, default 0.99); fraction for percentage (default 0.1); IQR multiplier for iqr (default 1.5).',
          'Confidence for `t-test` and `z-score` (0.5 to below 1, default `0.99`); fraction of the mean for `percentage` (default `0.1`); IQR multiplier for `iqr` (default `1.5`).',
        ),
      ),
    minSamples: z
      .number()
      .int()
      .min(1)
      .max(MAX_WINDOW)
      .optional()
      .meta(doc('With fewer runs than this the percentage test (±10%) is used instead (default 2).', 'With fewer runs than this the `percentage` test (±10%) is used instead (default `2`).')),
  })
  .meta({
    ...doc(
      'Regression rules for this numeric metric: budgets, changes against the baseline and a statistical test. All optional and combinable.',
      'Regression rules for this numeric metric: budgets (`min`, `max`), changes against the baseline (`maxIncreasePercent`, …) and a statistical `test`. All optional and combinable; `tidemark check` exits with 1 when a `"fail"` rule is broken.',
    ),
    defaultSnippets: [
      { label: 'budget', body: { max: '${1:250 kB}' } },
      { label: 'statistical test', body: { test: '${1|t-test,z-score,percentage,iqr|}', window: 64 } },
    ],
  });

export const DEFAULT_STEP_TIMEOUT_MS = 600_000;
export const MAX_STEP_TIMEOUT_MS = 3_600_000;
export const MAX_STEP_OUTPUTS = 50;

export const stepIdSchema = z
  .string()
  .min(1)
  .max(MAX_METRIC_ID_LENGTH)
  .regex(METRIC_ID_PATTERN)
  .meta(doc('Step id: lowercase letters, digits and "-", at most 64 characters.', 'Step id: lowercase letters, digits and `-`, at most 64 characters.'));

const stepCommandSchema = z
  .string()
  .min(1)
  .max(MAX_COMMAND_LENGTH)
  .regex(/\S/)
  .meta(doc('Shell command run in the workspace folder; a non-zero exit fails the step.'));

export const stepSchema = z
  .strictObject({
    command: stepCommandSchema,
    description: z.string().max(MAX_TEXT_LENGTH).optional().meta(doc('What this step does, shown in messages.')),
    timeout: z
      .number()
      .int()
      .min(1)
      .max(MAX_STEP_TIMEOUT_MS)
      .default(DEFAULT_STEP_TIMEOUT_MS)
      .meta(doc('Milliseconds before the step is stopped with its whole process tree (default 600000, at most 3600000).', 'Milliseconds before the step is stopped with its whole process tree (default `600000`, at most `3600000`).')),
    outputs: z
      .array(z.string().min(1).regex(/\S/).meta(doc('A file the step writes, relative to the workspace folder, e.g. "coverage/lcov.info".', 'A file the step writes, relative to the workspace folder, e.g. `coverage/lcov.info`.')))
      .max(MAX_STEP_OUTPUTS)
      .optional()
      .meta(
        doc(
          'Files this step writes. A metric depending on the step fails as stale when one of them is missing or older than the run\'s start, instead of reading a report of another commit.',
          'Files this step writes. A metric depending on the step fails as **stale** when one of them is missing or older than the run\'s start, instead of reading a report of another commit.',
        ),
      ),
  })
  .meta({
    ...doc('A command that prepares the run, e.g. running the tests with coverage.'),
    defaultSnippets: [{ label: 'step with outputs', body: { command: '$1', outputs: ['${2:coverage/lcov.info}'] } }],
  });

export const setupSchema = z
  .union([stepCommandSchema, z.array(z.union([stepCommandSchema, stepSchema])).min(1)])
  .meta(
    doc(
      'Commands run once per run, in order, before any metric (e.g. "npm ci", then "npm run build"). If one fails, every metric of the run fails with its output.',
      'Commands run once per run, in order, before any metric (e.g. `"npm ci"`, then `"npm run build"`); a command or `{ "command", "timeout" }`. If one fails, every metric of the run fails with its output.',
    ),
  );

export const stepsSchema = z.record(stepIdSchema, stepSchema).meta({
  ...doc(
    'Named steps that metrics depend on ("dependsOn"), e.g. a "test" step writing coverage/lcov.info. A step runs at most once per run, only when a metric of the run needs it.',
    'Named steps that metrics depend on (`dependsOn`), e.g. a `test` step writing `coverage/lcov.info`. A step runs at most once per run, only when a metric of the run needs it.',
  ),
  defaultSnippets: [{ label: 'test step', body: { '${1:test}': { command: '${2:npm test -- --coverage}', outputs: ['${3:coverage/lcov.info}'] } } }],
});

export const metricSchema = z
  .strictObject({
    type: documentedEnum(METRIC_TYPES, TYPE_DESCRIPTIONS, 'What the command prints: a number (numeric) or a short text (label).'),
    command: z
      .string()
      .min(1)
      .max(MAX_COMMAND_LENGTH)
      .regex(/\S/)
      .meta(
        doc(
          'Shell command run in the workspace folder. Its last non-empty line of output is the value.',
          'Shell command run in the workspace folder. The **last non-empty line** of its output is the value.',
        ),
      ),
    name: z.string().min(1).max(MAX_TEXT_LENGTH).optional().meta(doc('Display name (defaults to the metric id).')),
    description: z.string().max(MAX_TEXT_LENGTH).optional().meta(doc('What this metric measures, shown in tooltips and reports.')),
    unit: documentedEnum(UNITS, UNIT_DESCRIPTIONS, 'How a numeric value is read and shown. Only for numeric metrics; default decimal.')
      .optional(),
    direction: documentedEnum(
      DIRECTIONS,
      DIRECTION_DESCRIPTIONS,
      'Which way is an improvement. Leave it out when a change is neither good nor bad. Only for numeric metrics.',
    ).optional(),
    timeout: z
      .number()
      .int()
      .min(1)
      .max(MAX_TIMEOUT_MS)
      .default(DEFAULT_TIMEOUT_MS)
      .meta(doc('Milliseconds before the command is stopped (default 60000, at most 600000).', 'Milliseconds before the command is stopped (default `60000`, at most `600000`).')),
    onSave: onSaveSchema,
    thresholds: thresholdsSchema.optional(),
    dependsOn: z
      .union([stepIdSchema, z.array(stepIdSchema).min(1)])
      .optional()
      .meta(
        doc(
          'Steps (from "steps") that must run before this metric; their failure fails the metric with the step\'s output.',
          'Steps (from `steps`) that must run before this metric; their failure fails the metric with the step\'s output.',
        ),
      ),
    allowStale: z
      .boolean()
      .optional()
      .meta(
        doc(
          'Read the report files of this metric even when they are older than the last checkout (default false: such a report is recorded as stale, not as a value).',
          'Read the report files of this metric even when they are older than the last checkout (default `false`: such a report is recorded as **stale**, not as a value). See docs/collectors.md.',
        ),
      ),
  })
  .meta({
    ...doc('One metric: a command whose output is recorded.'),
    defaultSnippets: [
      { label: 'numeric metric', body: { type: 'numeric', command: '$1', unit: '${2|decimal,integer,percent,bytes,duration|}', direction: '${3|lower-is-better,higher-is-better|}' } },
      { label: 'label metric', body: { type: 'label', command: '$1' } },
    ],
  });

export const baselineSchema = z
  .strictObject({
    referenceBranch: z
      .string()
      .min(1)
      .optional()
      .meta(doc("Branch to compare against. Default: the repository's default branch (origin/HEAD, else main, else master).")),
    maxAgeDays: z
      .number()
      .int()
      .min(1)
      .default(DEFAULT_MAX_AGE_DAYS)
      .meta(doc('Ignore baseline runs older than this many days (default 90).', 'Ignore baseline runs older than this many days (default `90`).')),
  })
  .default({ maxAgeDays: DEFAULT_MAX_AGE_DAYS })
  .meta(doc('How the baseline for "delta vs baseline" is chosen.'));

export const DEFAULT_RAW_DAYS = 30;

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name }).format(0);
    return true;
  } catch {
    return false;
  }
}

export const retentionSchema = z
  .strictObject({
    rawDays: z
      .number()
      .int()
      .min(1)
      .default(DEFAULT_RAW_DAYS)
      .meta(
        doc(
          'Keep on-save runs (event "save") this many days (default 30). Their values stay in the hourly, daily, weekly and monthly rollups.',
          'Keep on-save runs (event `save`) this many days (default `30`). Their values stay in the hourly, daily, weekly and monthly rollups.',
        ),
      ),
    commitRuns: z
      .union([z.literal('all'), z.number().int().min(1)])
      .default('all')
      .meta(
        doc(
          'The last run of each commit on each branch: "all" keeps it forever (default); a number of days keeps it (and manual, CI and imported runs) that long.',
          'The last run of each commit on each branch: `"all"` keeps it forever (default); a number of days keeps it (and manual, CI and imported runs) that long.',
        ),
      ),
  })
  .meta(
    doc(
      'How long raw runs are kept (tidemark compact, and the extension when idle). Rollups are kept forever.',
      'How long raw runs are kept (`tidemark compact`, and the extension when idle). Rollups are kept forever.',
    ),
  );

export const timezoneSchema = z
  .string()
  .min(1)
  .refine(isTimeZone, { error: (issue) => `"timezone" must be an IANA time zone such as "Europe/Paris" or "UTC" (got ${JSON.stringify(issue.input)})` })
  .meta(
    doc(
      'Time zone of the day, week and month boundaries of charts and summaries, e.g. "Europe/Paris" (default UTC). Applied by tidemark rollup --rebuild.',
      'Time zone of the day, week and month boundaries of charts and summaries, e.g. `"Europe/Paris"` (default `UTC`). Applied by `tidemark rollup --rebuild`.',
    ),
  );

/** A notes ref git accepts: refs/notes/ then safe path segments (no "..", no "@{", no spaces). */
const NOTES_REF_PATTERN = /^refs\/notes\/(?!.*\.\.)(?!.*\/\.)(?!.*\.lock(\/|$))[A-Za-z0-9_][A-Za-z0-9._/-]*(?<![./])$/;
const REMOTE_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

export const shareSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .meta(doc('Share runs through git notes (tidemark publish / pull / sync). false turns sharing off entirely.', 'Share runs through git notes (`tidemark publish` / `pull` / `sync`). `false` turns sharing off entirely.')),
    ref: z
      .string()
      .regex(NOTES_REF_PATTERN, { error: '"ref" must be a notes ref such as "refs/notes/tidemark"' })
      .default('refs/notes/tidemark')
      .meta(doc('The git notes ref runs travel in (default "refs/notes/tidemark").', 'The git notes ref runs travel in (default `refs/notes/tidemark`).')),
    remote: z
      .string()
      .regex(REMOTE_PATTERN, { error: '"remote" must be a git remote name such as "origin"' })
      .default('origin')
      .meta(doc('The git remote notes are fetched from and pushed to (default "origin").', 'The git remote notes are fetched from and pushed to (default `origin`).')),
    events: z
      .array(z.enum(['manual', 'ci', 'backfill']))
      .min(1)
      .default(['ci', 'manual', 'backfill'])
      .meta(
        doc(
          'Which runs are published: "ci", "manual" and/or "backfill" (default all three: every run that measured a commit as committed). Only clean runs (no uncommitted changes) are ever shared; on-save runs never are.',
          'Which runs are published: `"ci"`, `"manual"` and/or `"backfill"` (default all three: every run that measured a commit as committed). Only clean runs (no uncommitted changes) are ever shared; on-save runs never are.',
        ),
      ),
  })
  .meta(doc('Sharing runs with the team through git notes (see docs/sharing.md).', 'Sharing runs with the team through git notes (see `docs/sharing.md`).'));

export const metricsSchema = z
  .record(metricIdSchema, metricSchema)
  .meta({
    ...doc('The metrics to collect, by id (lowercase letters, digits and "-"). 1 to 50 metrics.', 'The metrics to collect, by id (lowercase letters, digits and `-`). 1 to 50 metrics.'),
    defaultSnippets: [
      { label: 'new metric', body: { '${1:metric-id}': { type: 'numeric', command: '$2', unit: '${3|decimal,integer,percent,bytes,duration|}' } } },
    ],
  });

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().meta(doc('The JSON Schema of this file (editors add it).')),
    metrics: metricsSchema,
    baseline: baselineSchema,
    concurrency: z
      .number()
      .int()
      .min(1)
      .optional()
      .meta(doc('How many metric commands run at once (default: the number of available cores).')),
    sources: z
      .array(globString().regex(/\S/).meta(doc('A glob relative to the workspace folder; a leading "!" excludes.', 'A glob relative to the workspace folder; a leading `!` excludes, e.g. `"!**/*.test.ts"`.')))
      .min(1)
      .optional()
      .meta(
        doc(
          'The files the built-in loc, files, todo and coverage collectors count: globs, "!" to exclude. Default: every git-tracked (or not ignored) file, never node_modules, dist, .git or .tidemark.',
          'The files the built-in `loc`, `files`, `todo` and `coverage-*` collectors count: globs, `!` to exclude, e.g. `["src/**", "!**/*.test.ts"]`. Default: every git-tracked (or not ignored) file, never `node_modules`, `dist`, `.git` or `.tidemark`.',
        ),
      ),
    defaultExcludes: z
      .boolean()
      .optional()
      .meta(
        doc(
          'Whether the source scope leaves out, by default, the reports the metrics read, test and coverage report folders (test-results/, coverage/, junit*.xml…), tidemark.json and SVG images. Default true.',
          'Whether the source scope leaves out, by default, the reports the metrics read, test and coverage report folders (`test-results/`, `coverage/`, `junit*.xml`…), `tidemark.json` and SVG images. Default `true`; `false` counts them like any file.',
        ),
      ),
    retention: retentionSchema.optional(),
    timezone: timezoneSchema.optional(),
    share: shareSchema.optional(),
    setup: setupSchema.optional(),
    steps: stepsSchema.optional(),
  })
  .meta({ title: 'Tidemark configuration', ...doc('Configuration of Tidemark, the project metrics tracker (tidemark.json).') });

export type ParsedConfigFile = z.output<typeof configSchema>;

export interface RuleIssue {
  path: (string | number)[];
  message: string;
  /** What to highlight: the value at `path` (default) or its key. */
  target?: 'key';
}

/**
 * Rules that relate several keys. They run outside zod because zod skips every refinement of an
 * object once any value inside it failed certain checks (a non-integer `timeout`, for one), and
 * all problems must be reported at once. configJsonSchema() mirrors them for editors.
 */
export function crossKeyIssues(input: unknown): RuleIssue[] {
  if (!isObject(input) || !isObject(input.metrics)) return [];
  const metrics = input.metrics;
  const issues: RuleIssue[] = [];
  const count = Object.keys(metrics).length;
  if (count === 0) issues.push({ path: ['metrics'], message: '"metrics" must list at least one metric' });
  if (count > MAX_METRICS) issues.push({ path: ['metrics'], message: `"metrics" may list at most ${MAX_METRICS} metrics (it lists ${count})` });
  for (const [id, metric] of Object.entries(metrics)) {
    // zod drops a "__proto__" key without a word instead of rejecting it like any other bad id.
    if (id === '__proto__') issues.push({ path: ['metrics', id], message: 'metric id "__proto__" must use only a-z, 0-9 and "-"', target: 'key' });
    if (isObject(metric)) issues.push(...thresholdIssues(id, metric), ...dependsOnIssues(id, metric, input.steps));
    if (!isObject(metric) || metric.type !== 'label') continue;
    if (metric.unit !== undefined) {
      issues.push({ path: ['metrics', id, 'unit'], message: 'a label metric must not have a "unit" (units are only for numeric metrics)' });
    }
    if (metric.direction !== undefined) {
      issues.push({ path: ['metrics', id, 'direction'], message: 'a label metric must not have a "direction" (a label is not better or worse, only different)' });
    }
  }
  return issues;
}

/**
 * What the zod schema cannot see in `thresholds`: budget strings read with the metric's unit,
 * min above max, ranges that depend on the chosen test, and rules on a label metric.
 */
function thresholdIssues(id: string, metric: Record<string, unknown>): RuleIssue[] {
  if (metric.thresholds === undefined) return [];
  const path = ['metrics', id, 'thresholds'];
  if (metric.type === 'label') return [{ path, message: 'a label metric cannot have "thresholds" (rules only apply to numbers)', target: 'key' }];
  // With an invalid type or unit zod already complains, and budgets cannot be read yet.
  if (metric.type !== 'numeric' || (metric.unit !== undefined && !(UNITS as readonly unknown[]).includes(metric.unit))) return [];
  const { problems } = parseThresholds(metric.thresholds, { type: 'numeric', unit: metric.unit as (typeof UNITS)[number] | undefined });
  return problems.filter((p) => p.semantic).map((p) => ({ path: [...path, ...p.path], message: p.message }));
}

/** Every step a metric depends on must be defined under "steps". */
function dependsOnIssues(id: string, metric: Record<string, unknown>, steps: unknown): RuleIssue[] {
  const named = typeof metric.dependsOn === 'string' ? [metric.dependsOn] : Array.isArray(metric.dependsOn) ? metric.dependsOn : [];
  const known = isObject(steps) ? Object.keys(steps) : [];
  const issues: RuleIssue[] = [];
  named.forEach((step, i) => {
    if (typeof step !== 'string' || known.includes(step)) return;
    const where = typeof metric.dependsOn === 'string' ? ['metrics', id, 'dependsOn'] : ['metrics', id, 'dependsOn', i];
    issues.push({ path: where, message: `step "${step}" is not defined in "steps" (${known.length ? `defined: ${known.join(', ')}` : 'no steps are defined'})` });
  });
  return issues;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
