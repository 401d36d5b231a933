import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RetentionOutcome, RetentionPolicy, RetentionSliceOptions } from '../../../../src/core/store/api';
import {
  DAY_MS,
  isMaintenanceDue,
  maintenanceDueAt,
  retentionPass,
  timeZoneAction,
  type RetentionTarget,
} from '../../../../src/extension/maintenance/maintenanceSchedule';

const MINUTE = 60_000;
const t0 = Date.parse('2026-03-01T09:00:00Z');
const policy: RetentionPolicy = { rawDays: 30, commitRuns: 'all' };

test('due after the idle period since the last activity; later activity pushes it back', () => {
  const idle = 10 * MINUTE;
  const activity = { lastActivity: t0, running: false, lastMaintenance: undefined };
  assert.equal(maintenanceDueAt(activity, idle), t0 + idle);
  assert.equal(isMaintenanceDue(activity, idle, t0 + idle - 1), false);
  assert.equal(isMaintenanceDue(activity, idle, t0 + idle), true);
  const saved = { ...activity, lastActivity: t0 + 7 * MINUTE };
  assert.equal(isMaintenanceDue(saved, idle, t0 + idle), false);
  assert.equal(isMaintenanceDue(saved, idle, t0 + 17 * MINUTE), true);
});

test('at most once a day: the last maintenance holds the next one back a full day', () => {
  const idle = 10 * MINUTE;
  const lastMaintenance = t0 - 2 * 60 * MINUTE;
  const activity = { lastActivity: t0, running: false, lastMaintenance };
  assert.equal(maintenanceDueAt(activity, idle), lastMaintenance + DAY_MS);
  assert.equal(isMaintenanceDue(activity, idle, t0 + idle), false);
  assert.equal(isMaintenanceDue(activity, idle, lastMaintenance + DAY_MS), true);
  // A day later, idleness still decides.
  const busyNextDay = { ...activity, lastActivity: lastMaintenance + DAY_MS - MINUTE };
  assert.equal(isMaintenanceDue(busyNextDay, idle, lastMaintenance + DAY_MS), false);
  assert.equal(isMaintenanceDue(busyNextDay, idle, lastMaintenance + DAY_MS + 9 * MINUTE), true);
});

test('never due while a run is under way, nor when idleMinutes is 0', () => {
  const activity = { lastActivity: t0, running: true, lastMaintenance: undefined };
  assert.equal(maintenanceDueAt(activity, 10 * MINUTE), undefined);
  assert.equal(isMaintenanceDue(activity, 10 * MINUTE, t0 + DAY_MS), false);
  const idle = { ...activity, running: false };
  assert.equal(maintenanceDueAt(idle, 0), undefined);
  assert.equal(maintenanceDueAt(idle, -5), undefined);
  assert.equal(maintenanceDueAt(idle, Number.NaN), undefined);
});

test('time zone: rebuild when it differs, refused once retention deleted runs', () => {
  assert.deepEqual(timeZoneAction(undefined, 'UTC', null), { kind: 'none' });
  assert.deepEqual(timeZoneAction('Europe/Paris', 'Europe/Paris', '2026-01-01T00:00:00.000Z'), { kind: 'none' });
  assert.deepEqual(timeZoneAction('Europe/Paris', 'UTC', null), { kind: 'rebuild', from: 'UTC', to: 'Europe/Paris' });
  assert.deepEqual(timeZoneAction(undefined, 'Europe/Paris', null), { kind: 'rebuild', from: 'Europe/Paris', to: 'UTC' });
  const refused = timeZoneAction('Europe/Paris', 'UTC', '2026-01-01T00:00:00.000Z');
  assert.equal(refused.kind, 'refused');
  assert.match(refused.kind === 'refused' ? refused.reason : '', /deleted raw runs up to 2026-01-01T00:00:00.000Z.*stay in UTC/);
});

/** A store whose retention deletes `perSlice` runs per call until `total` are gone. */
function fakeStore(total: number, perSlice: number, onSlice: (calls: number) => void = () => {}) {
  let left = total;
  const calls: RetentionSliceOptions[] = [];
  const store: RetentionTarget = {
    applyRetention(p: RetentionPolicy, options: RetentionSliceOptions = {}): Promise<RetentionOutcome> {
      assert.deepEqual(p, policy);
      calls.push(options);
      const deleted = Math.min(left, perSlice);
      left -= deleted;
      onSlice(calls.length);
      return Promise.resolve({ deleted, done: left === 0 && deleted < perSlice, prunedUntil: '2026-01-15T00:00:00.000Z' });
    },
  };
  return { store, calls, left: () => left };
}

test('the pass calls bounded slices, yields between them, and stops when a slice is done', async () => {
  const { store, calls } = fakeStore(120, 50);
  let yields = 0;
  const outcome = await retentionPass(store, policy, { shouldStop: () => false, yieldToHost: async () => void yields++ });
  assert.deepEqual(outcome, { deleted: 120, slices: 3, done: true, prunedUntil: '2026-01-15T00:00:00.000Z' });
  assert.equal(yields, 2);
  assert.ok(calls.every((c) => c.maxBuilds === 50));
});

test('a run starting stops the pass before the next slice, leaving the rest for later', async () => {
  let runStarted = false;
  const { store, left } = fakeStore(500, 50, (n) => (runStarted = n === 2));
  const outcome = await retentionPass(store, policy, { shouldStop: () => runStarted, yieldToHost: async () => {} });
  assert.equal(outcome.done, false);
  assert.equal(outcome.slices, 2);
  assert.equal(outcome.deleted, 100);
  assert.equal(left(), 400);
});

test('a pass told to stop before it starts touches nothing', async () => {
  const { store, calls } = fakeStore(10, 50);
  const outcome = await retentionPass(store, policy, { shouldStop: () => true, yieldToHost: async () => {} });
  assert.deepEqual(outcome, { deleted: 0, slices: 0, done: false, prunedUntil: null });
  assert.equal(calls.length, 0);
});
