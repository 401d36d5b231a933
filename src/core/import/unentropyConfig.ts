/**
 * `tidemark init --from unentropy.json`: an equivalent tidemark.json. Metrics keep their id,
 * type, unit, command, name, description and timeout; Unentropy templates (`$ref`) become
 * Tidemark presets; quality-gate thresholds become `thresholds` rules with their severities;
 * every setting without an equivalent is kept as a `//` comment that says why.
 */
import { parseConfig } from '../config';
import { PRESETS } from '../presets/catalogue';

type Json = Record<string, unknown>;

/** Unentropy template → Tidemark preset (null: no equivalent, the metric needs its own command). */
const TEMPLATES: Record<string, keyof typeof PRESETS | null> = {
  coverage: 'coverage',
  loc: 'loc',
  size: 'bundle-size',
  'bundle-size': 'bundle-size',
  'build-time': 'build-time',
  'test-time': 'test-duration',
  'dependencies-count': 'dependencies',
  'function-coverage': null,
};

const UNITS = new Set(['percent', 'integer', 'bytes', 'duration', 'decimal']);

export interface ConvertedConfig {
  text: string;
  metrics: string[];
  /** What could not be carried over (also written as comments in `text`). */
  notes: string[];
  /** Problems Tidemark finds in the result (e.g. a command its collectors do not know). */
  problems: string[];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The rule for "got worse": by the preset's direction, else Unentropy's assumption (higher is better). */
function worseKey(metric: Json): 'maxIncreasePercent' | 'maxDecreasePercent' {
  const preset = typeof metric.$ref === 'string' ? PRESETS[metric.$ref as keyof typeof PRESETS] : undefined;
  if (preset) return preset.direction === 'lower-is-better' ? 'maxIncreasePercent' : 'maxDecreasePercent';
  metric.direction ??= 'higher-is-better';
  return metric.direction === 'lower-is-better' ? 'maxIncreasePercent' : 'maxDecreasePercent';
}

export function convertUnentropyConfig(source: unknown): ConvertedConfig {
  if (!isObject(source)) throw new Error('unentropy.json must hold a JSON object');
  const notes: string[] = [];
  const metrics: Record<string, Json> = {};
  const rawMetrics = source.metrics;
  // Unentropy 0.3 uses an object keyed by id; older configs used an array with id/name.
  const entries: [string, unknown][] = Array.isArray(rawMetrics)
    ? rawMetrics.map((m) => [String(isObject(m) ? (m.id ?? m.name ?? m.$ref ?? '') : ''), m])
    : isObject(rawMetrics)
      ? Object.entries(rawMetrics)
      : [];
  if (entries.length === 0) throw new Error('unentropy.json has no "metrics"');
  for (const [id, raw] of entries) {
    if (!isObject(raw) || !/^[a-z0-9-]{1,64}$/.test(id)) {
      notes.push(`metric ${JSON.stringify(id)}: not converted (not a metric object with a valid id)`);
      continue;
    }
    const metric: Json = {};
    const template = typeof raw.$ref === 'string' ? raw.$ref : undefined;
    if (template !== undefined) {
      const preset = TEMPLATES[template];
      if (preset) metric.$ref = preset;
      else if (typeof raw.command !== 'string') {
        notes.push(`metric "${id}": Unentropy template "${template}" has no Tidemark preset; give it a "command"`);
        metric.type = 'numeric';
        metric.command = 'echo "TODO: command for ' + id + '" >&2; exit 1';
      } else {
        metric.type = raw.type === 'label' ? 'label' : 'numeric';
      }
    } else {
      metric.type = raw.type === 'label' ? 'label' : 'numeric';
    }
    if (typeof raw.name === 'string' && raw.name !== id) metric.name = raw.name.slice(0, 256);
    if (typeof raw.description === 'string') metric.description = raw.description.slice(0, 256);
    if (typeof raw.command === 'string') metric.command = raw.command;
    if (typeof raw.unit === 'string' && UNITS.has(raw.unit) && metric.type !== 'label') metric.unit = raw.unit;
    if (typeof raw.timeout === 'number' && Number.isFinite(raw.timeout)) {
      metric.timeout = Math.max(1, Math.min(600_000, Math.round(raw.timeout)));
      if (metric.timeout !== raw.timeout) notes.push(`metric "${id}": timeout ${raw.timeout} ms clamped to ${String(metric.timeout)} ms (Tidemark allows at most 600000)`);
    }
    for (const key of Object.keys(raw)) {
      if (!['$ref', 'id', 'name', 'description', 'command', 'unit', 'timeout', 'type'].includes(key)) notes.push(`metric "${id}": "${key}" has no equivalent and was left out`);
    }
    metrics[id] = metric;
  }

  const gate = isObject(source.qualityGate) ? source.qualityGate : undefined;
  const baseline: Json = {};
  if (gate) {
    const mode = typeof gate.mode === 'string' ? gate.mode : 'soft';
    if (isObject(gate.baseline)) {
      if (typeof gate.baseline.referenceBranch === 'string') baseline.referenceBranch = gate.baseline.referenceBranch;
      if (typeof gate.baseline.maxAgeDays === 'number') baseline.maxAgeDays = gate.baseline.maxAgeDays;
    }
    if (mode === 'off') notes.push('qualityGate.mode "off": thresholds were not converted (Tidemark has no gate switch; add "thresholds" to metrics to check them)');
    const thresholds = mode === 'off' || !Array.isArray(gate.thresholds) ? [] : gate.thresholds;
    for (const t of thresholds) {
      if (!isObject(t) || typeof t.metric !== 'string' || !metrics[t.metric]) {
        notes.push(`qualityGate threshold ${JSON.stringify(t)}: its metric is not in "metrics"; left out`);
        continue;
      }
      // soft never fails a build: every rule only warns. hard: blocker fails, warning warns.
      const severity = mode === 'soft' || t.severity === 'warning' ? 'warn' : 'fail';
      const target = metrics[t.metric];
      const rules = (target.thresholds ??= {}) as Json;
      const rule = (value: number) => (severity === 'fail' ? value : { value, severity });
      switch (t.mode) {
        case 'min':
        case 'max':
          if (typeof t.target === 'number') rules[t.mode] = rule(t.target);
          else notes.push(`qualityGate "${t.metric}" ${t.mode}: no target; left out`);
          break;
        case 'no-regression':
          // Unentropy assumes higher is better (a preset knows better) and allows an absolute tolerance (default 0.5).
          rules[worseKey(target)] = rule(0);
          if (t.tolerance !== undefined) notes.push(`qualityGate "${t.metric}" no-regression: the absolute tolerance ${String(t.tolerance)} has no equivalent (Tidemark's rules are percentages); any decrease is reported`);
          break;
        case 'delta-max-drop':
          if (typeof t.maxDropPercent === 'number') rules[worseKey(target)] = rule(t.maxDropPercent);
          else notes.push(`qualityGate "${t.metric}" delta-max-drop: no maxDropPercent; left out`);
          break;
        default:
          notes.push(`qualityGate "${t.metric}": mode ${JSON.stringify(t.mode)} has no equivalent; left out`);
      }
    }
    for (const key of Object.keys(gate)) {
      if (['enablePullRequestComment', 'maxCommentMetrics', 'maxCommentCharacters'].includes(key)) {
        notes.push(`qualityGate.${key}: no equivalent in tidemark.json (the GitHub Action writes one PR comment, see docs/sharing.md)`);
      }
    }
  }
  if (source.storage !== undefined) {
    notes.push(`storage ${JSON.stringify(source.storage)}: no equivalent. Tidemark keeps history in .tidemark/tidemark.db and shares it through git notes ("share"; docs/sharing.md); import the old database with \`tidemark import unentropy.db\``);
  }
  for (const key of Object.keys(source)) {
    if (!['metrics', 'qualityGate', 'storage', '$schema'].includes(key)) notes.push(`${key}: no equivalent in tidemark.json; left out`);
  }

  const config: Json = { metrics };
  if (Object.keys(baseline).length) config.baseline = baseline;
  const body = JSON.stringify(config, null, 2);
  const header = ['// Converted from unentropy.json by `tidemark init --from`.', ...notes.map((n) => `// ${n.replace(/\n/g, ' ')}`)];
  const text = `${header.join('\n')}\n${body}\n`;
  const parsed = parseConfig(text);
  const problems = parsed.ok ? [] : parsed.problems.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`);
  return { text, metrics: Object.keys(metrics), notes, problems };
}
