// Generates benchmark data fast and caches it: a store snapshot with N metric values (bulk SQL
// in one transaction, then one export) and a canonical JSONL file of N measurements.
import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, existsSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';

export const METRICS = 20;
const BASE = Date.UTC(2020, 0, 1);
const FORMAT = 'v5';

export function metricId(m) {
  return `metric-${String(m).padStart(2, '0')}`;
}

/** Run i of the synthetic history: 70 % on main, the rest spread over 20 feature branches. */
export function runOf(i) {
  return {
    sha: createHash('sha1').update(`bench ${i}`).digest('hex'),
    branch: i % 10 < 7 ? 'main' : `feature-${Math.floor(i / 50) % 20}`,
    timestamp: new Date(BASE + i * 600_000).toISOString(),
    event: i % 5 === 0 ? 'save' : 'ci',
    dirty: i % 5 === 0 ? 1 : 0,
  };
}

export function valueOf(i, m) {
  if (m === METRICS - 1) return { label: `v${Math.floor(i / 1000)}` };
  return { numeric: 1000 * (m + 1) + Math.sin(i / 97 + m) * 50 + i * 0.001 };
}

export async function generatedStore(ctx, values) {
  const file = path.join(ctx.cacheDir, `store-${values}-${FORMAT}.db`);
  if (existsSync(file)) return file;
  mkdirSync(ctx.cacheDir, { recursive: true });
  const { loadSqlJs } = ctx.out('src/core/store/sqljs.js');
  const { migrate } = ctx.out('src/core/store/schema.js');
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  migrate(db);
  const runs = Math.ceil(values / METRICS);
  db.run('BEGIN');
  const def = db.prepare('INSERT INTO metric_definitions (id, type, unit, direction) VALUES (?, ?, ?, ?)');
  for (let m = 0; m < METRICS; m++) {
    const label = m === METRICS - 1;
    def.run([metricId(m), label ? 'label' : 'numeric', label ? null : 'bytes', label ? null : m % 3 === 0 ? 'higher-is-better' : m % 3 === 1 ? 'lower-is-better' : null]);
  }
  def.free();
  const build = db.prepare('INSERT INTO build_contexts (id, commit_sha, branch, run_id, run_number, event_name, timestamp, dirty) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const value = db.prepare('INSERT INTO metric_values (metric_id, build_id, value_numeric, value_label) VALUES (?, ?, ?, ?)');
  let count = 0;
  for (let i = 0; i < runs && count < values; i++) {
    const r = runOf(i);
    build.run([i + 1, r.sha, r.branch, `bench-${i}`, i + 1, r.event, r.timestamp, r.dirty]);
    for (let m = 0; m < METRICS && count < values; m++, count++) {
      const v = valueOf(i, m);
      value.run([metricId(m), i + 1, v.numeric ?? null, v.label ?? null]);
    }
  }
  build.free();
  value.free();
  db.run("INSERT INTO store_meta (key, value) VALUES ('journal_seq', '0')");
  db.run('COMMIT');
  // With its rollups, as a real store has them (else every open would rebuild them first).
  const { StoreDb } = ctx.out('src/core/store/database.js');
  const { rebuildRollups } = ctx.out('src/core/store/rollups.js');
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

export async function generatedJsonl(ctx, lines) {
  const file = path.join(ctx.cacheDir, `import-${lines}-${FORMAT}.jsonl`);
  if (existsSync(file)) return file;
  mkdirSync(ctx.cacheDir, { recursive: true });
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp);
  let chunk = '';
  for (let n = 0; n < lines; n++) {
    const i = Math.floor(n / METRICS);
    const m = n % METRICS;
    const r = runOf(i);
    const v = valueOf(i, m);
    const line = { metric_id: metricId(m), timestamp: r.timestamp, commit_sha: r.sha, branch: r.branch, source: 'bench' };
    if (v.label !== undefined) line.value_label = v.label;
    else line.value_numeric = v.numeric;
    chunk += JSON.stringify(line) + '\n';
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
      chunk = '';
    }
  }
  await new Promise((resolve, reject) => out.end(chunk, (err) => (err ? reject(err) : resolve())));
  renameSync(tmp, file);
  return file;
}

/** A 20-metric build input as the collector would hand it to recordBuild. */
export function benchBuild(n, definitions) {
  const r = runOf(10_000_000 + n);
  return {
    build: { commitSha: r.sha, branch: 'main', runId: `bench-record-${n}-${process.pid}`, event: 'manual', timestamp: new Date(Date.UTC(2030, 0, 1) + n * 1000).toISOString(), dirty: false },
    definitions,
    results: definitions.map((d, m) => ({ metric: d.id, status: 'ok', value: d.type === 'label' ? `v${n}` : 1000 * m + n * 0.5, durationMs: 10 })),
  };
}

export function benchDefinitions() {
  return Array.from({ length: METRICS }, (_, m) => ({
    id: metricId(m),
    type: m === METRICS - 1 ? 'label' : 'numeric',
    unit: m === METRICS - 1 ? null : 'bytes',
    direction: m === METRICS - 1 ? null : m % 3 === 0 ? 'higher-is-better' : m % 3 === 1 ? 'lower-is-better' : null,
  }));
}
