/**
 * Turns zod issues into plain sentences a user understands, each tied to the JSON path it is
 * about and to what should be highlighted: the key, the value, or the object missing a key.
 */
import { safeParse, type z } from 'zod';
import { METRIC_ID_PATTERN } from './schema';

export type ProblemTarget = 'value' | 'key' | 'object';

export interface PlainIssue {
  path: (string | number)[];
  message: string;
  target: ProblemTarget;
}

type Issue = z.core.$ZodIssue;
type Schema = z.core.$ZodType;

/** Units of numeric keys, shown after limits: `must be at most 600000 ms`. */
const NUMBER_UNITS: Record<string, (n: number) => string> = { timeout: () => 'ms', maxAgeDays: (n) => (n === 1 ? 'day' : 'days') };

export function explainIssues(issues: readonly Issue[], root: Schema, input: unknown): PlainIssue[] {
  // One problem per place: an empty command also fails "not blank", which would only repeat it.
  const seen = new Set<string>();
  return issues
    .flatMap((issue) => explain(issue, [], root, input))
    .filter((issue) => {
      const place = `${issue.target}:${JSON.stringify(issue.path)}`;
      if (seen.has(place)) return false;
      seen.add(place);
      return true;
    });
}

function explain(issue: Issue, prefix: (string | number)[], root: Schema, input: unknown): PlainIssue[] {
  const path = [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
  const value = valueAt(input, path);
  const name = nameOf(path);
  const at = (message: string, target: ProblemTarget = 'value'): PlainIssue[] => [{ path, message, target }];

  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return at(`missing required key "${String(path[path.length - 1])}"`, 'object');
      return at(`${name} must be ${expectedWords(issue.expected)} (got ${describe(value)})`);
    case 'too_small':
    case 'too_big':
      return at(sizeMessage(issue, name, path, value));
    case 'invalid_format':
      if (issue.format === 'regex' && (issue as { pattern?: string }).pattern === String(/\S/)) return at(`${name} must not be blank`);
      return at(`${name} has the wrong format (got ${describe(value)})`);
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v));
      const hint = typeof value === 'string' ? suggest(value, issue.values.map(String)) : undefined;
      return at(`${name} must be ${oneOf(allowed)} (got ${describe(value)})${hint ? ` — did you mean "${hint}"?` : ''}`);
    }
    case 'unrecognized_keys': {
      const allowed = allowedKeys(root, path);
      return issue.keys.map((key) => {
        const hint = suggest(key, allowed);
        const help = hint ? ` — did you mean "${hint}"?` : allowed.length ? ` (allowed keys: ${allowed.map((k) => `"${k}"`).join(', ')})` : '';
        return { path: [...path, key], message: `unknown key "${key}"${help}`, target: 'key' as const };
      });
    }
    case 'invalid_key': {
      // zod skips the value of an invalid key; check it anyway so every problem shows at once.
      const record = schemaAt(root, path.slice(0, -1));
      const valueType = (record?._zod.def as { valueType?: Schema } | undefined)?.valueType;
      const result = valueType ? safeParse(valueType, value) : undefined;
      return [
        { path, message: keyMessage(String(path[path.length - 1]), path, issue.issues), target: 'key' },
        ...(result && !result.success ? result.error.issues.flatMap((i) => explain(i, path, root, input)) : []),
      ];
    }
    case 'invalid_union':
      return unionIssues(issue, path, name, value, root, input);
    default:
      return at(issue.message);
  }
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, name: string, path: (string | number)[], value: unknown): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum);
  const bound = small ? 'at least' : 'at most';
  switch (issue.origin) {
    case 'string': {
      const length = typeof value === 'string' ? value.length : 0;
      if (small && limit === 1) return `${name} must not be empty`;
      return `${name} must be ${bound} ${limit} characters long (it has ${length})`;
    }
    case 'array':
      if (small && limit === 1) return `${name} must not be an empty list${path[path.length - 1] === 'onSave' ? ' (use false to never run on save)' : ''}`;
      return `${name} must have ${bound} ${limit} items`;
    default: {
      const unit = NUMBER_UNITS[String(path[path.length - 1])]?.(limit);
      return `${name} must be ${bound} ${limit}${unit ? ` ${unit}` : ''} (got ${describe(value)})`;
    }
  }
}

function keyMessage(key: string, path: (string | number)[], reasons: readonly Issue[]): string {
  const what = path[0] === 'metrics' && path.length === 2 ? 'metric id' : 'key';
  if (key === '') return `a ${what} must not be empty`;
  const tooLong = reasons.find((r) => r.code === 'too_big');
  if (tooLong && tooLong.code === 'too_big') return `${what} "${key}" must be at most ${Number(tooLong.maximum)} characters long (it has ${key.length})`;
  const fixed = key.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  const hint = fixed && METRIC_ID_PATTERN.test(fixed) ? ` — for example "${fixed}"` : '';
  return `${what} "${key}" must use only a-z, 0-9 and "-"${hint}`;
}

/**
 * A union (onSave: boolean or list of globs) fails as a whole. When the value has the type of
 * exactly one alternative, that alternative's own problems are the useful ones.
 */
function unionIssues(
  issue: z.core.$ZodIssueInvalidUnion,
  path: (string | number)[],
  name: string,
  value: unknown,
  root: Schema,
  input: unknown,
): PlainIssue[] {
  const isTypeMismatch = (i: Issue) => i.code === 'invalid_type' && i.path.length === 0;
  const matching = issue.errors.filter((branch) => !branch.some(isTypeMismatch));
  if (matching.length === 1) return matching[0].flatMap((i) => explain(i, path, root, input));
  const expected = issue.errors
    .flatMap((branch) => branch.filter(isTypeMismatch).map((i) => (i as { expected: string }).expected))
    .flatMap((e) => (e === 'boolean' ? ['true', 'false'] : [expectedWords(e)]));
  if (expected.length === 0) return [{ path, message: `${name} is not valid (got ${describe(value)})`, target: 'value' }];
  return [{ path, message: `${name} must be ${oneOf(expected)} (got ${describe(value)})`, target: 'value' }];
}

function expectedWords(expected: string): string {
  const words: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    object: 'an object',
    array: 'a list',
    record: 'an object',
  };
  return words[expected] ?? expected;
}

function oneOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** `"timeout"`, `item 2 of "onSave"`, or `the configuration` for the root. */
function nameOf(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'the configuration';
  const last = path[path.length - 1];
  if (typeof last === 'number') return `item ${last + 1} of ${nameOf(path.slice(0, -1))}`;
  if (path[0] === 'metrics' && path.length === 2) return `metric "${last}"`;
  return `"${last}"`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  return String(value);
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let value = input;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

/** The keys the schema allows in the object at `path`. */
function allowedKeys(root: Schema, path: readonly (string | number)[]): string[] {
  const def = schemaAt(root, path)?._zod.def as { type: string; shape?: Record<string, Schema> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** The schema that validates the value at `path`, without optional/default wrappers. */
function schemaAt(root: Schema, path: readonly (string | number)[]): Schema | undefined {
  let schema: Schema | undefined = unwrap(root);
  for (const segment of path) {
    const def = schema?._zod.def as { type: string; shape?: Record<string, Schema>; valueType?: Schema; element?: Schema } | undefined;
    if (!def) return undefined;
    if (def.type === 'object') schema = def.shape?.[String(segment)];
    else if (def.type === 'record') schema = def.valueType;
    else if (def.type === 'array') schema = def.element;
    else return undefined;
    schema = schema && unwrap(schema);
  }
  return schema;
}

function unwrap(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    const def = current._zod.def as { type: string; innerType?: Schema; in?: Schema };
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

/** The closest allowed word, when it is close enough to be a likely typo. */
function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const tolerance = Math.max(1, Math.floor(Math.max(word.length, best?.length ?? 0) / 3));
  if (bestDistance <= tolerance) return best;
  // An abbreviation such as "perc" is far from "percent" by edits but obviously meant.
  return word.length >= 3 ? candidates.find((c) => c.toLowerCase().startsWith(word.toLowerCase())) : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}
