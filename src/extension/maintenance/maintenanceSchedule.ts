/**
 * When background maintenance runs, and the sliced retention pass itself, with no `vscode`
 * import so both are unit-tested with an injected clock and a fake store.
 */
import type { RetentionOutcome, RetentionPolicy, RetentionSliceOptions } from '../../core/store/api';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Runs examined per retention call: one call stays well under 50 ms in the worker (docs/storage.md). */
export const RETENTION_SLICE_RUNS = 50;

export interface FolderActivity {
  /** Last run, save or config edit in the folder (epoch ms); activation counts as activity. */
  lastActivity: number;
  /** A run is under way in the folder. */
  running: boolean;
  /** When maintenance last completed in the folder (epoch ms), if ever. */
  lastMaintenance: number | undefined;
}

/**
 * When maintenance should start: after `idleMs` without activity and at least a day after the
 * last completed maintenance. Undefined when it is off (`idleMs` ≤ 0) or a run is under way
 * (the run's end is new activity, which reschedules).
 */
export function maintenanceDueAt(activity: FolderActivity, idleMs: number): number | undefined {
  if (!(idleMs > 0) || activity.running) return undefined;
  const afterIdle = activity.lastActivity + idleMs;
  return activity.lastMaintenance === undefined ? afterIdle : Math.max(afterIdle, activity.lastMaintenance + DAY_MS);
}

export function isMaintenanceDue(activity: FolderActivity, idleMs: number, now: number): boolean {
  const due = maintenanceDueAt(activity, idleMs);
  return due !== undefined && now >= due;
}

export type TimeZoneAction =
  | { kind: 'none' }
  | { kind: 'rebuild'; from: string; to: string }
  | { kind: 'refused'; from: string; to: string; reason: string };

/**
 * Whether the rollups must be re-bucketed for the config's time zone. The store refuses once
 * retention deleted runs (their buckets cannot be recomputed), so that is decided up front.
 */
export function timeZoneAction(configZone: string | undefined, storeZone: string, prunedUntil: string | null): TimeZoneAction {
  const to = configZone ?? 'UTC';
  if (to === storeZone) return { kind: 'none' };
  if (prunedUntil === null) return { kind: 'rebuild', from: storeZone, to };
  return {
    kind: 'refused',
    from: storeZone,
    to,
    reason: `retention already deleted raw runs up to ${prunedUntil}, so the rollups stay in ${storeZone}`,
  };
}

export interface RetentionTarget {
  applyRetention(policy: RetentionPolicy, options?: RetentionSliceOptions): Promise<RetentionOutcome>;
}

export interface RetentionPassOptions {
  /** Checked before every slice: true stops the pass (a run started, the extension is going away). */
  shouldStop: () => boolean;
  /** Between slices, so the host's event loop turns (setImmediate in the extension). */
  yieldToHost: () => Promise<void>;
  maxBuilds?: number;
  now?: string;
}

export interface RetentionPassOutcome {
  deleted: number;
  slices: number;
  /** Every slice said `done`: nothing more to delete. */
  done: boolean;
  prunedUntil: string | null;
}

/** Calls applyRetention slice by slice until done or told to stop; the store resumes a stopped pass. */
export async function retentionPass(store: RetentionTarget, policy: RetentionPolicy, options: RetentionPassOptions): Promise<RetentionPassOutcome> {
  const outcome: RetentionPassOutcome = { deleted: 0, slices: 0, done: false, prunedUntil: null };
  while (!options.shouldStop()) {
    const slice = await store.applyRetention(policy, { maxBuilds: options.maxBuilds ?? RETENTION_SLICE_RUNS, now: options.now });
    outcome.slices++;
    outcome.deleted += slice.deleted;
    outcome.prunedUntil = slice.prunedUntil;
    if (slice.done) {
      outcome.done = true;
      break;
    }
    await options.yieldToHost();
  }
  return outcome;
}
