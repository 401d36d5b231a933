// Scale benchmark: two years of a busy developer (20 metrics, 150 on-save runs a day and 10
// commits a day on 5 branches, ~116k runs / 2.3M values). Measures the store's size before and
// after retention + compaction, recording at the end of that history, rollup queries over the
// whole range, raw history of the last week and a 90-day summary.
import { closeSync, copyFileSync, existsSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { METRICS, benchDefinitions, metricId } from './storeData.mjs';
import { median, ms, target, timeRuns } from './lib.mjs';

const FORMAT = 's4';
/** Metrics that carry a per-file breakdown (as size, loc, files and coverage do), of PART_FILES files. */
const PART_METRICS = [0, 1, 2, 4];
const PART_FILES = 100;
/** As parts.ts: a full row when a branch has none yet or after this many deltas. */
const PART_DEPTH = 128;
const START = Date.UTC(2023, 0, 2);
const DAY = 86_400_000;
/** The store's size budget after compaction (docs/storage.md). */
const TARGET_BYTES = 50e6;
const BRANCHES = ['main', 'feature-a', 'feature-b', 'fix-c', 'spike-d'];
const SAVES_PER_DAY = 150;
const COMMITS_PER_DAY = 10;

function days(ctx) {
  return ctx.quick ? 60 : 730;
}

function sha(n) {
  return n.toString(16).padStart(40, '0');
}

/**
 * One day of work, 08:00–20:00 UTC: each commit is followed by 15 on-save runs on the commit it
 * builds on (dirty), then measured clean by a CI run. Two commits per branch before switching.
 */
function* dayRuns(day) {
  const base = START + day * DAY + 8 * 3_600_000;
  const step = (12 * 3_600_000) / (SAVES_PER_DAY + COMMITS_PER_DAY);
  let slot = 0;
  for (let c = 0; c < COMMITS_PER_DAY; c++) {
    const commit = day * COMMITS_PER_DAY + c;
    const branch = BRANCHES[Math.floor(commit / 2) % BRANCHES.length];
    for (let s = 0; s < SAVES_PER_DAY / COMMITS_PER_DAY; s++) {
      yield { sha: sha(commit), branch, event: 'save', dirty: 1, at: base + slot++ * step };
    }
    yield { sha: sha(commit + 1), branch, event: 'ci', dirty: 0, at: base + slot++ * step };
  }
}

function valueOf(run, n, m) {
  if (m === METRICS - 1) return { label: `node-${18 + Math.floor(n / 40_000)}` };
  return { numeric: Math.round(1000 * (m + 1) + Math.sin(n / 97 + m) * 50 + n * 0.01) };
}

async function generatedHistory(ctx) {
  const file = path.join(ctx.cacheDir, `scale-${days(ctx)}d-${FORMAT}.db`);
  if (existsSync(file)) return file;
  mkdirSync(ctx.cacheDir, { recursive: true });
  const { loadSqlJs } = ctx.out('src/core/store/sqljs.js');
  const { migrate } = ctx.out('src/core/store/schema.js');
  const { StoreDb } = ctx.out('src/core/store/database.js');
  const { rebuildRollups } = ctx.out('src/core/store/rollups.js');
  const { encodeRun } = ctx.out('src/core/store/parts.js');
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  migrate(db);
  db.run('BEGIN');
  const def = db.prepare('INSERT INTO metric_definitions (id, type, unit, direction) VALUES (?, ?, ?, ?)');
  for (const d of benchDefinitions()) def.run([d.id, d.type, d.unit, d.direction]);
  def.free();
  const build = db.prepare('INSERT INTO build_contexts (id, commit_sha, branch, run_id, run_number, event_name, timestamp, dirty) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const value = db.prepare('INSERT INTO metric_values (metric_id, build_id, value_numeric, value_label) VALUES (?, ?, ?, ?)');
  const outcome = db.prepare("INSERT INTO metric_outcomes (build_id, metric_id, status, duration_ms, message) VALUES (?, ?, 'failed', 12, 'exit code 1')");
  // Breakdowns in run_parts' format, packed by parts.ts's own encoder: each run changes one file
  // (a save) or two (a commit) of PART_FILES, stored as a delta on the branch's previous run,
  // whole every PART_DEPTH.
  const part = db.prepare('INSERT INTO run_parts (build_id, base_build, parts) VALUES (?, ?, ?)');
  const partState = new Map();
  // Names (files, then the metrics) are stored once (metric_part_names) and blobs name them by id.
  const nameRow = db.prepare('INSERT INTO metric_part_names (id, name) VALUES (?, ?)');
  const files = Array.from({ length: PART_FILES }, (_, f) => {
    nameRow.run([f + 1, `src/components/feature-${String(f).padStart(3, '0')}/index.ts`]);
    return f + 1;
  });
  const metricNames = new Map(PART_METRICS.map((m, i) => [m, PART_FILES + 1 + i]));
  for (const [m, id] of metricNames) nameRow.run([id, metricId(m)]);
  nameRow.free();
  let n = 0;
  for (let day = 0; day < days(ctx); day++) {
    for (const run of dayRuns(day)) {
      n++;
      build.run([n, run.sha, run.branch, `run-${n}`, n, run.event, new Date(run.at).toISOString(), run.dirty]);
      for (let m = 0; m < METRICS; m++) {
        // One metric fails on one save run in 50, as a flaky test would.
        if (m === 3 && run.event === 'save' && n % 50 === 0) {
          outcome.run([n, metricId(m)]);
          continue;
        }
        const v = valueOf(run, n, m);
        value.run([metricId(m), n, v.numeric ?? null, v.label ?? null]);
      }
      // A commit edits two files: its saves change one of them, its CI run both.
      const state = partState.get(run.branch);
      const commit = parseInt(run.sha, 16);
      const edited = [(commit * 7) % PART_FILES, (commit * 13 + 1) % PART_FILES];
      const changed = run.event === 'ci' ? edited : [edited[n % 2]];
      const parts = new Map();
      for (const m of PART_METRICS) {
        const previous = state?.parts.get(metricNames.get(m));
        const next = previous ? new Map(previous) : new Map(files.map((f, i) => [f, 100 + i * 13 + m]));
        for (const c of changed) next.set(files[c], next.get(files[c]) + 1);
        parts.set(metricNames.get(m), next);
      }
      const whole = !state || state.depth >= PART_DEPTH;
      part.run([n, whole ? null : state.build, encodeRun(parts, whole ? null : state.parts).blob]);
      partState.set(run.branch, { build: n, depth: whole ? 0 : state.depth + 1, parts });
    }
  }
  build.free();
  value.free();
  outcome.free();
  part.free();
  db.run("INSERT INTO store_meta (key, value) VALUES ('journal_seq', '0')");
  db.run('COMMIT');
  const store = new StoreDb(db);
  store.transaction(() => rebuildRollups(store));
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  writeSync(fd, db.export());
  fsyncSync(fd);
  closeSync(fd);
  store.close();
  renameSync(tmp, file);
  return file;
}

/**
 * What deleting rows takes off the store file: its size minus the size after `deletes` and
 * VACUUM on a copy (sql.js has no dbstat); `count` is read from the copy first.
 */
async function bytesOf(ctx, file, deletes, count) {
  const { loadSqlJs } = ctx.out('src/core/store/sqljs.js');
  const { readFileSync } = await import('node:fs');
  const SQL = await loadSqlJs();
  const data = readFileSync(file);
  const db = new SQL.Database(data);
  try {
    const rows = count ? Number(db.exec(count)[0].values[0][0]) : undefined;
    db.run(`${deletes} VACUUM;`);
    return { bytes: data.length - db.export().length, rows };
  } finally {
    db.close();
  }
}

/** What tables add to the store file (and the first one's row count). */
function tableBytes(ctx, file, tables) {
  return bytesOf(ctx, file, tables.map((t) => `DELETE FROM ${t};`).join(' '), `SELECT COUNT(*) FROM ${tables[0]}`);
}

function percentile(times, p) {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function scaleSection(ctx) {
  const t0 = performance.now();
  const source = await generatedHistory(ctx);
  const generation = performance.now() - t0;
  const { openStore } = ctx.out('src/core/store/sqlStore.js');
  const file = path.join(ctx.tempDir(), 'tidemark.db');
  copyFileSync(source, file);
  const store = await openStore(file);
  const before = await store.stats();
  const end = new Date(START + days(ctx) * DAY).toISOString();

  // Retention in the slices the extension would run when idle, then VACUUM + snapshot.
  const slices = [];
  let deleted = 0;
  for (;;) {
    const s0 = performance.now();
    const slice = await store.applyRetention({ rawDays: 30, commitRuns: 'all' }, { now: end });
    slices.push(performance.now() - s0);
    deleted += slice.deleted;
    if (slice.done) break;
  }
  const c0 = performance.now();
  await store.compact({ vacuum: true });
  const compaction = performance.now() - c0;
  const after = await store.stats();
  const { bytes: partsBytes, rows: partRows } = await tableBytes(ctx, file, ['run_parts', 'metric_part_names']);
  // Where the rest of the budget goes (hour rollups live rawDays, like breakdowns).
  const { bytes: hourBytes } = await bytesOf(ctx, file, "DELETE FROM metric_rollups WHERE grain = 'hour'; DELETE FROM label_rollups WHERE grain = 'hour'; DELETE FROM run_rollups WHERE grain = 'hour';");
  const { bytes: rollupBytes } = await bytesOf(ctx, file, 'DELETE FROM metric_rollups; DELETE FROM label_rollups; DELETE FROM run_rollups;');
  const { bytes: rawBytes } = await bytesOf(ctx, file, 'DELETE FROM metric_values; DELETE FROM metric_outcomes;');
  let compareParts = 0;
  const compareTime = median(await timeRuns(async () => (compareParts = (await store.compare('main', 'feature-a')).metrics.reduce((t, m) => t + (m.parts?.length ?? 0), 0)), { runs: 15, warmup: 2 }));

  const defs = benchDefinitions();
  let n = 0;
  const record = median(
    await timeRuns(
      () =>
        store.recordBuild({
          build: { commitSha: sha(9_000_000 + n), branch: 'main', runId: `scale-record-${n}`, event: 'save', timestamp: new Date(Date.parse(end) + n++ * 1000).toISOString(), dirty: true },
          definitions: defs,
          results: defs.map((d, m) => ({ metric: d.id, status: 'ok', value: d.type === 'label' ? 'node-20' : 1000 * m + n, durationMs: 10 })),
        }),
      { runs: 30, warmup: 3 },
    ),
  );
  // The disk's floor at that moment: one append + fdatasync of a journal-sized line (the machine is shared).
  const floorFile = path.join(ctx.tempDir(), 'disk.bin');
  const line = Buffer.alloc(2500, 'x');
  const diskFloor = median(
    await timeRuns(() => {
      const fd = openSync(floorFile, 'a');
      writeSync(fd, line);
      fdatasyncSync(fd);
      closeSync(fd);
    }, { runs: 30, warmup: 3 }),
  );
  const weekAgo = new Date(Date.parse(end) - 7 * DAY).toISOString();
  const ninetyDaysAgo = new Date(Date.parse(end) - 90 * DAY).toISOString();
  const cases = [
    ['history metric-03, all branches, day grain (whole range)', () => store.rollupSeries({ metric: 'metric-03', grain: 'day' })],
    ['history metric-03, all branches, week grain', () => store.rollupSeries({ metric: 'metric-03', grain: 'week' })],
    ['history metric-03, all branches, month grain', () => store.rollupSeries({ metric: 'metric-03', grain: 'month' })],
    ['history metric-03 on main, clean runs, day grain', () => store.rollupSeries({ metric: 'metric-03', grain: 'day', branch: 'main', dirty: false })],
    ['history metric-03, hour grain, last 30 days', () => store.rollupSeries({ metric: 'metric-03', grain: 'hour', since: new Date(Date.parse(end) - 30 * DAY).toISOString() })],
    ['history metric-03, raw, last 7 days', () => store.series({ metric: 'metric-03', since: weekAgo })],
    ['summary over 90 days (20 metrics)', () => store.summary({ since: ninetyDaysAgo })],
    ['breakdown metric-03 by branch, whole range', () => store.breakdown({ metric: 'metric-03', by: 'branch' })],
  ];
  const rows = [];
  for (const [name, run] of cases) {
    let size = 0;
    const time = median(await timeRuns(async () => (size = (await run()).length ?? 0), { runs: 15, warmup: 2 }));
    rows.push([name, ms(time), size ? `${size} points` : '']);
  }
  await store.close();
  const runs = before.builds;
  return {
    columns: ['', 'measured', 'detail'],
    rows: [
      [`history: ${days(ctx)} days, ${runs.toLocaleString('en-US')} runs`, mib(before.fileBytes), `${before.values.toLocaleString('en-US')} values, ${before.rollups.metricRows.toLocaleString('en-US')} rollup rows`],
      ['  generated (bulk SQL + rollup rebuild), or read from cache', ms(generation), ''],
      [`retention (rawDays 30, commitRuns all): ${slices.length} slices`, ms(slices.reduce((a, b) => a + b, 0)), `${deleted.toLocaleString('en-US')} runs deleted; per slice median ${ms(median(slices))}, p95 ${ms(percentile(slices, 0.95))}, max ${ms(Math.max(...slices))}`],
      ['compact (VACUUM + snapshot)', ms(compaction), ''],
      ['store after compaction', mib(after.fileBytes), `${after.builds.toLocaleString('en-US')} runs, ${after.values.toLocaleString('en-US')} values kept; ${(after.fileBytes / 1e6).toFixed(2)} MB: ${after.fileBytes < TARGET_BYTES ? 'PASS' : 'FAIL'} (target < 50 MB, margin ${((TARGET_BYTES - after.fileBytes) / 1e6).toFixed(2)} MB)`],
      ['  of which breakdowns (run_parts + names)', mib(partsBytes), `${PART_METRICS.length} metrics × ${PART_FILES} files, one packed row per run, deltas on the branch's previous run; ${(partsBytes / Math.max(1, partRows)).toFixed(1)} bytes per run with a breakdown (${partRows.toLocaleString('en-US')} runs)`],
      ['  of which rollups (all grains) / hour rollups (last 30 days)', `${mib(rollupBytes)} / ${mib(hourBytes)}`, `${after.rollups.metricRows.toLocaleString('en-US')} metric rollup rows`],
      ['  of which raw values and outcomes', mib(rawBytes), `${after.values.toLocaleString('en-US')} values`],
      ['compare with files (main vs feature-a, 4 breakdowns)', ms(compareTime), `${compareParts} part changes listed`],
      ['record one 20-metric run at the end', ms(record), 'median of 30, durable (journal + fdatasync)'],
      ['  disk alone: append 2.5 kB + fdatasync', ms(diskFloor), 'the fsync floor at that moment'],
      ...rows,
    ],
    targets: [
      target(
        `store after compaction${ctx.quick ? ' (--quick: 60 days, not the two-year figure)' : ''}`,
        after.fileBytes,
        '<=',
        TARGET_BYTES,
        (b) => `${(b / 1e6).toFixed(2)} MB`,
        `${mib(after.fileBytes)}; breakdowns ${mib(partsBytes)}`,
      ),
    ],
    notes: [
      'targets: after compaction < 50 MB (the target line below); record ≤ 5 ms; any grain over the whole range < 20 ms; summary < 50 ms; each retention slice < 50 ms',
      `cached history: ${source} (${mib(statSync(source).size)}); delete it to regenerate`,
    ],
  };
}

export const sections = [
  { name: 'scale: two years of a busy developer', description: '20 metrics, 150 on-save runs + 10 commits a day on 5 branches.', run: scaleSection },
];
