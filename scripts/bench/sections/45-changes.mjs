// Change-point accuracy and cost: 200 seeded, commit-ordered series with known steps, scored
// against the known truth, beside github-action-benchmark's "previous point beyond ±X %" alert
// on the same series; then the cost of 50 metrics × 10,000 points.
import { median, ms, timeRuns } from '../lib.mjs';

const SEED = 20261201;
const SERIES = 200;
/** A detection this close to a true step (in commits) counts as finding it. */
const TOLERANCE = 2;

/** mulberry32: small, fast, deterministic. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand) {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/**
 * One series: 60–300 points, 0–3 steps of 2–30 % (either sign) at least 12 commits apart and 8
 * from the ends, Gaussian noise with a CV of 0–5 % of the first level, and in a third of the
 * series 1–4 outliers (single commits 20–60 % off).
 */
export function generateSeries(rand, options = {}) {
  const n = options.length ?? 60 + Math.floor(rand() * 241);
  const base = 10 ** (2 + rand() * 4);
  const cv = rand() < 0.1 ? 0 : rand() * 0.05;
  const sigma = cv * base;
  const stepCount = options.steps ?? Math.floor(rand() * 4);
  const positions = [];
  for (let tries = 0; positions.length < stepCount && tries < 1000; tries++) {
    const p = 8 + Math.floor(rand() * (n - 16));
    if (positions.every((q) => Math.abs(q - p) >= 12)) positions.push(p);
  }
  positions.sort((a, b) => a - b);
  const steps = [];
  let level = base;
  const levels = new Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (k < positions.length && positions[k] === i) {
      const pct = (0.02 + rand() * 0.28) * (rand() < 0.5 ? -1 : 1);
      const size = level * pct;
      steps.push({ index: i, pct, sd: sigma === 0 ? Infinity : Math.abs(size) / sigma });
      level += size;
      k++;
    }
    levels[i] = level;
  }
  const values = levels.map((l) => l + sigma * gaussian(rand));
  const outliers = [];
  if (rand() < 1 / 3) {
    const count = 1 + Math.floor(rand() * 4);
    for (let j = 0; j < count; j++) {
      const i = Math.floor(rand() * n);
      values[i] = levels[i] * (1 + (0.2 + rand() * 0.4) * (rand() < 0.5 ? -1 : 1));
      outliers.push(i);
    }
  }
  return { values, steps, cv, outliers };
}

function previousPointDetector(values, threshold) {
  const found = [];
  for (let i = 1; i < values.length; i++) {
    const prev = values[i - 1];
    if (prev !== 0 && Math.abs(values[i] - prev) / Math.abs(prev) > threshold) found.push(i);
  }
  return found;
}

/** Precision over detections (those matching a step < 3 SD are neither right nor wrong), recall over steps ≥ 3 SD. */
function score(series, detect) {
  let tp = 0;
  let fp = 0;
  let exact = 0;
  let big = 0;
  let bigFound = 0;
  for (const s of series) {
    const found = detect(s.values);
    const used = new Set();
    for (const index of found) {
      let match = null;
      for (const step of s.steps) {
        if (used.has(step) || Math.abs(step.index - index) > TOLERANCE) continue;
        if (!match || Math.abs(step.index - index) < Math.abs(match.index - index)) match = step;
      }
      if (!match) {
        fp++;
        continue;
      }
      used.add(match);
      if (match.sd < 3) continue;
      tp++;
      if (match.index === index) exact++;
    }
    for (const step of s.steps) {
      if (step.sd < 3) continue;
      big++;
      if (used.has(step)) bigFound++;
    }
  }
  return { precision: tp + fp ? tp / (tp + fp) : 1, recall: big ? bigFound / big : 1, exact: tp ? exact / tp : 1, tp, fp, big };
}

const pct = (x) => `${(x * 100).toFixed(1)} %`;
const verdict = (ok) => (ok ? 'pass' : 'FAIL');

async function accuracySection(ctx) {
  const { detectChangePoints } = ctx.out('src/core/analysis/changePoints.js');
  const rand = random(SEED);
  const series = Array.from({ length: SERIES }, () => generateSeries(rand));
  const steps = series.reduce((a, s) => a + s.steps.length, 0);
  const rows = [];
  const ours = score(series, (v) => detectChangePoints(v).map((c) => c.index));
  rows.push([
    'E-Divisive (α = 2) + Hunter t-test, p < 0.001',
    `${pct(ours.precision)} ${verdict(ours.precision >= 0.9)}`,
    `${pct(ours.recall)} ${verdict(ours.recall >= 0.9)}`,
    `${pct(ours.exact)} ${verdict(ours.exact >= 0.9)}`,
    `${ours.tp} / ${ours.fp}`,
  ]);
  for (const threshold of [0.02, 0.05, 0.1]) {
    const r = score(series, (v) => previousPointDetector(v, threshold));
    rows.push([`previous point beyond ±${threshold * 100} %`, pct(r.precision), pct(r.recall), pct(r.exact), `${r.tp} / ${r.fp}`]);
  }
  return {
    columns: ['detector', 'precision ≥ 90 %', 'recall ≥ 90 % (≥ 3 SD)', 'exact commit ≥ 90 %', 'hits / false'],
    rows,
    notes: [
      `${SERIES} series (seed ${SEED}), ${steps} steps of which ${ours.big} ≥ 3 SD; ${series.filter((s) => s.outliers.length).length} series with outliers; a hit is within ±${TOLERANCE} commits.`,
      'Precision counts every detection; one matching a true step < 3 SD counts neither way.',
    ],
  };
}

async function costSection(ctx) {
  const { detectChangePoints } = ctx.out('src/core/analysis/changePoints.js');
  const rand = random(SEED + 1);
  const metrics = ctx.quick ? 10 : 50;
  const series = Array.from({ length: metrics }, () => generateSeries(rand, { length: 10_000, steps: 8 }).values);
  const ourTimes = await timeRuns(() => {
    for (const v of series) detectChangePoints(v);
  }, { runs: ctx.quick ? 3 : 7, warmup: 1 });
  const naiveTimes = await timeRuns(() => {
    for (const v of series) previousPointDetector(v, 0.05);
  }, { runs: ctx.quick ? 3 : 7, warmup: 1 });
  const ours = median(ourTimes);
  const scaled = (ours * 50) / metrics;
  return {
    columns: ['work', 'time', 'target < 1 s', 'previous-point detector', 'ratio'],
    rows: [[`${metrics} metrics × 10,000 points`, ms(ours), verdict(scaled < 1000), ms(median(naiveTimes)), `${(ours / median(naiveTimes)).toFixed(0)}×`]],
    notes: ['8 steps per series, CV 0–5 %; median of the runs; the naive detector is one pass per series.'],
  };
}

export const sections = [
  { name: 'changes: accuracy', description: 'Change points found in 200 generated series with known steps.', run: accuracySection },
  { name: 'changes: cost', description: 'detectChangePoints over 50 metrics of 10,000 commits each.', run: costSection },
];
