/**
 * Persistent steps in a commit-ordered series ("which commit moved this metric?").
 *
 * Method, in three published steps:
 *  1. Noise scale: σ from the median absolute deviation of first differences (MAD / 0.6745 / √2),
 *     which neither a step (one difference) nor an outlier (two differences) can move.
 *  2. Outliers: a Hampel filter (Pearson 2002; window ±3) replaces a point further than 4σ from
 *     its neighbourhood's median by that median. A median window keeps step edges sharp, so a
 *     one-commit spike is removed and a persistent step is not.
 *  3. Segmentation: E-Divisive means (Matteson & James, JASA 2014) with α = 2, the hierarchical
 *     divisive search MongoDB's performance CI uses (Daly et al., ICPE 2020); a split is kept
 *     when its drop in squared error beats the penalty 2σ²·ln n and its Welch t-test has
 *     p < `significance`. Then Hunter's pruning (DataStax Hunter, Fleming et al., ICPE 2023):
 *     every change is re-tested (Welch's t-test) between its final neighbouring segments and
 *     the least significant one is merged away until every change has p < `significance`
 *     (default 0.001).
 * (The energy statistic with α = 2 reduces to the difference of means, so no permutation is
 * needed: the t-test is the significance test. Cost O(n · levels); bench: scripts/bench.)
 *
 * `index` is the first point AFTER the change (the commit that moved the metric), so
 * `values[index - 1]` is the last point of the old level. `before` and `after` are the medians
 * of the two adjacent segments of the original values.
 */
import { studentTCdf } from './distributions';

export interface ChangePoint {
  index: number;
  before: number;
  after: number;
  relativeChange: number | null;
}

export interface ChangePointOptions {
  /** Largest p-value a change may have and still be reported (default 0.001). */
  significance?: number;
  /** Fewest points on each side of a change (default 4). */
  minSegment?: number;
}

export const DEFAULT_SIGNIFICANCE = 0.001;
export const DEFAULT_MIN_SEGMENT = 4;
const HAMPEL_HALF_WINDOW = 3;
const HAMPEL_THRESHOLD = 4;
const MAD_TO_SD = 1 / 0.6744897501960817;

export function detectChangePoints(values: readonly number[], options: ChangePointOptions = {}): ChangePoint[] {
  const significance = options.significance ?? DEFAULT_SIGNIFICANCE;
  if (!(significance > 0 && significance < 1)) throw new RangeError(`significance must be between 0 and 1 (got ${significance})`);
  const minSegment = Math.max(1, Math.floor(options.minSegment ?? DEFAULT_MIN_SEGMENT));
  const n = values.length;
  if (n < 2 * minSegment) return [];
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError('change points need finite numbers');

  const sigma = noiseScale(values);
  const clean = hampel(values, sigma);
  // A noiseless series still needs a positive penalty so ties go to fewer segments.
  let scale = 1;
  for (const v of values) scale = Math.max(scale, Math.abs(v));
  const variance = Math.max(sigma * sigma, (scale * 1e-9) ** 2);
  const sums = new PrefixSums(clean);
  const candidates = divisive(sums, 2 * variance * Math.log(n), minSegment, significance);
  const kept = pruneInsignificant(sums, candidates, significance);
  return kept.map((index, k) => {
    const start = k === 0 ? 0 : kept[k - 1];
    const end = k === kept.length - 1 ? n : kept[k + 1];
    const before = median(values.slice(start, index));
    const after = median(values.slice(index, end));
    return { index, before, after, relativeChange: before === 0 ? null : (after - before) / Math.abs(before) };
  });
}

/** Robust σ of the noise: MAD of the first differences, scaled to a normal SD of one point. */
export function noiseScale(values: readonly number[]): number {
  if (values.length < 3) return 0;
  const diffs = new Array<number>(values.length - 1);
  for (let i = 1; i < values.length; i++) diffs[i - 1] = values[i] - values[i - 1];
  const m = median(diffs);
  for (let i = 0; i < diffs.length; i++) diffs[i] = Math.abs(diffs[i] - m);
  return (median(diffs) * MAD_TO_SD) / Math.SQRT2;
}

function hampel(values: readonly number[], sigma: number): number[] {
  const n = values.length;
  const out = values.slice();
  const window = new Float64Array(2 * HAMPEL_HALF_WINDOW + 1);
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - HAMPEL_HALF_WINDOW);
    const hi = Math.min(n, i + HAMPEL_HALF_WINDOW + 1);
    let size = 0;
    for (let j = lo; j < hi; j++) {
      // Insertion into the sorted window.
      const v = values[j];
      let k = size++;
      while (k > 0 && window[k - 1] > v) {
        window[k] = window[k - 1];
        k--;
      }
      window[k] = v;
    }
    const mid = size >> 1;
    // Near the ends the window is even: of the two middle values take the one nearer the
    // point, so a step close to an end keeps its edge.
    const m = size % 2 ? window[mid] : Math.abs(window[mid - 1] - values[i]) <= Math.abs(window[mid] - values[i]) ? window[mid - 1] : window[mid];
    if (Math.abs(values[i] - m) > HAMPEL_THRESHOLD * sigma) out[i] = m;
  }
  return out;
}

/**
 * E-Divisive's hierarchical search with α = 2 (Matteson & James 2014: with α = 2 the energy
 * statistic is (n₁n₂/n)·(mean₁ − mean₂)², the drop in squared error a split buys): split each
 * segment where that statistic is largest, keep the split when it beats the penalty and its
 * t-test is significant, and recurse into both halves. O(n) per level with prefix sums.
 */
function divisive(sums: PrefixSums, penalty: number, minSegment: number, significance: number): number[] {
  const n = sums.n;
  const sum = sums.sum;
  const changes: number[] = [];
  const stack: [number, number][] = [[0, n]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    if (b - a < 2 * minSegment) continue;
    const total = sum[b] - sum[a];
    const len = b - a;
    let best = -1;
    let bestQ = 0;
    for (let t = a + minSegment; t <= b - minSegment; t++) {
      const n1 = t - a;
      const n2 = len - n1;
      const d = (sum[t] - sum[a]) / n1 - (total - (sum[t] - sum[a])) / n2;
      const q = ((n1 * n2) / len) * d * d;
      if (q > bestQ) {
        bestQ = q;
        best = t;
      }
    }
    if (best < 0 || bestQ <= penalty || welchPValue(sums, a, best, b) >= significance) continue;
    changes.push(best);
    stack.push([a, best], [best, b]);
  }
  return changes.sort((p, q) => p - q);
}

/** Hunter's pruning: merge the least significant change until every change has p < significance. */
function pruneInsignificant(x: PrefixSums, changes: number[], significance: number): number[] {
  const kept = changes.slice();
  while (kept.length) {
    let worst = -1;
    let worstP = -1;
    for (let k = 0; k < kept.length; k++) {
      const start = k === 0 ? 0 : kept[k - 1];
      const end = k === kept.length - 1 ? x.n : kept[k + 1];
      const p = welchPValue(x, start, kept[k], end);
      if (p > worstP) {
        worstP = p;
        worst = k;
      }
    }
    if (worstP < significance) break;
    kept.splice(worst, 1);
  }
  return kept;
}

/** Prefix sums of a series (centred on its first value: sums of large values lose differences otherwise). */
export class PrefixSums {
  readonly n: number;
  readonly sum: Float64Array;
  readonly sumSq: Float64Array;
  constructor(x: readonly number[]) {
    this.n = x.length;
    this.sum = new Float64Array(this.n + 1);
    this.sumSq = new Float64Array(this.n + 1);
    const centre = x[0] ?? 0;
    for (let i = 0; i < this.n; i++) {
      const v = x[i] - centre;
      this.sum[i + 1] = this.sum[i] + v;
      this.sumSq[i + 1] = this.sumSq[i] + v * v;
    }
  }

  /** [mean (centred), sample variance, count] of x[a..b). */
  meanVariance(a: number, b: number): [number, number, number] {
    const n = b - a;
    const s = this.sum[b] - this.sum[a];
    const mean = s / n;
    const ss = Math.max(0, this.sumSq[b] - this.sumSq[a] - s * mean);
    return [mean, n > 1 ? ss / (n - 1) : 0, n];
  }
}

/** Two-sided p-value of Welch's t-test between x[a..b) and x[b..c). */
export function welchPValue(x: PrefixSums, a: number, b: number, c: number): number {
  const [m1, v1, n1] = x.meanVariance(a, b);
  const [m2, v2, n2] = x.meanVariance(b, c);
  if (n1 < 2 || n2 < 2) return 1;
  const se2 = v1 / n1 + v2 / n2;
  const diff = m2 - m1;
  // Variance below rounding noise of the sums: treat as exactly constant segments.
  const tolerance = 1e-9 * Math.max(Math.abs(m1), Math.abs(m2), Math.sqrt(x.sumSq[x.n] / Math.max(1, x.n)), 1e-300);
  if (se2 <= tolerance * tolerance) return Math.abs(diff) > tolerance ? 0 : 1;
  const t = diff / Math.sqrt(se2);
  const df = (se2 * se2) / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1));
  const p = 2 * (1 - studentTCdf(Math.abs(t), Math.max(df, 1)));
  return Math.max(0, Math.min(1, p));
}

/** Median by quickselect (O(n), no full sort); `xs` is not modified. */
function median(xs: readonly number[]): number {
  const n = xs.length;
  if (n === 0) return NaN;
  const a = Float64Array.from(xs);
  const mid = n >> 1;
  const upper = select(a, mid);
  if (n % 2) return upper;
  // The lower middle is the largest value left of mid after the partition.
  let lower = -Infinity;
  for (let i = 0; i < mid; i++) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}

/** Hoare's quickselect: the k-th smallest, leaving smaller values left of k. */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}
