/**
 * Rollup bucket boundaries: hour, day, ISO week (Monday) and month, in UTC or in an IANA time
 * zone. Offsets come from Intl.DateTimeFormat and are cached per UTC day (with the exact
 * transition instant on the few days a zone changes offset), so bucketing millions of values
 * costs a handful of Intl calls per day of history. Buckets are instants (epoch ms, UTC).
 */
export type Grain = 'hour' | 'day' | 'week' | 'month';
export const GRAINS: readonly Grain[] = ['hour', 'day', 'week', 'month'];

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const QUARTER_HOUR = 15 * MINUTE;

interface DayOffsets {
  start: number;
  end: number;
  /** First instant with the `end` offset, when the day has a transition. */
  transition?: number;
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Throws a clear error for a name Intl does not know. */
export function checkTimeZone(timeZone: string): void {
  // UTC needs no check, and the first Intl.DateTimeFormat of a process costs ~10–50 ms (ICU).
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone }).format(0);
  } catch {
    throw new Error(`unknown time zone "${timeZone}" (use an IANA name such as Europe/Paris, or UTC)`);
  }
}

export class Bucketer {
  private readonly utc: boolean;
  private readonly format?: Intl.DateTimeFormat;
  private readonly days = new Map<number, DayOffsets>();
  /** Bucket starts per quarter hour of UTC time, valid when no offset change falls inside it. */
  private readonly quarters = new Map<number, number[]>();

  constructor(readonly timeZone: string) {
    checkTimeZone(timeZone);
    this.utc = timeZone === 'UTC' || timeZone === 'Etc/UTC';
    if (!this.utc) {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    }
  }

  /**
   * Starts of the buckets containing `ms`, in GRAINS order: the same array for every instant of
   * a quarter hour without an offset change (callers may compare it by identity, never change it).
   */
  starts(ms: number): readonly number[] {
    const quarter = Math.floor(ms / QUARTER_HOUR);
    let cached = this.quarters.get(quarter);
    if (!cached) {
      const compute = (t: number) => GRAINS.map((g) => this.start(t, g));
      cached = compute(ms);
      const first = quarter * QUARTER_HOUR;
      const same = this.offset(first) === this.offset(first + QUARTER_HOUR - 1) && mod(this.offset(first), QUARTER_HOUR) === 0;
      if (!same) return cached;
      if (this.quarters.size > 200_000) this.quarters.clear();
      this.quarters.set(quarter, cached);
    }
    return cached;
  }

  /** Start (epoch ms) of the bucket of `grain` that contains `ms`. */
  start(ms: number, grain: Grain): number {
    const offset = this.offset(ms);
    if (grain === 'hour') return ms - mod(ms + offset, HOUR);
    const local = ms + offset;
    const localDay = local - mod(local, DAY);
    if (grain === 'day') return this.toInstant(localDay);
    if (grain === 'week') return this.toInstant(localDay - mod(new Date(localDay).getUTCDay() + 6, 7) * DAY);
    const d = new Date(localDay);
    return this.toInstant(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  }

  /** Offset (ms) of the zone from UTC at instant `ms`. */
  offset(ms: number): number {
    if (this.utc) return 0;
    const day = Math.floor(ms / DAY);
    let entry = this.days.get(day);
    if (!entry) {
      const start = this.rawOffset(day * DAY);
      const end = this.rawOffset(day * DAY + DAY - 1000);
      entry = { start, end };
      if (start !== end) entry.transition = this.findTransition(day * DAY, day * DAY + DAY - 1000);
      if (this.days.size > 100_000) this.days.clear();
      this.days.set(day, entry);
    }
    return entry.transition === undefined || ms < entry.transition ? entry.start : entry.end;
  }

  /** The instant whose wall-clock time in the zone is `local` (a wall time written as UTC ms). */
  private toInstant(local: number): number {
    if (this.utc) return local;
    const candidates = [local - this.offset(local - 14 * HOUR), local - this.offset(local + 14 * HOUR)].filter(
      (t) => t + this.offset(t) === local,
    );
    if (candidates.length) return Math.min(...candidates);
    // The wall time does not exist (clocks jumped over it): the bucket starts at the jump.
    return this.findTransition(local - 14 * HOUR, local + 14 * HOUR);
  }

  /** First instant in (from, to] whose offset differs from the offset at `from` (to the second). */
  private findTransition(from: number, to: number): number {
    const before = this.rawOffset(from);
    let low = from;
    let high = to;
    while (high - low > 1000) {
      const mid = low + Math.floor((high - low) / 2000) * 1000;
      if (this.rawOffset(mid) === before) low = mid;
      else high = mid;
    }
    return high;
  }

  private rawOffset(ms: number): number {
    const parts = this.format!.formatToParts(new Date(ms));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return wall - (ms - mod(ms, 1000));
  }
}
