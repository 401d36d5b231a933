// Shared bench helpers: timing, tables, temp dirs and access to the compiled engine in out/.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ensureNativeSqlite } from '../ensure-deps.mjs';

/** Runs `fn` `warmup` + `runs` times (awaiting it) and returns the per-run times in ms. */
export async function timeRuns(fn, { runs = 15, warmup = 2 } = {}) {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}

export function median(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function ms(value) {
  if (value === null || value === undefined) return '—';
  return value >= 100 ? `${value.toFixed(0)} ms` : value >= 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`;
}

export function ratio(ours, theirs) {
  if (!ours || !theirs) return '—';
  return `${(ours / theirs).toFixed(2)}×`;
}

/**
 * A target a section checks: `measured` against `goal` (at most with op '<=', at least with
 * '>='), shown with `format`, beside a `reference` measured in the same run (node's own
 * start-up, a naive or a native engine). bench.mjs lists every target at the end with ✔/✘.
 */
export function target(name, measured, op, goal, format = String, reference = '') {
  const met = measured !== null && measured !== undefined && Number.isFinite(measured) && (op === '<=' ? measured <= goal : measured >= goal);
  return { name, measured: format(measured), goal: `${op === '<=' ? '≤' : '≥'} ${format(goal)}`, reference, met };
}

export function perSecond(unit) {
  return (value) => (value === null || value === undefined ? '—' : `${Math.round(value).toLocaleString('en-US')} ${unit}/s`);
}

/** A table: { columns: string[], rows: string[][], notes?: string[], targets?: target()[] }. */
export function printTable({ columns, rows, notes = [], targets = [] }) {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) => '  ' + cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  │  ');
  console.log(line(columns));
  console.log('  ' + widths.map((w) => '─'.repeat(w)).join('──┼──'));
  for (const row of rows) console.log(line(row));
  for (const note of notes) console.log(`  · ${note}`);
  for (const t of targets) console.log(`  ${t.met ? '✔' : '✘'} target ${t.name}: ${t.measured} (${t.goal})${t.reference ? `; ${t.reference}` : ''}`);
}

/** The closing table of a bench run: every target with its pass/fail mark. */
export function printTargets(targets) {
  if (!targets.length) return;
  console.log('\n■ targets');
  printTable({
    columns: ['target', 'measured', 'goal', 'reference (same run)', 'met'],
    rows: targets.map((t) => [t.name, t.measured, t.goal, t.reference, t.met ? 'pass' : 'FAIL']),
  });
}

export function createContext({ root, quick }) {
  const load = createRequire(path.join(root, 'package.json'));
  // better-sqlite3 (the native SQLite reference) is built on its first use, not by `npm test`.
  const require = (id) => {
    if (id === 'better-sqlite3') ensureNativeSqlite(root);
    return load(id);
  };
  const temps = [];
  return {
    root,
    quick,
    require,
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
    /** Compiled engine modules (tsc output). */
    out: (rel) => require(path.join(root, 'out', rel)),
    /** Generated data shared between runs, in the project's git-ignored .cache/ (delete the folder to regenerate). */
    cacheDir: path.join(root, '.cache', 'bench'),
    tempDir() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'tidemark-bench-'));
      temps.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of temps) rmSync(dir, { recursive: true, force: true });
    },
  };
}
