import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bucketer, GRAINS } from '../../src/core/buckets';

const at = (iso: string) => Date.parse(iso);
const starts = (b: Bucketer, iso: string) => Object.fromEntries(GRAINS.map((g) => [g, new Date(b.start(at(iso), g)).toISOString()]));

test('UTC buckets: hour, day, ISO week (Monday) and month', () => {
  assert.deepEqual(starts(new Bucketer('UTC'), '2025-01-01T13:45:10.123Z'), {
    hour: '2025-01-01T13:00:00.000Z',
    day: '2025-01-01T00:00:00.000Z',
    week: '2024-12-30T00:00:00.000Z',
    month: '2025-01-01T00:00:00.000Z',
  });
  assert.equal(new Date(new Bucketer('UTC').start(at('2025-03-02T23:59:59Z'), 'week')).toISOString(), '2025-02-24T00:00:00.000Z', 'Sunday belongs to the week before');
});

test('a fall-back night has two distinct local 02:00 hours; a spring-forward day is 23 hours', () => {
  const paris = new Bucketer('Europe/Paris');
  assert.equal(new Date(paris.start(at('2025-10-26T00:30:00Z'), 'hour')).toISOString(), '2025-10-26T00:00:00.000Z');
  assert.equal(new Date(paris.start(at('2025-10-26T01:30:00Z'), 'hour')).toISOString(), '2025-10-26T01:00:00.000Z');
  assert.equal(new Date(paris.start(at('2025-10-26T12:00:00Z'), 'day')).toISOString(), '2025-10-25T22:00:00.000Z');
  assert.equal(new Date(paris.start(at('2025-10-27T12:00:00Z'), 'day')).toISOString(), '2025-10-26T23:00:00.000Z', 'a 25-hour day');
  assert.equal(new Date(paris.start(at('2025-03-30T21:59:59Z'), 'day')).toISOString(), '2025-03-29T23:00:00.000Z');
});

test('a day whose midnight does not exist starts when the clocks jump; half-hour zones bucket hours at :30 UTC', () => {
  // Chile moved from 00:00 -04 to 01:00 -03 on 8 September 2024.
  const santiago = new Bucketer('America/Santiago');
  assert.equal(new Date(santiago.start(at('2024-09-08T12:00:00Z'), 'day')).toISOString(), '2024-09-08T04:00:00.000Z');
  assert.equal(new Date(santiago.start(at('2024-09-07T12:00:00Z'), 'day')).toISOString(), '2024-09-07T04:00:00.000Z');
  const kolkata = new Bucketer('Asia/Kolkata');
  assert.deepEqual(starts(kolkata, '2025-01-01T10:10:00Z'), {
    hour: '2025-01-01T09:30:00.000Z',
    day: '2024-12-31T18:30:00.000Z',
    week: '2024-12-29T18:30:00.000Z',
    month: '2024-12-31T18:30:00.000Z',
  });
});

test('cached starts equal freshly computed ones across a DST transition, minute by minute', () => {
  const cached = new Bucketer('America/New_York');
  for (let t = at('2025-03-09T05:00:00Z'); t < at('2025-03-09T09:00:00Z'); t += 60_000) {
    const fresh = new Bucketer('America/New_York');
    assert.deepEqual(cached.starts(t), GRAINS.map((g) => fresh.start(t, g)), new Date(t).toISOString());
  }
  assert.throws(() => new Bucketer('Nowhere/Special'), /unknown time zone "Nowhere\/Special"/);
});

test('in UTC too, every instant of a quarter hour gets one cached starts array, equal to the fresh starts, across a month end', () => {
  const cached = new Bucketer('UTC');
  let previous: readonly number[] | null = null;
  for (let t = at('2025-01-31T23:00:00Z'); t < at('2025-02-01T01:00:00Z'); t += 30_000) {
    const starts = cached.starts(t);
    assert.deepEqual(starts, GRAINS.map((g) => new Bucketer('UTC').start(t, g)), new Date(t).toISOString());
    if (previous && t % (15 * 60_000) !== 0) assert.equal(starts, previous, `the same array within a quarter hour (${new Date(t).toISOString()})`);
    if (t % (15 * 60_000) === 0) assert.notEqual(starts, previous);
    previous = starts;
  }
});
