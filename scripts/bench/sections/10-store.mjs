// Store benchmarks: durable recording, queries, opening and import, each beside a naive sql.js
// store (export the whole DB after every write) and native SQLite (better-sqlite3).
import { copyFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { openNaive, openNative } from '../engines.mjs';
import { benchBuild, benchDefinitions, generatedJsonl, generatedStore } from '../storeData.mjs';
import { median, ms, ratio, timeRuns } from '../lib.mjs';

const COLUMNS = ['', 'Tidemark', 'naive sql.js', 'native SQLite', 'vs naive', 'vs native'];

function row(label, ours, naive, native) {
  return [label, ms(ours), ms(naive), ms(native), ratio(ours, naive), ratio(ours, native)];
}

function sizes(ctx) {
  return ctx.quick ? [0, 10_000, 100_000] : [0, 100_000, 1_000_000];
}

function label(values) {
  return values >= 1_000_000 ? `${values / 1_000_000}M` : values >= 1000 ? `${values / 1000}k` : String(values);
}

/** A store file to start from: an empty one or a cached generated snapshot, copied to a temp dir. */
async function freshCopy(ctx, values, name) {
  const dir = ctx.tempDir();
  const file = path.join(dir, name);
  if (values > 0) copyFileSync(await generatedStore(ctx, values), file);
  return file;
}

async function recordSection(ctx) {
  const { openStore } = ctx.out('src/core/store/sqlStore.js');
  const defs = benchDefinitions();
  const rows = [];
  for (const values of sizes(ctx)) {
    let n = 0;
    const ours = await openStore(await freshCopy(ctx, values, 'tidemark.db'));
    const oursTimes = await timeRuns(() => ours.recordBuild(benchBuild(n++, defs)), { runs: 30, warmup: 3 });
    await ours.close();

    const naiveFile = await freshCopy(ctx, values, 'naive.db');
    if (values === 0) copyFileSync(await emptySnapshot(ctx), naiveFile);
    const naive = await openNaive(ctx, naiveFile);
    const naiveTimes = await timeRuns(() => naive.recordBuild(benchBuild(n++, defs)), { runs: values >= 1_000_000 ? 5 : 10, warmup: 1 });
    naive.close();

    const nativeDir = ctx.tempDir();
    const native = openNative(ctx, values > 0 ? await generatedStore(ctx, values) : await emptySnapshot(ctx), path.join(nativeDir, 'native.db'));
    const nativeTimes = await timeRuns(() => native.recordBuild(benchBuild(n++, defs)), { runs: 30, warmup: 3 });
    native.close();
    rows.push(row(`record a 20-metric build, ${label(values)} values`, median(oursTimes), median(naiveTimes), median(nativeTimes)));
  }
  return {
    columns: COLUMNS,
    rows,
    notes: [
      'median per build, each durable when the call returns (journal append + fsync / full export + fsync + rename / WAL commit with synchronous=FULL)',
      'target: ≤ 5 ms at 1M values',
    ],
  };
}

let empty;
async function emptySnapshot(ctx) {
  if (empty) return empty;
  const { openStore } = ctx.out('src/core/store/sqlStore.js');
  empty = path.join(ctx.tempDir(), 'empty.db');
  const store = await openStore(empty);
  await store.compact();
  await store.close();
  return empty;
}

async function querySection(ctx) {
  const { openStore } = ctx.out('src/core/store/sqlStore.js');
  const queries = ctx.out('src/core/store/queries.js');
  const values = sizes(ctx).at(-1);
  const snapshot = await generatedStore(ctx, values);
  const ours = await openStore(await freshCopy(ctx, values, 'tidemark.db'));
  const naive = await openNaive(ctx, await freshCopy(ctx, values, 'naive.db'));
  const native = openNative(ctx, snapshot, path.join(ctx.tempDir(), 'native.db'));

  const cases = [
    ['series: 1 metric on main (all points)', (s) => s.series({ metric: 'metric-03', branch: 'main' }), (db) => queries.series(db, { metric: 'metric-03', branch: 'main' })],
    ['series: 1 metric, last 500 points', (s) => s.series({ metric: 'metric-03', limit: 500 }), (db) => queries.series(db, { metric: 'metric-03', limit: 500 })],
    ['series: 1 metric, feature branch, 30 days', (s) => s.series({ metric: 'metric-05', branch: 'feature-7', since: '2020-08-01T00:00:00Z', until: '2020-08-31T00:00:00Z' }), (db) => queries.series(db, { metric: 'metric-05', branch: 'feature-7', since: '2020-08-01T00:00:00Z', until: '2020-08-31T00:00:00Z' })],
    ['compare main vs feature-3 (20 metrics)', (s) => s.compare('main', 'feature-3'), (db) => queries.compare(db, 'main', 'feature-3')],
    ['latest on main (20 metrics + outcomes)', (s) => s.latest({ ref: 'main' }), (db) => queries.latest(db, { ref: 'main' })],
    ['history page: 50 newest runs with values', (s) => s.builds({ limit: 50 }), null],
  ];
  const rows = [];
  let points = 0;
  for (const [name, viaStore, viaDb] of cases) {
    const o = median(await timeRuns(async () => (points = (await viaStore(ours)).length ?? 0), { runs: 15, warmup: 2 }));
    const n = viaDb ? median(await timeRuns(() => viaDb(naive.store), { runs: 15, warmup: 2 })) : null;
    const x = viaDb ? median(await timeRuns(() => viaDb(native.store), { runs: 15, warmup: 2 })) : null;
    rows.push(row(`${name}${name.includes('all points') ? ` [${points} pts]` : ''}`, o, n, x));
  }
  await ours.close();
  naive.close();
  native.close();
  return {
    columns: COLUMNS,
    rows,
    notes: [
      `${label(values)} values; every engine runs the same compiled query code (queries.ts) — "naive" is plain sql.js without the store layer`,
      'target: within 3× native',
    ],
  };
}

async function openSection(ctx) {
  const { openStore } = ctx.out('src/core/store/sqlStore.js');
  const values = sizes(ctx).at(-1);
  const file = await freshCopy(ctx, values, 'tidemark.db');
  const naiveFile = await freshCopy(ctx, values, 'naive.db');
  const nativeFile = path.join(ctx.tempDir(), 'native.db');
  copyFileSync(await generatedStore(ctx, values), nativeFile);
  const ours = median(await timeRuns(async () => (await openStore(file)).close(), { runs: 5, warmup: 1 }));
  const naive = median(await timeRuns(async () => (await openNaive(ctx, naiveFile)).close(), { runs: 5, warmup: 1 }));
  const native = median(
    await timeRuns(() => {
      const db = openNative(ctx, null, nativeFile);
      db.store.definitions();
      db.close();
    }, { runs: 5, warmup: 1 }),
  );

  // With a full journal to replay (the worst case before a snapshot is due).
  const { openStore: open2 } = ctx.out('src/core/store/sqlStore.js');
  const store = await open2(file, { compactThresholdBytes: 64 << 20 });
  const defs = benchDefinitions();
  let n = 0;
  const journalBytes = () => statSync(`${file}.journal`, { throwIfNoEntry: false })?.size ?? 0;
  while (journalBytes() < 1 << 20) await store.recordBuild(benchBuild(100_000 + n++, defs));
  await store.close();
  const replay = median(await timeRuns(async () => (await openStore(file, { compactThresholdBytes: 64 << 20 })).close(), { runs: 5, warmup: 1 }));
  const snapshotStore = await openStore(file, { compactThresholdBytes: 64 << 20 });
  const compact = median(await timeRuns(() => snapshotStore.compact(), { runs: 3, warmup: 0 }));
  await snapshotStore.close();
  return {
    columns: COLUMNS,
    rows: [
      row(`open a ${label(values)}-value store (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB)`, ours, naive, native),
      row(`  … plus replaying a 1 MiB journal (${n} builds)`, replay, null, null),
      row('background snapshot (compact) of that store', compact, null, null),
    ],
    notes: ['open = read + validate the snapshot, migrate, replay the journal; native opens lazily (first query included)'],
  };
}

async function importSection(ctx) {
  const { openStore } = ctx.out('src/core/store/sqlStore.js');
  const { importJsonl } = ctx.out('src/core/store/jsonl.js');
  const lines = ctx.quick ? 100_000 : 1_000_000;
  const file = await generatedJsonl(ctx, lines);
  const t0 = performance.now();
  const ours = await openStore(path.join(ctx.tempDir(), 'tidemark.db'));
  const outcome = await ours.importJsonl(file, { source: 'bench' });
  await ours.close();
  const oursMs = performance.now() - t0;
  if (outcome.imported !== lines) throw new Error(`import stored ${outcome.imported} of ${lines} lines: ${JSON.stringify(outcome.problems.slice(0, 3))}`);

  const t1 = performance.now();
  const naive = await openNaive(ctx, await emptySnapshot(ctx));
  await importJsonl(naive.store, file, { source: 'bench' });
  naive.close();
  const naiveMs = performance.now() - t1;

  const t2 = performance.now();
  const native = openNative(ctx, await emptySnapshot(ctx), path.join(ctx.tempDir(), 'native.db'));
  await importJsonl(native.store, file, { source: 'bench' });
  native.close();
  const nativeMs = performance.now() - t2;
  const rate = (t) => `${Math.round(lines / (t / 1000)).toLocaleString('en-US')} lines/s`;
  return {
    columns: COLUMNS,
    rows: [
      row(`import ${label(lines)} JSONL lines (one transaction)`, oursMs, naiveMs, nativeMs),
      ['  throughput', rate(oursMs), rate(naiveMs), rate(nativeMs), '', ''],
    ],
    notes: ['same streaming import code on each engine; Tidemark includes its durable snapshot, naive sql.js does not write at all'],
  };
}

export const sections = [
  { name: 'store: recording', description: 'Durable recording cost as history grows (persisting must not cost O(history)).', run: recordSection },
  { name: 'store: queries', description: 'Read queries on the largest store.', run: querySection },
  { name: 'store: opening', description: 'Cold open of the largest store.', run: openSection },
  { name: 'store: import', description: 'Canonical JSONL import throughput.', run: importSection },
];
