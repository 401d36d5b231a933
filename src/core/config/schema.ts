/**
 * The zod schema of tidemark.json. parseConfig validates with it and configJsonSchema()
 * generates the editor's JSON Schema from it, so each rule and each description lives here once.
 *
 * Other modules may add keys here; keep objects strict (unknown keys are errors) and give
 * every new key a `doc(...)` so the JSON Schema keeps a description for it.
 */
import { z } from 'zod';
import { DIRECTIONS, METRIC_TYPES, UNITS } from '../types';

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

const onSaveSchema = z
  .union([
    z.boolean(),
    z
      .array(z.string().min(1).meta(doc('A glob relative to the workspace folder, e.g. "src/**/*.ts".', 'A glob relative to the workspace folder, e.g. `src/**/*.ts`.')))
      .min(1),
  ])
  .default(false)
  .meta(
    doc(
      'Run this metric when a file is saved in VS Code: false (never), true (any file in the folder) or a list of globs relative to the workspace folder.',
      'Run this metric when a file is saved in VS Code: `false` (never), `true` (any file in the folder) or a list of globs relative to the workspace folder, e.g. `["src/**/*.ts"]`.',
    ),
  );

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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
