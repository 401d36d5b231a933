/**
 * Preset resolution: a metric `{"$ref": "coverage", "command": "..."}` becomes the preset's
 * fields overridden field by field by the metric's own. Runs on the raw JSON before schema
 * validation, so the result is checked like any hand-written metric.
 */
import { isPresetId, PRESET_IDS, PRESETS, type Preset } from './catalogue';

export interface PresetProblem {
  /** JSON path segments, e.g. ['metrics', 'size', '$ref']. */
  path: string[];
  message: string;
}

export const PRESET_KEY = '$ref';

/** Fields a preset fills in; `cheap` and `commandOverride` are the catalogue's own. */
const METRIC_FIELDS = ['type', 'command', 'unit', 'direction', 'description', 'timeout'] as const;

/** Quotes a shell command as one `@collect` argument (POSIX single quotes). */
export function quoteArgument(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Expands every `$ref` in the raw `metrics` object. Anything that is not an object is returned
 * unchanged for the schema to report; an unknown or non-string `$ref` is a problem and the
 * metric is left out of the result (so no knock-on errors about missing fields).
 */
export function resolvePresets(rawMetrics: unknown): { metrics: unknown; problems: PresetProblem[] } {
  if (!isObject(rawMetrics)) return { metrics: rawMetrics, problems: [] };
  const problems: PresetProblem[] = [];
  // Entries, not assignments: a "__proto__" key must stay an own key for the schema to reject.
  const metrics: [string, unknown][] = [];
  for (const [id, raw] of Object.entries(rawMetrics)) {
    if (!isObject(raw) || !Object.hasOwn(raw, PRESET_KEY)) {
      metrics.push([id, raw]);
      continue;
    }
    const ref = raw[PRESET_KEY];
    if (typeof ref !== 'string' || !isPresetId(ref)) {
      const got = typeof ref === 'string' ? `"${ref}"` : JSON.stringify(ref);
      problems.push({ path: ['metrics', id, PRESET_KEY], message: `unknown preset ${got} (known: ${PRESET_IDS.join(', ')})` });
      continue;
    }
    metrics.push([id, expand(PRESETS[ref], raw)]);
  }
  return { metrics: Object.fromEntries(metrics), problems };
}

function expand(preset: Preset, raw: Record<string, unknown>): Record<string, unknown> {
  const fromPreset = METRIC_FIELDS.filter((field) => preset[field] !== undefined && !Object.hasOwn(raw, field)).map((field) => [field, preset[field]]);
  const own = Object.entries(raw)
    .filter(([key]) => key !== PRESET_KEY)
    .map(([key, value]) => [key, key === 'command' ? overrideCommand(preset, value) : value]);
  return Object.fromEntries([...fromPreset, ...own]);
}

function overrideCommand(preset: Preset, value: unknown): unknown {
  if (preset.commandOverride !== 'timed' || typeof value !== 'string' || value.trim() === '' || /^\s*@collect(\s|$)/.test(value)) return value;
  return `@collect time -- ${quoteArgument(value)}`;
}

/** The `"$ref"` property of a metric in the editor's JSON Schema: an enum with a description per preset. */
export function presetJsonSchemaProperty(): Record<string, unknown> {
  const describe = (id: (typeof PRESET_IDS)[number]): string => {
    const p = PRESETS[id];
    return `${p.description} (${p.unit}, ${p.direction}; ${p.command})`;
  };
  return {
    type: 'string',
    enum: [...PRESET_IDS],
    description: 'A preset from Tidemark\'s catalogue; the fields given next to it override the preset\'s, one by one.',
    markdownDescription: "A preset from Tidemark's catalogue; the fields given next to it override the preset's, one by one. For example `{\"$ref\": \"build-time\", \"command\": \"make\"}`.",
    enumDescriptions: PRESET_IDS.map((id) => describe(id).replace(/`/g, '')),
    markdownEnumDescriptions: PRESET_IDS.map(describe),
  };
}
