// Store benchmarks: durable recording, queries, opening and import, each beside a naive sql.js
// store (export the whole DB after every write) and native SQLite (better-sqlite3).
import { closeSync, copyFileSync, fdatasyncSync, fsyncSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { openNaive, openNative } from '../engines.mjs';
import { benchBuild, benchDefinitions, generatedJsonl, generatedStore } from '../storeData.mjs';
import { median, ms, perSecond, ratio, target, timeRuns } from '../lib.mjs';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

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
  if (values > 0) copyWritten(await generatedStore(ctx, values), file);
  return file;
}

/**
 * Copies and fsyncs, so the copy's dirty pages are not flushed by (and billed to) the first
 * fsyncs being measured: ext4 commits other files' pending data with them.
 */
function copyWritten(from, to) {
  copyFileSync(from, to);
  const fd = openSync(to, 'r+');
  fsyncSync(fd);
  closeSync(fd);
}

/** Times the engines' calls round-robin, so a burst of disk contention hits all of them alike. */
async function interleaved(engines, rounds) {
  const times = engines.map(() => []);
  for (let round = -2; round < rounds; round++) {
    for (let e = 0; e < engines.length; e++) {
      if (round >= (engines[e].rounds ?? rounds)) continue;
      const t0 = process.hrtime.bigint();
      await engines[e].call();
      if (round >= 0) times[e].push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  return times.map(median);
}

async function recordSection(ctx) {
  const { openStore } = ctx.out('src/core/store/sqlStore.js');
  const defs = benchDefinitions();
  const rows = [];
  let n = 0;
  for (const values of sizes(ctx)) {
    const ours = await openStore(await freshCopy(ctx, values, 'tidemark.db'));
    const naiveFile = await freshCopy(ctx, values, 'naive.db');
    if (values === 0) copyWritten(await emptySnapshot(ctx), naiveFile);
    const naive = await openNaive(ctx, naiveFile);
    const native = openNative(ctx, values > 0 ? await generatedStore(ctx, values) : await emptySnapshot(ctx), path.join(ctx.tempDir(), 'native.db'));
    const diskFile = path.join(ctx.tempDir(), 'disk.bin');
    const line = Buffer.from(JSON.stringify(benchBuild(0, defs)) + '\n');
    const [o, nv, nt, disk] = await interleaved(
      [
        { call: () => ours.recordBuild(benchBuild(n++, defs)) },
        { call: () => naive.recordBuild(benchBuild(n++, defs)), rounds: values >= 1_000_000 ? 6 : 12 },
        { call: () => native.recordBuild(benchBuild(n++, defs)) },
        { call: () => appendDurably(diskFile, line) },
      ],
      30,
    );
    await ours.close();
    naive.close();
    native.close();
    rows.push(row(`record a 20-metric build, ${label(values)} values`, o, nv, nt));
    rows.push([`  disk alone: append ${line.length} B + fdatasync`, ms(disk), '', '', '', '']);
  }
  return {
    columns: COLUMNS,
    rows,
    notes: [
      'median of 30 builds, each durable when the call returns (journal append + fdatasync / full export + fsync + rename / WAL commit with synchronous=FULL)',
      'engines measured round-robin; the "disk alone" row is the fsync floor at that moment (the machine is shared)',
      'target: ≤ 5 ms at 1M values',
    ],
  };
}

function appendDurably(file, bytes) {
  const fd = openSync(file, 'a');
  writeSync(fd, bytes);
  fdatasyncSync(fd);
  closeSync(fd);
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
    ['series: 1 metric, all branches, last 7 days', (s) => s.series({ metric: 'metric-04', since: '2020-12-06T00:00:00Z' }), (db) => queries.series(db, { metric: 'metric-04', since: '2020-12-06T00:00:00Z' })],
    ['compare main vs feature-3 (20 metrics)', (s) => s.compare('main', 'feature-3'), (db) => queries.compare(db, 'main', 'feature-3')],
    ['latest on main (20 metrics + outcomes)', (s) => s.latest({ ref: 'main' }), (db) => queries.latest(db, { ref: 'main' })],
    ['history page: 50 newest runs with values', (s) => s.builds({ limit: 50 }), null],
  ];
  const rows = [];
  let points = 0;
  for (const [name, viaStore, viaDb] of cases) {
    const engines = [{ call: async () => (points = (await viaStore(ours)).length ?? 0) }];
    if (viaDb) engines.push({ call: () => viaDb(naive.store) }, { call: () => viaDb(native.store) });
    const [o, n = null, x = null] = await interleaved(engines, 25);
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
      'engines measured round-robin; target: within 3× native',
    ],
  };
}

async function openSection(ctx) {
  const { openStore } = ctx.out('src/core/store/sqlStore.js');
  const values = sizes(ctx).at(-1);
  const file = await freshCopy(ctx, values, 'tidemark.db');
  const naiveFile = await freshCopy(ctx, values, 'naive.db');
  const nativeFile = path.join(ctx.tempDir(), 'native.db');
  copyWritten(await generatedStore(ctx, values), nativeFile);
  // Each engine opens and answers a first query (the definitions): a store is usable when it answers.
  const ours = median(
    await timeRuns(async () => {
      const store = await openStore(file);
      await store.definitions();
      await store.close();
    }, { runs: 5, warmup: 1 }),
  );
  const naive = median(
    await timeRuns(async () => {
      const db = await openNaive(ctx, naiveFile);
      db.store.definitions();
      db.close();
    }, { runs: 5, warmup: 1 }),
  );
  const native = median(
    await timeRuns(() => {
      const db = openNative(ctx, null, nativeFile);
      db.store.definitions();
      db.close();
    }, { runs: 5, warmup: 1 }),
  );

  // With a full journal to replay: the default threshold of a store this large (the worst case before a snapshot is due).
  const { openStore: open2, MAX_COMPACT_THRESHOLD } = ctx.out('src/core/store/sqlStore.js');
  const store = await open2(file, { compactThresholdBytes: 64 << 20 });
  const defs = benchDefinitions();
  let n = 0;
  const journalBytes = () => statSync(`${file}.journal`, { throwIfNoEntry: false })?.size ?? 0;
  while (journalBytes() < MAX_COMPACT_THRESHOLD) await store.recordBuild(benchBuild(100_000 + n++, defs));
  await store.close();
  // The store times its own replay (journal read, checked and applied, committed) and logs it.
  const replayTimes = [];
  const logger = { trace() {}, debug: (m) => { const hit = /^store: replayed \d+ journal records .* in ([\d.]+) ms/.exec(m); if (hit) replayTimes.push(Number(hit[1])); }, info() {}, warn() {}, error() {} };
  // Nine rounds: a replay takes ~50 ms, and its median moves with the machine more than an open does.
  const replay = median(await timeRuns(async () => (await openStore(file, { compactThresholdBytes: 64 << 20, logger })).close(), { runs: 9, warmup: 1 }));
  const replayOnly = median(replayTimes.slice(1));
  const cold = coldReplay(ctx, file);
  const references = await replayReferences(ctx, file, values);
  const snapshotStore = await openStore(file, { compactThresholdBytes: 64 << 20 });
  const compact = median(await timeRuns(() => snapshotStore.compact(), { runs: 3, warmup: 0 }));
  await snapshotStore.close();
  // The same difference the bench used to print: the open with the journal minus the open after the snapshot took it in.
  const openDifference = Math.max(replay - median(await timeRuns(async () => (await openStore(file, { compactThresholdBytes: 64 << 20 })).close(), { runs: 5, warmup: 1 })), 1e-3);
  const runsPerSecond = n / (replayOnly / 1000);
  const referenceRate = (t) => perSecond('runs')(n / (t / 1000));
  const openGoal = ctx.quick ? null : target(`open a ${label(values)}-value store`, ours, '<=', 200, ms, `naive ${ms(naive)}, native ${ms(native)}`);
  return {
    targets: [
      ...(openGoal ? [openGoal] : []),
      target(`journal replay, ${label(values)}-value store`, runsPerSecond, '>=', 5000, perSecond('runs'), `${n} builds in ${ms(replayOnly)}; the same records applied by sql.js with the whole snapshot in memory ${referenceRate(references.naive)}, by native SQLite ${referenceRate(references.native)}`),
    ],
    columns: COLUMNS,
    rows: [
      row(`open a ${label(values)}-value store (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB)`, ours, naive, native),
      row(`  … plus replaying a full journal (${MAX_COMPACT_THRESHOLD >> 10} KiB, ${n} builds)`, replay, null, null),
      row(`  replay alone (timed by the store): ${perSecond('runs')(runsPerSecond)}; beside it sql.js with the snapshot in memory, and native`, replayOnly, references.naive, references.native),
      [`  the same records' rate: sql.js, snapshot in memory ${referenceRate(references.naive)}; native ${referenceRate(references.native)}`, '', '', '', '', ''],
      row(`  replay in a new CLI process (read-only history command), timed by the store: ${perSecond('runs')(n / (cold / 1000))}`, cold, null, null),
      ['  open with journal minus open without', ms(openDifference), '', '', '', ''],
      row('background snapshot (compact) of that store', compact, null, null),
    ],
    notes: [
      'open = open + validate the snapshot, migrate, replay the journal, then a first query (the definitions); Tidemark and native read pages as queries need them, naive reads the whole file',
      'the target is the replay in a warm process (as in the extension\'s store worker after its first open); a CLI command replays in a new process: its JavaScript not yet optimized, sql.js on Liftoff only (src/cli/tiering.ts) and its memory touched for the first time',
    ],
  };
}

/** The store's own replay time in `tidemark history` (read-only: the journal stays), median of 5 new processes. */
function coldReplay(ctx, file) {
  const cli = path.join(ctx.root, 'dist', 'cli.js');
  const times = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, [cli, 'history', benchDefinitions()[0].id, '--db', file, '--since', '2100-01-01T00:00:00Z', '--verbose'], { encoding: 'utf8', env: { ...process.env, CI: '' } });
    const hit = /store: replayed \d+ journal records .* in ([\d.]+) ms/.exec(r.stderr);
    if (r.status !== 0 || !hit) throw new Error(`tidemark history exited ${r.status} without a replay time: ${r.stderr.slice(0, 500)}`);
    times.push(Number(hit[1]));
  }
  return median(times);
}

/**
 * The engines' floor for the replay: the journal's records read, checked and applied in one
 * transaction by the same StoreDb code (batched rollups), on sql.js with the whole snapshot
 * already in memory (read before the clock starts, with room to grow: no page is read from the
 * file and nothing is copied) and on native SQLite (a fresh copy each round).
 */
async function replayReferences(ctx, file, values) {
  const { readJournal } = ctx.out('src/core/store/journal.js');
  const { loadSqlJs, spareCapacity, withCapacity } = ctx.out('src/core/store/sqljs.js');
  const { StoreDb } = ctx.out('src/core/store/database.js');
  const { migrate } = ctx.out('src/core/store/schema.js');
  const SQL = await loadSqlJs();
  const inMemory = () => {
    const image = readFileSync(file);
    const db = new SQL.Database(withCapacity(image, spareCapacity(image.length)).bytes);
    migrate(db);
    const store = new StoreDb(db);
    return { store, close: () => store.close() };
  };
  const apply = (store) => {
    const t0 = performance.now();
    const { records } = readJournal(`${file}.journal`, 0);
    store.transaction(() => store.batchRollups(() => {
      for (const record of records) store.apply(record.op);
    }));
    return performance.now() - t0;
  };
  const naive = [];
  const native = [];
  const nativeFile = path.join(ctx.tempDir(), 'native-replay.db');
  for (let round = 0; round < 4; round++) {
    const n = inMemory();
    const took = apply(n.store);
    n.close();
    copyWritten(await generatedStore(ctx, values), nativeFile);
    const x = openNative(ctx, null, nativeFile);
    const tookNative = apply(x.store);
    x.close();
    if (round > 0) {
      naive.push(took);
      native.push(tookNative);
    }
  }
  return { naive: median(naive), native: median(native) };
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

  // End to end through the CLI (production bundle): process start, parse, store, rollups, snapshot.
  const cli = path.join(ctx.root, 'dist', 'cli.js');
  const dir = ctx.tempDir();
  const cpuFile = path.join(dir, 'cpu.json');
  const t3 = performance.now();
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(path.join(ctx.root, 'scripts', 'bench', 'cpuReport.mjs')).href, cli, 'import', file, '--db', path.join(dir, 'cli.db'), '--cwd', dir, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, TIDEMARK_BENCH_CPU_FILE: cpuFile },
  });
  const cliMs = performance.now() - t3;
  if (r.status !== 0) throw new Error(`tidemark import failed: ${r.stderr}`);
  const cliCpuMs = JSON.parse(readFileSync(cpuFile, 'utf8')).cpuMs;
  const raw = await rawSqlJsInsert(ctx, path.join(dir, 'cli.db'));
  const parse = parseOnly(file);
  return {
    columns: COLUMNS,
    rows: [
      row(`import ${label(lines)} JSONL lines (one transaction)`, oursMs, naiveMs, nativeMs),
      ['  throughput', rate(oursMs), rate(naiveMs), rate(nativeMs), '', ''],
      row(`tidemark import (CLI process, ${label(lines)} lines)`, cliMs, naiveMs, nativeMs),
      ['  throughput', rate(cliMs), '', '', '', ''],
      [`  CPU time of the CLI process (all threads): ${rate(cliCpuMs)} of CPU`, ms(cliCpuMs), '', '', '', ''],
      [`raw sql.js: the same ${raw.rows.toLocaleString('en-US')} rows, no Tidemark code`, ms(raw.ms), '', '', '', ''],
      ['  as lines/s (the engine\'s floor for this import)', rate(raw.ms), '', '', '', ''],
      [`  its CPU time: ${rate(raw.cpuMs)} of CPU`, ms(raw.cpuMs), '', '', '', ''],
      ['reading the file and JSON.parse of each line, nothing checked or stored', ms(parse.ms), '', '', '', ''],
      ['  raw sql.js + that parse: any sql.js import\'s floor, as lines/s', rate(raw.ms + parse.ms), '', '', '', ''],
    ],
    targets: [
      target(
        'CLI import, rollups included',
        lines / (cliMs / 1000),
        '>=',
        100_000,
        perSecond('lines'),
        `native SQLite, same import code: ${rate(nativeMs)}; raw sql.js inserting the same rows (no parsing, no Tidemark code): ${rate(raw.ms)}, with reading and JSON.parse of the lines: ${rate(raw.ms + parse.ms)}; the CLI used ${ms(cliCpuMs)} CPU (${rate(cliCpuMs)} of CPU), raw sql.js ${ms(raw.cpuMs)} (${rate(raw.cpuMs)})`,
      ),
    ],
    notes: [
      'same streaming import code on each engine; Tidemark includes its durable snapshot, naive sql.js does not write at all',
      `raw sql.js: every row the import wrote (${raw.detail}) read back from the CLI's store, then inserted into a fresh sql.js database with the store's schema, 250 rows per prepared statement, one transaction, and exported: what any sql.js import of this file must at least do`,
    ],
  };
}

/** Reading the file in 64 KiB pieces and JSON.parse of every line: the least any JSONL import parses. */
function parseOnly(file) {
  const t0 = performance.now();
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 16);
  let fill = 0;
  let lines = 0;
  for (;;) {
    const n = readSync(fd, buf, fill, buf.length - fill, null);
    const length = fill + n;
    const end = n === 0 ? length - 1 : buf.lastIndexOf(10, length - 1);
    const text = buf.toString('utf8', 0, end + 1);
    for (let start = 0, at; start < text.length; start = at + 1) {
      at = text.indexOf('\n', start);
      if (at < 0) at = text.length;
      if (at > start && JSON.parse(text.slice(start, at))) lines++;
    }
    buf.copy(buf, 0, end + 1, length);
    fill = length - end - 1;
    if (n === 0) break;
  }
  closeSync(fd);
  return { ms: performance.now() - t0, lines };
}

/**
 * The engine's floor for an import: the rows a finished import holds (runs, values, rollups),
 * inserted by plain sql.js into an empty database with the same schema and indexes, then exported.
 */
async function rawSqlJsInsert(ctx, storeFile) {
  const Database = ctx.require('better-sqlite3');
  const { loadSqlJs } = ctx.out('src/core/store/sqljs.js');
  const { migrate } = ctx.out('src/core/store/schema.js');
  const source = new Database(storeFile, { readonly: true });
  const tables = ['metric_definitions', 'build_contexts', 'metric_values', 'metric_rollups', 'label_rollups', 'run_rollups'];
  const data = tables.map((table) => {
    const columns = source.prepare(`SELECT * FROM ${table} LIMIT 0`).columns().map((c) => c.name);
    return { table, columns, rows: source.prepare(`SELECT * FROM ${table}`).raw(true).all() };
  });
  source.close();
  const SQL = await loadSqlJs();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const db = new SQL.Database();
  // The store's own settings (a rollback journal in memory, one connection): the fastest shape
  // found; 1,000 rows per statement, a 64 MiB page cache or no journal at all were within noise.
  db.exec('PRAGMA journal_mode = MEMORY; PRAGMA locking_mode = EXCLUSIVE');
  migrate(db);
  db.run('BEGIN');
  for (const { table, columns, rows } of data) {
    const one = `(${columns.map(() => '?').join(', ')})`;
    const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
    const full = db.prepare(head + new Array(250).fill(one).join(', '));
    let at = 0;
    for (; at + 250 <= rows.length; at += 250) full.run(rows.slice(at, at + 250).flat());
    full.free();
    if (at < rows.length) db.run(head + new Array(rows.length - at).fill(one).join(', '), rows.slice(at).flat());
  }
  db.run('COMMIT');
  db.export();
  const took = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  db.close();
  return { ms: took, cpuMs: (cpu.user + cpu.system) / 1000, rows: data.reduce((n, d) => n + d.rows.length, 0), detail: data.map((d) => `${d.table} ${d.rows.length.toLocaleString('en-US')}`).join(', ') };
}

export const sections = [
  { name: 'store: recording', description: 'Durable recording cost as history grows (persisting must not cost O(history)).', run: recordSection },
  { name: 'store: queries', description: 'Read queries on the largest store.', run: querySection },
  { name: 'store: opening', description: 'Cold open of the largest store.', run: openSection },
  { name: 'store: import', description: 'Canonical JSONL import throughput.', run: importSection },
];
