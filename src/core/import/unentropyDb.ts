/**
 * Reading an Unentropy SQLite database (its tables metric_definitions, build_contexts,
 * metric_values): recognised by its header and tables, read from a copy in memory (the file is
 * opened read-only and never changed), turned into runs for the store.
 */
import * as fs from 'node:fs';
import { loadSqlJs } from '../store/sqljs';
import type { RunOutcome, SharedRun } from '../store/api';
import { UNITS, type MetricDefinition, type RunEvent, type Unit } from '../types';

const SQLITE_HEADER = 'SQLite format 3\u0000';
const SHA = /^[0-9a-f]{40}$/i;

export function isSqliteFile(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    return fs.readSync(fd, buf, 0, 16, 0) === 16 && buf.toString('latin1') === SQLITE_HEADER;
  } finally {
    fs.closeSync(fd);
  }
}

/** Unentropy's event names (GitHub's) in Tidemark's words; the original stays in the run id when absent. */
export function eventFromUnentropy(name: string): RunEvent {
  if (name === 'import') return 'import';
  if (name === 'manual' || name === 'local') return 'manual';
  return 'ci';
}

export interface UnentropyRead {
  runs: SharedRun[];
  problems: string[];
  values: number;
}

export async function readUnentropyDb(file: string, wasmPath?: string): Promise<UnentropyRead> {
  const SQL = await loadSqlJs(wasmPath);
  // The bytes are copied into memory: nothing ever writes to the file.
  const fd = fs.openSync(file, 'r');
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const db = new SQL.Database(bytes);
  try {
    const tables = new Set(db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values.map((r) => String(r[0])) ?? []);
    const missing = ['metric_definitions', 'build_contexts', 'metric_values'].filter((t) => !tables.has(t));
    if (missing.length) throw new Error(`${file} is an SQLite database but not Unentropy's (no table ${missing.join(', ')})`);
    if (tables.has('store_meta') && tables.has('metric_outcomes')) throw new Error(`${file} is a Tidemark store, not an Unentropy database: use it with --db`);
    const definitions = new Map<string, MetricDefinition>();
    for (const row of db.exec('SELECT id, type, unit, description FROM metric_definitions')[0]?.values ?? []) {
      const unit = (UNITS as readonly unknown[]).includes(row[2]) ? (row[2] as Unit) : null;
      const type = row[1] === 'label' ? 'label' : 'numeric';
      definitions.set(String(row[0]), { id: String(row[0]), type, unit: type === 'numeric' ? unit : null, description: row[3] == null ? null : String(row[3]), direction: null, name: null });
    }
    const problems: string[] = [];
    const runs = new Map<number, SharedRun>();
    for (const row of db.exec('SELECT id, commit_sha, branch, run_id, run_number, event_name, timestamp FROM build_contexts ORDER BY id')[0]?.values ?? []) {
      const [id, sha, branch, runId, runNumber, event, timestamp] = row;
      const ms = Date.parse(String(timestamp));
      if (typeof sha !== 'string' || !SHA.test(sha) || !Number.isFinite(ms) || typeof runId !== 'string' || runId === '') {
        problems.push(`build ${String(id)}: skipped (commit ${JSON.stringify(sha)}, run id ${JSON.stringify(runId)}, time ${JSON.stringify(timestamp)})`);
        continue;
      }
      runs.set(Number(id), {
        commitSha: sha.toLowerCase(),
        branch: typeof branch === 'string' && branch.trim() ? branch : '(no git)',
        runId,
        runNumber: Number.isSafeInteger(Number(runNumber)) && Number(runNumber) >= 0 ? Number(runNumber) : 0,
        event: eventFromUnentropy(String(event ?? '')),
        timestamp: new Date(ms).toISOString(),
        definitions: [],
        outcomes: [],
      });
    }
    let values = 0;
    for (const row of db.exec('SELECT metric_id, build_id, value_numeric, value_label FROM metric_values ORDER BY build_id, metric_id')[0]?.values ?? []) {
      const run = runs.get(Number(row[1]));
      const def = definitions.get(String(row[0]));
      if (!run || !def) continue;
      const value = def.type === 'numeric' ? (typeof row[2] === 'number' && Number.isFinite(row[2]) ? row[2] : null) : row[3] == null ? null : String(row[3]);
      if (value === null) {
        problems.push(`value of ${def.id} in build ${String(row[1])}: not a ${def.type} value, skipped`);
        continue;
      }
      const outcome: RunOutcome = { metric: def.id, status: 'ok', value, durationMs: null, message: null };
      run.outcomes.push(outcome);
      if (!run.definitions.some((d) => d.id === def.id)) run.definitions.push(def);
      values++;
    }
    return { runs: [...runs.values()].filter((r) => r.outcomes.length > 0), problems, values };
  } finally {
    db.close();
  }
}
