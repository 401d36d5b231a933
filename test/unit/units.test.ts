import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  enUS,
  formatDelta,
  formatDuration,
  formatPercentChange,
  formatValue,
  lastNonEmptyLine,
  parseValue,
  type ParseResult,
} from '../../src/core/units';
import type { MetricType, Unit } from '../../src/core/types';

function value(text: string, unit?: Unit, type: MetricType = 'numeric'): unknown {
  const r = parseValue(text, type, unit);
  assert.ok(r.ok, `expected ${JSON.stringify(text)} (${unit}) to parse, got: ${(r as { reason?: string }).reason}`);
  return r.value;
}

function reason(text: string, unit?: Unit, type: MetricType = 'numeric'): string {
  const r: ParseResult = parseValue(text, type, unit);
  assert.equal(r.ok, false, `expected ${JSON.stringify(text)} (${unit}) to be rejected`);
  return (r as { reason: string }).reason;
}

test('the value is the last non-empty line of the output', () => {
  assert.equal(lastNonEmptyLine('building...\n42\n\n  \n'), '42');
  assert.equal(lastNonEmptyLine('a\r\nb\r\n'), 'b');
  assert.equal(lastNonEmptyLine('\n \n'), undefined);
});

test('plain, signed and scientific numbers for decimals; Infinity and overflow are invalid', () => {
  assert.equal(value('3.25'), 3.25);
  assert.equal(value('-0.5', 'decimal'), -0.5);
  assert.equal(value('1e3', 'decimal'), 1000);
  assert.equal(value('2.5E-2', 'decimal'), 0.025);
  assert.equal(value('.5', 'decimal'), 0.5);
  assert.match(reason('Infinity', 'decimal'), /out of range/);
  assert.match(reason('-Infinity', 'decimal'), /out of range/);
  assert.match(reason('1e309', 'decimal'), /out of range/);
  assert.match(reason('12abc', 'decimal'), /not a number/);
  assert.match(reason('NaN', 'decimal'), /not a number/);
  assert.match(reason('1,234', 'decimal'), /not a number/);
  assert.match(reason('', 'decimal'), /empty/);
});

test('integers must be whole', () => {
  assert.equal(value('1200', 'integer'), 1200);
  assert.equal(value('1e3', 'integer'), 1000);
  assert.match(reason('12.5', 'integer'), /whole number/);
  assert.match(reason('Infinity', 'integer'), /whole number/);
});

test('percent accepts a bare number or a trailing %', () => {
  assert.equal(value('85.3%', 'percent'), 85.3);
  assert.equal(value('85.3 %', 'percent'), 85.3);
  assert.equal(value('85.3', 'percent'), 85.3);
  assert.match(reason('85.3‰', 'percent'), /not a percentage/);
});

test('bytes: SI prefixes are powers of 1000, IEC and bare letters powers of 1024', () => {
  assert.equal(value('1234', 'bytes'), 1234);
  assert.equal(value('12 B', 'bytes'), 12);
  assert.equal(value('1.5 kB', 'bytes'), 1500);
  assert.equal(value('2.5MB', 'bytes'), 2_500_000);
  assert.equal(value('1 GB', 'bytes'), 1e9);
  assert.equal(value('1 KiB', 'bytes'), 1024);
  assert.equal(value('3 MiB', 'bytes'), 3 * 1024 * 1024);
  assert.equal(value('4.0K', 'bytes'), 4096);
  assert.equal(value('1.5M', 'bytes'), 1_572_864);
  assert.equal(value('2G', 'bytes'), 2 * 1024 ** 3);
  assert.match(reason('12 KB', 'bytes'), /ambiguous.*kB.*KiB/);
  assert.match(reason('12 mb', 'bytes'), /ambiguous/);
  assert.match(reason('12 XB', 'bytes'), /unknown size unit "XB"/);
  assert.match(reason('12.5', 'bytes'), /whole number of bytes/);
  assert.match(reason('-3 kB', 'bytes'), /negative/);
  assert.match(reason('2.5MB total', 'bytes'), /not a size/);
});

test('durations are stored in seconds; a bare number means seconds', () => {
  assert.equal(value('12', 'duration'), 12);
  assert.equal(value('850ms', 'duration'), 0.85);
  assert.equal(value('1.5s', 'duration'), 1.5);
  assert.equal(value('2m', 'duration'), 120);
  assert.equal(value('2m 3s', 'duration'), 123);
  assert.equal(value('1h2m3.5s', 'duration'), 3723.5);
  assert.equal(value('1h 250ms', 'duration'), 3600.25);
  assert.match(reason('3s 2m', 'duration'), /from hours down/);
  assert.match(reason('2m 2m', 'duration'), /from hours down/);
  assert.match(reason('5 min', 'duration'), /not a duration/);
  assert.match(reason('2 minutes', 'duration'), /not a duration/);
  assert.match(reason('-2s', 'duration'), /negative/);
});

test('labels are trimmed and at most 256 characters', () => {
  assert.equal(value('  passing \n', undefined, 'label'), 'passing');
  assert.equal(value('<img src=x onerror=alert(1)>', undefined, 'label'), '<img src=x onerror=alert(1)>');
  assert.match(reason('x'.repeat(257), undefined, 'label'), /257 characters/);
  assert.match(reason('   ', undefined, 'label'), /empty/);
});

test('values are formatted by unit', () => {
  assert.equal(formatValue(1_210_000, 'bytes'), '1.21 MB');
  assert.equal(formatValue(999, 'bytes'), '999 B');
  assert.equal(formatValue(999_999, 'bytes'), '1 MB');
  assert.equal(formatValue(12_345, 'bytes'), '12.3 kB');
  assert.equal(formatValue(85.333, 'percent'), '85.33%');
  assert.equal(formatValue(12345, 'integer'), '12,345');
  assert.equal(formatValue(0.85, 'duration'), '850 ms');
  assert.equal(formatValue(12.34, 'duration'), '12.3 s');
  assert.equal(formatValue(123, 'duration'), '2m 03s');
  assert.equal(formatDuration(3723), '1h 02m');
  assert.equal(formatValue(3.14159, 'decimal'), '3.142');
  assert.equal(formatValue(Infinity), '∞');
  assert.equal(formatValue('passing'), 'passing');
  assert.equal(formatValue(null, 'bytes'), '—');
});

test('deltas carry their sign', () => {
  assert.equal(formatDelta(12_300, 'bytes'), '+12.3 kB');
  assert.equal(formatDelta(-0.4, 'percent'), '-0.4%');
  assert.equal(formatDelta(0, 'integer'), '±0');
  assert.equal(formatPercentChange(2.345), '+2.3%');
  assert.equal(formatPercentChange(-0.05), '-0.05%');
  assert.equal(formatPercentChange(null), '—');
});

test('enUS writes what toLocaleString("en-US") writes, without starting ICU for the common case', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const values: number[] = [0, -0, 1, -1, 999, 1000, -1000, 999_999, 1_000_000, 123_456_789, 2 ** 53, 1e21, 1e22, -1e21, 1e-7, 0.5, -0.25, 1.005, 1234.565];
  for (let i = 0; i < 5_000; i++) {
    const magnitude = 10 ** Math.floor(random() * 24 - 3);
    const raw = (random() - 0.3) * magnitude;
    values.push(raw, Math.round(raw), Number(raw.toFixed(Math.floor(random() * 7))));
  }
  for (const v of values) {
    for (const digits of [0, 1, 2, 3, 4, 6]) {
      assert.equal(enUS(v, digits), v.toLocaleString('en-US', { maximumFractionDigits: digits }), `${v} with at most ${digits} fraction digits`);
    }
    assert.equal(enUS(v), v.toLocaleString('en-US'), String(v));
  }
});
