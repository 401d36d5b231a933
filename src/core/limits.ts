/**
 * Input limits: one place for how big, how deep and how long anything entering Tidemark may
 * be — a command's output (collect), a JSONL line (import), a tidemark.json, and later a note
 * from another machine (src/core/share should import these, not invent its own). Every check
 * here is linear in its input and iterative (no recursion a deep input could exhaust).
 */

export const LIMITS = {
  /** Metric ids (config keys, import metric_id, stored definitions). */
  metricIdChars: 200,
  /** A label value (same as units.ts MAX_LABEL_LENGTH). */
  labelChars: 256,
  /** Branch names (git allows more, but nothing sensible needs it). */
  branchChars: 255,
  /** Run ids (CI run ids, `import:<source>:<sha>`). */
  runIdChars: 300,
  /** A metric definition's description / display name. */
  descriptionChars: 2000,
  /** A stored failure message (stderr tail and the like). */
  messageChars: 4000,
  /** Metrics in one run. */
  metricsPerRun: 5000,
  /** Characters of a numeric value's text (a 30 MB line of digits is not a number). */
  numberChars: 400,
  /** One JSONL line (import, notes). */
  jsonlLineBytes: 64 * 1024,
  /** tidemark.json as a whole. */
  configBytes: 1024 * 1024,
  /** Nesting of any JSON document Tidemark parses. */
  jsonDepth: 64,
  /** Keys in one JSON object of a config. */
  objectKeys: 2000,
  /** Problems reported for one input before the rest are summarised in one line. */
  reportedProblems: 200,
  /** A report file a collector reads (coverage, junit, json). */
  reportFileBytes: 64 * 1024 * 1024,
  /** Years a timestamp may name. */
  minYear: 1970,
  maxYear: 9999,
} as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATE_ALL = new RegExp(LONE_SURROGATE.source, 'g');

/** True when the text has a lone UTF-16 surrogate (it cannot be stored or exported exactly). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** Problem with a piece of untrusted text, or null: a string, not empty (unless allowed), within `max` characters, well-formed UTF-16. */
export function textProblem(value: unknown, what: string, max: number, options: { allowEmpty?: boolean } = {}): string | null {
  if (typeof value !== 'string') return `${what} must be a string`;
  if (!options.allowEmpty && value.trim() === '') return `${what} must not be empty`;
  if (value.length > max) return `${what} is ${value.length} characters long, the limit is ${max}`;
  if (LONE_SURROGATE.test(value)) return `${what} contains a lone UTF-16 surrogate (text that cannot be stored exactly)`;
  return null;
}

/** Cuts a message to the limit and replaces lone surrogates so it can be stored exactly. */
export function boundedMessage(text: string, max: number = LIMITS.messageChars): string {
  const whole = text.replace(LONE_SURROGATE_ALL, '\uFFFD');
  return whole.length > max ? `${whole.slice(0, max - 1)}…` : whole;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A timestamp as stored: ISO 8601 UTC with milliseconds. Only real calendar dates (no
 * 2025-02-30), hours < 24, offsets within ±23:59, and a UTC year within the limits (so
 * every stored timestamp sorts as text and can be exported and imported again).
 */
export function parseTimestamp(value: unknown, what: string): { ok: true; iso: string } | { ok: false; message: string } {
  const bad = (why: string) => ({ ok: false as const, message: `${what}: ${JSON.stringify(value)} ${why}` });
  if (typeof value !== 'string' || value.length > 64) return bad('is not an ISO 8601 timestamp');
  const m = ISO.exec(value);
  if (!m) return bad('is not an ISO 8601 timestamp');
  const [, y, mo, d, h = '0', mi = '0', s = '0', , zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) return bad(`has no month ${month}`);
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
  if (day < 1 || day > daysInMonth) return bad(`is not a date (${y}-${mo} has ${daysInMonth} days)`);
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return bad('is not a time of day');
  if (zone && !/^[Zz]$/.test(zone)) {
    const z = /^[+-](\d{2}):?(\d{2})$/.exec(zone);
    if (!z || Number(z[1]) > 23 || Number(z[2]) > 59) return bad('has an impossible UTC offset');
  }
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(ms)) return bad('is not an ISO 8601 timestamp');
  const utcYear = new Date(ms).getUTCFullYear();
  if (utcYear < LIMITS.minYear || utcYear > LIMITS.maxYear) {
    return bad(`is outside the years ${LIMITS.minYear}–${LIMITS.maxYear} (in UTC it is year ${utcYear})`);
  }
  return { ok: true, iso: new Date(ms).toISOString() };
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Depth and size of a JSON text, scanned without parsing (iterative, linear): a problem, or
 * null. Run this before a recursive parser sees untrusted text.
 */
export function jsonShapeProblem(text: string, maxBytes: number, maxDepth: number = LIMITS.jsonDepth): string | null {
  if (text.length > maxBytes) return `it is ${text.length} characters long, the limit is ${maxBytes}`;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return `it nests deeper than ${maxDepth} levels`;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return null;
}
