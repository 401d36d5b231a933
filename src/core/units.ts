/**
 * Units: reading a metric's value out of command output, and writing it for people.
 *
 * Parsing never guesses. A value is either read exactly by the rules of its unit or rejected
 * with a reason; an ambiguous suffix such as `KB` (1000 or 1024?) is an error, not a choice.
 * Numbers are stored in base units: bytes, seconds, percent points.
 */
import { LIMITS } from './limits';
import type { MetricType, MetricValue, Unit } from './types';

export type ParseResult = { ok: true; value: MetricValue } | { ok: false; reason: string };

export const MAX_LABEL_LENGTH = LIMITS.labelChars;

const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const PLAIN_NUMBER = new RegExp(`^${NUMBER}$`);
const INFINITY = /^[+-]?Infinity$/;

const BYTE_FACTORS: Record<string, number> = {
  B: 1,
  kB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  // du -h, ls -h: a bare letter is a power of 1024.
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
  T: 1024 ** 4,
};
const AMBIGUOUS_BYTES: Record<string, string> = {
  KB: 'use kB (1000 bytes) or KiB (1024 bytes)',
  kb: 'use kB (1000 bytes) or KiB (1024 bytes)',
  mb: 'use MB (10^6 bytes) or MiB (2^20 bytes)',
  gb: 'use GB (10^9 bytes) or GiB (2^30 bytes)',
  k: 'use kB (1000 bytes), KiB or K (1024 bytes)',
};

const DURATION_FACTORS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
const DURATION_ORDER = ['h', 'm', 's', 'ms'];

function fail(reason: string): ParseResult {
  return { ok: false, reason };
}

function quote(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(shown);
}

/** The value a command printed: its last non-empty line. */
export function lastNonEmptyLine(output: string): string | undefined {
  const lines = output.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (line !== '') return line;
  }
  return undefined;
}

/** Parses one already-trimmed piece of text as a value of the given metric type and unit. */
export function parseValue(text: string, type: MetricType, unit?: Unit | null): ParseResult {
  const trimmed = text.trim();
  if (type === 'label') return parseLabel(trimmed);
  if (trimmed === '') return fail('the output is empty, expected a number');
  if (trimmed.length > LIMITS.numberChars) return fail(`the output is ${trimmed.length} characters long, not a number (the limit is ${LIMITS.numberChars})`);
  const parsed = parseNumber(trimmed, unit ?? 'decimal');
  // 1e309, 1e309%, Infinity: nothing a history can store or compare; invalid output, said so.
  if (parsed.ok && !Number.isFinite(parsed.value)) return fail(`${quote(trimmed)} is out of range (not a finite number)`);
  return parsed;
}

function parseNumber(trimmed: string, unit: Unit): ParseResult {
  switch (unit) {
    case 'decimal':
      return parseDecimal(trimmed);
    case 'integer':
      return parseInteger(trimmed);
    case 'percent':
      return parsePercent(trimmed);
    case 'bytes':
      return parseBytes(trimmed);
    case 'duration':
      return parseDuration(trimmed);
  }
}

function parseLabel(text: string): ParseResult {
  if (text === '') return fail('the output is empty, expected a label');
  if (text.length > MAX_LABEL_LENGTH) return fail(`the label is ${text.length} characters long, the limit is ${MAX_LABEL_LENGTH}`);
  return { ok: true, value: text };
}

function parseDecimal(text: string): ParseResult {
  if (INFINITY.test(text)) return { ok: true, value: text.startsWith('-') ? -Infinity : Infinity };
  if (PLAIN_NUMBER.test(text)) return { ok: true, value: Number(text) };
  return fail(`${quote(text)} is not a number`);
}

function parseInteger(text: string): ParseResult {
  if (!PLAIN_NUMBER.test(text)) return fail(`${quote(text)} is not a whole number`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) return fail(`${quote(text)} is not a whole number`);
  return { ok: true, value: n };
}

function parsePercent(text: string): ParseResult {
  const m = new RegExp(`^(${NUMBER})\\s*(%?)$`).exec(text);
  if (!m) return fail(`${quote(text)} is not a percentage (expected e.g. 85.3 or 85.3%)`);
  return { ok: true, value: Number(m[1]) };
}

function parseBytes(text: string): ParseResult {
  const m = new RegExp(`^(${NUMBER})\\s*([A-Za-z]*)$`).exec(text);
  if (!m) return fail(`${quote(text)} is not a size (expected e.g. 1234, 12.5 kB, 3.1 MiB or 4.0K)`);
  const [, number, suffix] = m;
  const n = Number(number);
  if (n < 0) return fail(`${quote(text)} is a negative size`);
  if (suffix === '') {
    if (!Number.isInteger(n)) return fail(`${quote(text)} is not a whole number of bytes`);
    return { ok: true, value: n };
  }
  if (suffix in AMBIGUOUS_BYTES) return fail(`${quote(text)}: the unit "${suffix}" is ambiguous, ${AMBIGUOUS_BYTES[suffix]}`);
  const factor = BYTE_FACTORS[suffix];
  if (factor === undefined) return fail(`${quote(text)}: unknown size unit "${suffix}" (known: ${Object.keys(BYTE_FACTORS).join(', ')})`);
  // A prefixed figure is already rounded by the tool that printed it; store whole bytes.
  return { ok: true, value: Math.round(n * factor) };
}

function parseDuration(text: string): ParseResult {
  if (PLAIN_NUMBER.test(text)) {
    const n = Number(text);
    if (n < 0) return fail(`${quote(text)} is a negative duration`);
    return { ok: true, value: n };
  }
  const part = new RegExp(`(${NUMBER})\\s*(ms|h|m|s)(?![a-zA-Z])`, 'y');
  let index = 0;
  let total = 0;
  let lastRank = -1;
  while (index < text.length) {
    part.lastIndex = index;
    const m = part.exec(text);
    if (!m) return fail(`${quote(text)} is not a duration (expected e.g. 850ms, 12.5s, 2m 3s or 1h 5m)`);
    const rank = DURATION_ORDER.indexOf(m[2]);
    if (rank <= lastRank) return fail(`${quote(text)}: duration parts must go from hours down to milliseconds, each once`);
    const n = Number(m[1]);
    if (n < 0) return fail(`${quote(text)} is a negative duration`);
    total += n * DURATION_FACTORS[m[2]];
    lastRank = rank;
    index = part.lastIndex;
    while (text[index] === ' ') index++;
  }
  return { ok: true, value: roundTo(total, 9) };
}

function roundTo(n: number, digits: number): number {
  return Number(n.toFixed(digits));
}

// ---------------------------------------------------------------------------------------
// Formatting for people
// ---------------------------------------------------------------------------------------

const SI_BYTES = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/**
 * `n` as `n.toLocaleString('en-US', { maximumFractionDigits })` writes it. When its shortest
 * decimal form has no more fraction digits than that (integers, and values already rounded with
 * toFixed, as every caller here passes), that is the form with the integer part in groups of
 * three, written here; the rest (rounding, exponents, -0) goes to Intl. The first Intl number
 * format of a process costs 15–20 ms (ICU starts up): a tenth of a one-metric `tidemark collect`.
 */
export function enUS(n: number, maximumFractionDigits = 3): string {
  const text = String(n);
  const dot = text.indexOf('.');
  if (text.includes('e') || Object.is(n, -0) || (dot >= 0 && text.length - dot - 1 > maximumFractionDigits)) {
    return n.toLocaleString('en-US', { maximumFractionDigits });
  }
  const whole = dot < 0 ? text : text.slice(0, dot);
  const digits = whole.startsWith('-') ? whole.slice(1) : whole;
  let grouped = digits.slice(0, digits.length % 3 || 3);
  for (let at = grouped.length; at < digits.length; at += 3) grouped += `,${digits.slice(at, at + 3)}`;
  return `${whole.length === digits.length ? '' : '-'}${grouped}${dot < 0 ? '' : text.slice(dot)}`;
}

function significant(n: number, digits = 3): string {
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 10 ** digits) return enUS(Math.round(n));
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return enUS(Number(n.toFixed(decimals)), decimals);
}

export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '-' : '';
  let abs = Math.abs(bytes);
  let i = 0;
  while (abs >= 1000 && i < SI_BYTES.length - 1) {
    abs /= 1000;
    i++;
  }
  if (i > 0 && Number(significant(abs).replace(/,/g, '')) >= 1000 && i < SI_BYTES.length - 1) {
    abs /= 1000;
    i++;
  }
  return `${sign}${i === 0 ? enUS(Math.round(abs)) : significant(abs)} ${SI_BYTES[i]}`;
}

export function formatDuration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  if (s === 0) return '0 s';
  if (s < 1) return `${sign}${significant(s * 1000)} ms`;
  if (s < 60) return `${sign}${significant(s)} s`;
  const totalSeconds = Math.round(s);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const rest = totalSeconds % 60;
  if (h > 0) return `${sign}${h}h ${String(m).padStart(2, '0')}m`;
  return `${sign}${m}m ${String(rest).padStart(2, '0')}s`;
}

/** A value as a person reads it: `1.21 MB`, `85.3%`, `2m 03s`, `12,345`, or the label itself. */
export function formatValue(value: MetricValue | null | undefined, unit?: Unit | null): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '-∞' : 'NaN';
  switch (unit ?? 'decimal') {
    case 'bytes':
      return formatBytes(value);
    case 'duration':
      return formatDuration(value);
    case 'percent':
      return `${enUS(Number(value.toFixed(2)), 2)}%`;
    case 'integer':
      return enUS(Math.round(value));
    case 'decimal':
      return Math.abs(value) >= 1000 || Number.isInteger(value) ? enUS(value, 2) : significant(value, 4);
  }
}

/** A difference with its sign: `+12.3 kB`, `-0.4%` (percent points), `+2 s`. */
export function formatDelta(delta: number | null | undefined, unit?: Unit | null): string {
  if (delta === null || delta === undefined || Number.isNaN(delta)) return '—';
  if (delta === 0) return `±${formatValue(0, unit)}`;
  const body = formatValue(Math.abs(delta), unit);
  return `${delta > 0 ? '+' : '-'}${body}`;
}

/** A relative change: `+2.3%`, `-0.05%`, or `—` when there is none (base 0 or missing). */
export function formatPercentChange(percent: number | null | undefined): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return '—';
  if (percent === 0) return '±0%';
  const abs = Math.abs(percent);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 0.1 ? 1 : 2;
  return `${percent > 0 ? '+' : '-'}${abs.toFixed(digits)}%`;
}
