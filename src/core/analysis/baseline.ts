/**
 * Which earlier run a value is judged against.
 *
 * Off the reference branch: the run of `git merge-base HEAD <reference>`; if that commit has no
 * clean run (for a metric), the nearest earlier clean run among its first-parent ancestors
 * whose commit is at most `baseline.maxAgeDays` older than the merge-base. On the reference
 * branch: the newest clean run of an earlier first-parent commit. With no common history
 * (unrelated branches, commits unknown to this clone): the newest clean run recorded on the
 * reference branch within maxAgeDays. Dirty runs never serve as a baseline.
 */
import type { BuildsQuery, StoreApi } from '../store/api';
import type { BuildRecord, TidemarkConfig } from '../types';
import { ancestors, checkedOut, defaultBranch, mergeBase, referenceRef, resolveCommit, SHA_RE } from '../git';

/** `explicit`: the ref given by `check --base` (its newest commit with a clean run). */
export type BaselineMethod = 'merge-base' | 'nearest-reference' | 'previous-commit' | 'latest-reference' | 'explicit';

export interface Baseline {
  build: BuildRecord;
  method: BaselineMethod;
  referenceBranch: string;
  /** One sentence: which run, and why that one. */
  explanation: string;
  /** Why that one, without naming the run (baselineReason). */
  reason: string;
}

/** How far back first-parent walks go; older history is not a meaningful baseline. */
export const MAX_WALK = 200;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface BaselineHead {
  commitSha: string | null;
  branch: string | null;
}

/** The ordered commits a baseline may come from, computed once and shared by every metric. */
export interface BaselinePlan {
  referenceBranch: string | null;
  head: BaselineHead;
  mergeBase: string | null;
  candidates: { sha: string; method: Exclude<BaselineMethod, 'latest-reference'>; distance: number }[];
  /** The ref given for an explicit baseline. */
  explicitRef?: string;
  /** Set when git cannot relate HEAD to the reference branch: use its newest run since this time. */
  latestSince: string | null;
  /** Why there can be no baseline at all (no reference branch). */
  unavailable: string | null;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

export async function planBaseline(o: { cwd: string; config: TidemarkConfig; head: BaselineHead; now?: Date }): Promise<BaselinePlan> {
  const { cwd, config, head } = o;
  const now = o.now ?? new Date();
  const maxAgeMs = config.baseline.maxAgeDays * DAY_MS;
  const referenceBranch = config.baseline.referenceBranch ?? (await defaultBranch(cwd));
  const plan: BaselinePlan = { referenceBranch, head, mergeBase: null, candidates: [], latestSince: null, unavailable: null };
  if (!referenceBranch) {
    plan.unavailable = 'no reference branch: set baseline.referenceBranch in tidemark.json (no origin/HEAD, main or master here)';
    return plan;
  }
  // A run's commit is a full sha already: git's walk and merge-base below fail for one this clone
  // lacks, which falls back as a failed lookup would. Only another spelling is resolved first.
  const headSha = head.commitSha && (SHA_RE.test(head.commitSha) ? head.commitSha : await resolveCommit(cwd, head.commitSha));
  const latestFallback = () => {
    plan.latestSince = new Date(now.getTime() - maxAgeMs).toISOString();
    return plan;
  };
  if (!headSha) return latestFallback();

  if (head.branch === referenceBranch) {
    const history = await ancestors(cwd, headSha, { max: MAX_WALK + 1, firstParent: true });
    if (history.length === 0) return latestFallback();
    plan.candidates = history.slice(1).map((c, i) => ({ sha: c.sha, method: 'previous-commit', distance: i + 1 }));
    return plan;
  }

  const ref = await referenceRef(cwd, referenceBranch);
  const base = ref ? await mergeBase(cwd, headSha, ref) : null;
  if (!base) return latestFallback();
  plan.mergeBase = base;
  const history = await ancestors(cwd, base, { max: MAX_WALK + 1, firstParent: true });
  // The walk starts at the merge-base itself, with its commit time.
  const baseTime = history[0]?.sha === base ? Date.parse(history[0].time) : NaN;
  plan.candidates = [{ sha: base, method: 'merge-base', distance: 0 }];
  history.slice(1).forEach((c, i) => {
    if (Number.isNaN(baseTime) || baseTime - Date.parse(c.time) <= maxAgeMs) {
      plan.candidates.push({ sha: c.sha, method: 'nearest-reference', distance: i + 1 });
    }
  });
  return plan;
}

export interface BaselineChoice {
  /** The chosen clean run's point (for a metric) or build (for the whole run). */
  buildId: number;
  commitSha: string;
  method: BaselineMethod;
  distance: number;
}

interface RunLike {
  buildId: number;
  commitSha: string;
  branch: string;
  dirty: boolean;
  timestamp: string;
}

function newestFirst<T extends RunLike>(runs: readonly T[]): T[] {
  return [...runs].sort((a, b) => (a.timestamp === b.timestamp ? b.buildId - a.buildId : a.timestamp < b.timestamp ? 1 : -1));
}

/** Picks the baseline run among `runs` (any branch; dirty ones are ignored) following the plan. */
export function chooseBaseline<T extends RunLike>(plan: BaselinePlan, runs: readonly T[]): (BaselineChoice & { run: T }) | null {
  const clean = newestFirst(runs.filter((r) => !r.dirty));
  if (plan.latestSince !== null) {
    const since = plan.latestSince;
    const run = clean.find((r) => r.branch === plan.referenceBranch && r.timestamp >= since && r.commitSha !== plan.head.commitSha);
    return run ? { run, buildId: run.buildId, commitSha: run.commitSha, method: 'latest-reference', distance: 0 } : null;
  }
  const byCommit = new Map<string, T>();
  for (const r of clean) if (!byCommit.has(r.commitSha)) byCommit.set(r.commitSha, r);
  for (const c of plan.candidates) {
    const run = byCommit.get(c.sha);
    if (run) return { run, buildId: run.buildId, commitSha: c.sha, method: c.method, distance: c.distance };
  }
  return null;
}

function when(timestamp: string): string {
  return timestamp.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
}

/** A sentence naming the baseline run and how it was chosen. */
export function explainBaseline(plan: BaselinePlan, choice: BaselineChoice, build: { branch: string; timestamp: string }): string {
  return `baseline ${shortSha(choice.commitSha)} (${build.branch}, ${when(build.timestamp)}) = ${baselineReason(plan, choice)}`;
}

/**
 * Why this run is the baseline, without the run itself: "merge-base of HEAD and main". A
 * sentence that already names the run (the tree's tooltip) says "…, the " + this.
 */
export function baselineReason(plan: BaselinePlan, choice: BaselineChoice): string {
  const ref = plan.referenceBranch ?? '?';
  switch (choice.method) {
    case 'merge-base':
      return `merge-base of HEAD and ${ref}`;
    case 'nearest-reference':
      return `nearest earlier clean run on ${ref}, ${choice.distance} commit${choice.distance === 1 ? '' : 's'} before merge-base ${shortSha(plan.mergeBase ?? '')}, which has none`;
    case 'previous-commit':
      return choice.distance === 1 ? `previous commit on ${ref}` : `latest earlier commit on ${ref} with a clean run (${choice.distance} commits back)`;
    case 'latest-reference':
      return `latest clean run of ${ref} (no common git history with HEAD here)`;
    case 'explicit':
      return choice.distance === 0 ? `--base ${plan.explicitRef}` : `newest clean run of --base ${plan.explicitRef}, ${choice.distance} commit${choice.distance === 1 ? '' : 's'} back`;
  }
}

/** Why no baseline could be found, as a user reads it. */
export function explainMissingBaseline(plan: BaselinePlan, what = 'a clean run'): string {
  if (plan.unavailable) return plan.unavailable;
  if (plan.explicitRef !== undefined) return `no baseline: neither ${plan.explicitRef} nor its recent first-parent history has ${what}`;
  const ref = plan.referenceBranch ?? '?';
  if (plan.latestSince !== null) return `no baseline: HEAD shares no git history with ${ref} here and ${ref} has no ${what} since ${plan.latestSince.slice(0, 10)}`;
  if (plan.mergeBase) return `no baseline: neither merge-base ${shortSha(plan.mergeBase)} nor an earlier commit of ${ref} within baseline.maxAgeDays has ${what}`;
  return `no baseline: no earlier commit on ${ref} has ${what}`;
}

export function shortMethod(choice: { commitSha: string; method: BaselineMethod }, plan?: BaselinePlan): string {
  const how = choice.method === 'explicit' ? `--base ${plan?.explicitRef ?? ''}` : choice.method;
  return `baseline ${shortSha(choice.commitSha)} = ${how}`;
}

/** A plan for a baseline the user named: that ref's commit, walking back its first parents. */
export async function explicitPlan(o: { cwd: string; ref: string; head: BaselineHead; referenceBranch: string | null; storeCommit: string | null }): Promise<BaselinePlan | null> {
  const sha = (await resolveCommit(o.cwd, o.ref)) ?? o.storeCommit;
  if (!sha) return null;
  const history = await ancestors(o.cwd, sha, { max: MAX_WALK, firstParent: true });
  const commits = history.length ? history.map((c) => c.sha) : [sha];
  return {
    referenceBranch: o.referenceBranch ?? o.ref,
    head: o.head,
    mergeBase: null,
    candidates: commits.map((c, i) => ({ sha: c, method: 'explicit', distance: i })),
    latestSince: null,
    unavailable: null,
    explicitRef: o.ref,
  };
}

async function headOf(cwd: string, store: StoreApi, headBranch?: string): Promise<BaselineHead> {
  const head = await checkedOut(cwd);
  const sha = head?.sha ?? null;
  const branch = headBranch ?? head?.branch ?? null;
  if (branch || !sha) return { commitSha: sha, branch };
  // Detached HEAD (CI): the branch the latest run of this commit was recorded under.
  const run = await store.resolveRef(sha);
  return { commitSha: sha, branch: run?.branch ?? null };
}

/** The run-level baseline of HEAD: the first candidate commit with any clean run. */
export async function findBaseline(o: { cwd: string; store: StoreApi; config: TidemarkConfig; headBranch?: string }): Promise<Baseline | null> {
  const head = await headOf(o.cwd, o.store, o.headBranch);
  const plan = await planBaseline({ cwd: o.cwd, config: o.config, head });
  return baselineFromPlan(plan, o.store);
}

/**
 * The run-level baseline: the newest clean run of the first candidate commit that has one
 * (any metric). `excludeBuildId` is the run being judged, which is never its own baseline.
 */
export async function baselineFromPlan(plan: BaselinePlan, store: StoreApi, excludeBuildId?: number): Promise<Baseline | null> {
  const referenceBranch = plan.referenceBranch;
  if (!referenceBranch || plan.unavailable) return null;
  const runs = async (query: BuildsQuery) =>
    (await store.builds({ ...query, dirty: false, limit: 10 })).map((b) => ({ ...b.build, buildId: b.build.id })).filter((b) => b.id !== excludeBuildId);
  const found = (choice: (BaselineChoice & { run: BuildRecord }) | null): Baseline | null =>
    choice && { build: choice.run, method: choice.method, referenceBranch, explanation: explainBaseline(plan, choice, choice.run), reason: baselineReason(plan, choice) };
  if (plan.latestSince !== null) return found(chooseBaseline(plan, await runs({ branch: referenceBranch, since: plan.latestSince })));
  // One small query per candidate: the first (the merge-base) almost always has a run.
  for (const candidate of plan.candidates) {
    const choice = chooseBaseline({ ...plan, candidates: [candidate] }, await runs({ commitSha: candidate.sha }));
    if (choice) return found(choice);
  }
  return null;
}
