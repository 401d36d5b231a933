/**
 * Answers of one report page that read git and the store (HEAD's limits for the Trends bands,
 * HEAD's baseline run for the header, the Overview and Compare), computed once per recorded
 * state instead of once per request. An answer is reused while no run was recorded, the checked
 * out branch and the caller's key are the same, and it is younger than STATE_TTL_MS (a commit or
 * a merge on the same branch, which the store does not see, shows after that at the latest; the
 * extension also starts a new page backend when HEAD moves). "No run recorded" is read off the
 * per-branch run counts the caller already has (store.branches()).
 */
import type { ReportSource } from './backend';

/** How long an answer is reused when nothing was recorded meanwhile. */
export const STATE_TTL_MS = 10_000;

/** Entries kept per cache (one per head and reference pair a page asks about). */
const MAX_ENTRIES = 8;

export interface RecordedState {
  builds: number;
  lastRun: string;
}

export class RecordedStateCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();
  /** How many answers were computed (not reused); tests and the bench read it. */
  computed = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async get(source: ReportSource, recorded: readonly RecordedState[], key: string, compute: () => Promise<T>): Promise<T> {
    const builds = recorded.reduce((n, b) => n + b.builds, 0);
    const lastRun = recorded.reduce((last, b) => (b.lastRun > last ? b.lastRun : last), '');
    const full = `${builds}|${lastRun}|${await source.currentBranch()}|${key}`;
    const at = this.now();
    const entry = this.entries.get(full);
    if (entry && at - entry.at < STATE_TTL_MS) return entry.value;
    this.computed++;
    const value = compute();
    this.entries.delete(full);
    this.entries.set(full, { at, value });
    // The oldest answers go first; they belong to states already left behind.
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    // A failed answer is not remembered.
    value.catch(() => {
      if (this.entries.get(full)?.value === value) this.entries.delete(full);
    });
    return value;
  }
}
