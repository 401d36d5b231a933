/**
 * Retention: which raw runs may be deleted, found in bounded slices so a caller (the
 * extension's idle trigger, through the worker) never holds the store for long.
 *
 *   - `save` runs older than `rawDays` are deleted,
 *   - runs of other events only when `commitRuns` is a number of days and they are older,
 *   - except the last run of each (commit, branch), kept forever (`commitRuns: "all"`) or for
 *     `commitRuns` days.
 * Day, week and month rollups are never deleted: they hold what the deleted runs measured.
 * Hour rollups live as long as on-save runs (`rawDays`): hourly detail over years is what made
 * the store too big (bench: 380k of 550k rollup rows for two years), and no chart needs it.
 * Breakdowns (run_parts) live as long as on-save runs too: once the raw walk of a pass is
 * done, kept runs older than `rawDays` lose theirs, `maxBuilds` runs a slice.
 */
import type { RetentionPolicy } from './api';
import type { StoreDb } from './database';
import { META_ROLLUPS_READY } from './rollups';

const DAY = 86_400_000;
export const DEFAULT_RETENTION: RetentionPolicy = { rawDays: 30, commitRuns: 'all' };

export interface RetentionCursor {
  timestamp: string;
  id: number;
}

export function checkPolicy(policy: RetentionPolicy): void {
  if (!policy || !Number.isInteger(policy.rawDays) || policy.rawDays < 1) {
    throw new Error(`retention rawDays must be a whole number of days ≥ 1, got ${String(policy?.rawDays)}`);
  }
  if (policy.commitRuns !== 'all' && !(Number.isInteger(policy.commitRuns) && policy.commitRuns >= 1)) {
    throw new Error(`retention commitRuns must be "all" or a whole number of days ≥ 1, got ${JSON.stringify(policy.commitRuns)}`);
  }
}

/** Hour buckets deleted per slice: a week of them keeps a slice short. */
const HOUR_WINDOW = 7 * DAY;
const HOUR = 3_600_000;

export interface Slice {
  /** Runs to delete, oldest first. */
  buildIds: number[];
  newest: string | null;
  /** Hour rollups to delete: buckets starting in [from, to). */
  hourRollups: { from: number; to: number } | null;
  /** More hour rollups are due after this slice's. */
  moreHourRollups: boolean;
  /** Kept runs older than rawDays whose breakdowns go. */
  partsBuildIds: number[];
  /** More breakdowns are due after this slice's. */
  moreParts: boolean;
  /** Where the next slice continues; null when this one reached the end. */
  next: RetentionCursor | null;
}

/** Examines at most `maxBuilds` candidate runs after `cursor` and returns those to delete. */
export function retentionSlice(store: StoreDb, policy: RetentionPolicy, now: number, maxBuilds: number, cursor: RetentionCursor | null): Slice {
  checkPolicy(policy);
  if (store.getMeta(META_ROLLUPS_READY) !== '1') throw new Error('rollups are not built yet: retention would lose data (run tidemark rollup --rebuild)');
  const saveCutoff = new Date(now - policy.rawDays * DAY).toISOString();
  const commitCutoff = policy.commitRuns === 'all' ? null : new Date(now - policy.commitRuns * DAY).toISOString();
  const start = cursor ?? { timestamp: '', id: 0 };
  const candidates = store.all(
    `SELECT b.id, b.timestamp, b.commit_sha, b.branch, b.event_name FROM build_contexts b
     WHERE (b.timestamp, b.id) > (?, ?) AND b.timestamp < ?
       AND (b.event_name = 'save' OR b.timestamp < ?)
     ORDER BY b.timestamp, b.id LIMIT ?`,
    [start.timestamp, start.id, commitCutoff !== null && commitCutoff > saveCutoff ? commitCutoff : saveCutoff, commitCutoff ?? '', maxBuilds],
  );
  const buildIds: number[] = [];
  let newest: string | null = null;
  for (const [id, timestamp, commitSha, branch, event] of candidates) {
    const ts = String(timestamp);
    const isLastOfCommit = !store.one(
      `SELECT 1 FROM build_contexts n WHERE n.commit_sha = ? AND n.branch = ? AND (n.timestamp, n.id) > (?, ?) LIMIT 1`,
      [commitSha, branch, ts, id],
    );
    const protectedRun = isLastOfCommit && (commitCutoff === null || ts >= commitCutoff);
    const expired = event === 'save' ? ts < saveCutoff : commitCutoff !== null && ts < commitCutoff;
    if (protectedRun || !expired) continue;
    buildIds.push(Number(id));
    newest = ts;
  }
  const lastRow = candidates[candidates.length - 1];
  // Hour buckets that ended before the on-save cutoff go too: their detail is what raw runs gave.
  const hourLimit = now - policy.rawDays * DAY - HOUR;
  const oldestHour = store.one("SELECT MIN(bucket_start) FROM run_rollups WHERE grain = 'hour'")?.[0];
  const hourFrom = oldestHour === null || oldestHour === undefined ? null : Number(oldestHour);
  const hourRollups = hourFrom !== null && hourFrom < hourLimit ? { from: hourFrom, to: Math.min(hourFrom + HOUR_WINDOW, hourLimit) } : null;
  if (hourRollups && (newest === null || Date.parse(newest) < hourRollups.to)) newest = new Date(hourRollups.to).toISOString();
  // After the raw walk: breakdowns of the kept runs older than the on-save cutoff.
  const partsBuildIds =
    candidates.length < maxBuilds
      ? store
          .all(
            `SELECT p.build_id FROM run_parts p CROSS JOIN build_contexts b ON b.id = p.build_id
             WHERE b.timestamp < ? LIMIT ?`,
            [saveCutoff, maxBuilds],
          )
          .map((row) => Number(row[0]))
          .filter((id) => !buildIds.includes(id))
      : [];
  return {
    buildIds,
    newest,
    hourRollups,
    partsBuildIds,
    moreParts: partsBuildIds.length >= maxBuilds,
    moreHourRollups: hourRollups !== null && hourRollups.to < hourLimit,
    next: candidates.length < maxBuilds ? null : { timestamp: String(lastRow[1]), id: Number(lastRow[0]) },
  };
}
