/**
 * The store's SQL schema as an ordered list of migrations, applied on open.
 *
 * Version 1 is the seed data model (Unentropy's tables, names and constraints). Version 2 adds
 * what Tidemark needs on top of it without changing the seed's shape: metric direction and
 * display name, the dirty flag of a run, per-metric outcomes without a value (failures) and a
 * meta table that records which journal records a snapshot already contains.
 */
import type { Database } from 'sql.js';
import { migrateMetricParts } from './parts';

interface Migration {
  version: number;
  description: string;
  sql: string;
  /** Moves data the SQL cannot, after it, in the same transaction. */
  data?: (db: Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'Seed data model: metric definitions, build contexts, metric values',
    sql: `
      CREATE TABLE metric_definitions (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('numeric', 'label')),
        unit TEXT,
        description TEXT
      );
      CREATE TABLE build_contexts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        commit_sha TEXT NOT NULL,
        branch TEXT NOT NULL,
        run_id TEXT NOT NULL,
        run_number INTEGER NOT NULL,
        event_name TEXT NOT NULL,
        timestamp TEXT NOT NULL,
        UNIQUE (commit_sha, run_id)
      );
      CREATE TABLE metric_values (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        metric_id TEXT NOT NULL REFERENCES metric_definitions(id),
        build_id INTEGER NOT NULL REFERENCES build_contexts(id) ON DELETE CASCADE,
        value_numeric REAL,
        value_label TEXT,
        -- Also the (metric_id, build_id) index every per-metric query uses.
        UNIQUE (metric_id, build_id),
        CHECK ((value_numeric IS NULL) <> (value_label IS NULL))
      );
      CREATE INDEX idx_metric_values_build ON metric_values(build_id);
      CREATE INDEX idx_build_contexts_branch_timestamp ON build_contexts(branch, timestamp);
      CREATE INDEX idx_build_contexts_commit ON build_contexts(commit_sha);
      CREATE INDEX idx_build_contexts_timestamp ON build_contexts(timestamp);
    `,
  },
  {
    version: 2,
    description: 'Tidemark: direction and name, dirty runs, failed outcomes, journal position',
    sql: `
      ALTER TABLE metric_definitions ADD COLUMN direction TEXT
        CHECK (direction IS NULL OR direction IN ('higher-is-better', 'lower-is-better'));
      ALTER TABLE metric_definitions ADD COLUMN name TEXT;
      ALTER TABLE build_contexts ADD COLUMN dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1));
      CREATE TABLE metric_outcomes (
        build_id INTEGER NOT NULL REFERENCES build_contexts(id) ON DELETE CASCADE,
        metric_id TEXT NOT NULL REFERENCES metric_definitions(id),
        status TEXT NOT NULL CHECK (status IN ('failed', 'timeout', 'invalid-output', 'cancelled')),
        duration_ms REAL,
        message TEXT,
        PRIMARY KEY (build_id, metric_id)
      );
      CREATE INDEX idx_metric_outcomes_metric_build ON metric_outcomes(metric_id, build_id);
      -- Run numbers default to MAX(run_number) + 1: without an index that is a scan per run.
      CREATE INDEX idx_build_contexts_run_number ON build_contexts(run_number);
      CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 3,
    description: 'Rollups: per-bucket aggregates of values, labels and runs (hour, day, week, month)',
    // Buckets and times are epoch ms (8 bytes instead of 24 for ISO text: these tables hold the
    // most rows). WITHOUT ROWID + a primary key that starts (metric, grain, bucket) makes the key
    // itself the range-scan index, clustered, with no second copy of the rows. The store fills
    // them from the existing runs right after this migration (rollups.ts: rebuildRollups).
    sql: `
      CREATE TABLE metric_rollups (
        metric_id TEXT NOT NULL,
        grain TEXT NOT NULL CHECK (grain IN ('hour', 'day', 'week', 'month')),
        bucket_start INTEGER NOT NULL,
        branch TEXT NOT NULL,
        event_name TEXT NOT NULL,
        dirty INTEGER NOT NULL CHECK (dirty IN (0, 1)),
        value_count INTEGER NOT NULL,
        failure_count INTEGER NOT NULL,
        min_value REAL,
        max_value REAL,
        sum_value REAL,
        first_value,
        first_at INTEGER,
        first_build INTEGER,
        last_value,
        last_at INTEGER,
        last_build INTEGER,
        PRIMARY KEY (metric_id, grain, bucket_start, branch, event_name, dirty)
      ) WITHOUT ROWID;
      CREATE TABLE label_rollups (
        metric_id TEXT NOT NULL,
        grain TEXT NOT NULL,
        bucket_start INTEGER NOT NULL,
        branch TEXT NOT NULL,
        event_name TEXT NOT NULL,
        dirty INTEGER NOT NULL,
        label TEXT NOT NULL,
        value_count INTEGER NOT NULL,
        PRIMARY KEY (metric_id, grain, bucket_start, branch, event_name, dirty, label)
      ) WITHOUT ROWID;
      CREATE TABLE run_rollups (
        grain TEXT NOT NULL,
        bucket_start INTEGER NOT NULL,
        branch TEXT NOT NULL,
        event_name TEXT NOT NULL,
        dirty INTEGER NOT NULL,
        run_count INTEGER NOT NULL,
        last_at INTEGER NOT NULL,
        last_build INTEGER NOT NULL,
        PRIMARY KEY (grain, bucket_start, branch, event_name, dirty)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    description: 'Sharing: where each run came from (local, notes, import) and which runs are published to which notes ref',
    // source: 'local' = recorded by this machine's Tidemark, 'notes' = pulled from a git notes ref
    // (CI or a teammate's publish; event_name says which), 'import' = a JSONL or Unentropy import.
    sql: `
      ALTER TABLE build_contexts ADD COLUMN source TEXT NOT NULL DEFAULT 'local'
        CHECK (source IN ('local', 'notes', 'import'));
      UPDATE build_contexts SET source = 'import' WHERE event_name = 'import';
      CREATE TABLE shared_runs (
        build_id INTEGER NOT NULL REFERENCES build_contexts(id) ON DELETE CASCADE,
        notes_ref TEXT NOT NULL,
        published_at TEXT NOT NULL,
        PRIMARY KEY (notes_ref, build_id)
      ) WITHOUT ROWID;
      CREATE INDEX idx_shared_runs_build ON shared_runs(build_id);
    `,
  },
  {
    version: 5,
    description: 'Breakdowns: each run\'s per-file (or per-package) parts of a metric, as deltas on the branch\'s previous run',
    // No foreign key: a cascade by build_id would scan this table (its key starts with the
    // metric) for every deleted run; retention and clear delete rows by key instead (parts.ts).
    sql: `
      CREATE TABLE metric_parts (
        metric_id TEXT NOT NULL,
        build_id INTEGER NOT NULL,
        base_build INTEGER,
        depth INTEGER NOT NULL,
        parts TEXT NOT NULL,
        PRIMARY KEY (metric_id, build_id)
      ) WITHOUT ROWID;
      CREATE INDEX idx_metric_parts_base ON metric_parts(base_build) WHERE base_build IS NOT NULL;
      CREATE TABLE metric_part_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    `,
  },
  {
    version: 6,
    description: 'Breakdowns: one packed row per run (every metric\'s parts, as deltas on the branch\'s previous run) instead of one JSON row per metric',
    // One row per run instead of one per (metric, run): the key and row overhead was most of
    // what a breakdown cost (schema 5 crossed the 50 MB scale budget). parts.ts has the blob
    // layout; the data step rewrites schema 5's rows and drops metric_parts. No index on
    // base_build: parts.ts finds the runs based on a run from the branch order and run ids.
    sql: `
      CREATE TABLE run_parts (
        build_id INTEGER PRIMARY KEY,
        base_build INTEGER,
        parts BLOB NOT NULL
      );
    `,
    data: migrateMetricParts,
  },
  {
    version: 7,
    description: 'No second index on commit_sha: UNIQUE (commit_sha, run_id) serves every commit lookup',
    // Random shas put each new run's entry on a random page of a commit index: two such indexes
    // were most of the pages a journal replay touched on a large store (docs/storage.md).
    sql: `
      DROP INDEX IF EXISTS idx_build_contexts_commit;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

function currentVersion(db: Database): number {
  const exists = db.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (!exists.length) return 0;
  const rows = db.exec('SELECT MAX(version) FROM schema_version');
  return Number(rows[0]?.values[0]?.[0] ?? 0);
}

/**
 * Brings a database to SCHEMA_VERSION, one transaction per migration. Returns the versions
 * applied. A database written by a newer Tidemark is refused rather than guessed at.
 */
export function migrate(db: Database, now: () => string = () => new Date().toISOString()): number[] {
  // Unentropy's database has the seed tables but not Tidemark's schema_version (with its description).
  const seedTables = db.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'metric_definitions'").length > 0;
  const ours = db.exec("SELECT 1 FROM pragma_table_info('schema_version') WHERE name = 'description'").length > 0;
  if (seedTables && !ours) {
    throw new Error('this database was not written by Tidemark (it looks like an Unentropy database): import it with `tidemark import FILE`; it is left unchanged');
  }
  db.run(`CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL,
    description TEXT NOT NULL
  )`);
  const from = currentVersion(db);
  const done = new Set((db.exec('SELECT version FROM schema_version')[0]?.values ?? []).map((row) => Number(row[0])));
  if (from > SCHEMA_VERSION) {
    throw new Error(
      `store schema version ${from} is newer than this Tidemark understands (${SCHEMA_VERSION}); update Tidemark`,
    );
  }
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    // By set, not by the highest version: a migration numbered below one already applied (merged
    // from a parallel branch later) still runs.
    if (done.has(migration.version)) continue;
    db.run('BEGIN');
    try {
      db.exec(migration.sql);
      migration.data?.(db);
      db.run('INSERT INTO schema_version (version, applied_at, description) VALUES (?, ?, ?)', [
        migration.version,
        now(),
        migration.description,
      ]);
      db.run('COMMIT');
    } catch (err) {
      db.run('ROLLBACK');
      throw new Error(`store migration to version ${migration.version} failed: ${(err as Error).message}`);
    }
    applied.push(migration.version);
  }
  return applied;
}
