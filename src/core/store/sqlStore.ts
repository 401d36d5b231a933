/**
 * The in-process store: an in-memory sql.js database persisted as
 *   X.db          full snapshot (its store_meta.journal_seq says which journal records it holds)
 *   X.db.journal  append-only, fsync'd, one record per recorded build or clear
 *   X.db.lock     cross-process lock held briefly around appends, catch-up and snapshots.
 *
 * Recording a build costs one journal append + fsync, whatever the history size. Snapshots
 * (O(history)) are written to a temp file and renamed, when the journal passes a threshold
 * (queued behind the call that crossed it), on compact(), after a clear or an
 * import, and on close() past the threshold. Before each call the store stats the two files
 * and catches up with writes made by other processes.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { RUN_EVENTS, silentLogger, type BuildRecord, type Logger, type MetricDefinition, type RunEvent } from '../types';
import type {
  Breakdown,
  BreakdownQuery,
  BuildWithValues,
  BuildsQuery,
  Comparison,
  ImportOutcome,
  LatestMetric,
  LatestQuery,
  RecordBuildInput,
  RecordBuildOutcome,
  RetentionOutcome,
  RetentionPolicy,
  RetentionSliceOptions,
  RollupPoint,
  RollupQuery,
  RollupRebuildOutcome,
  SeriesPoint,
  SeriesQuery,
  SharedImportInput,
  SharedImportOutcome,
  SharedRun,
  UnpublishedQuery,
  StoreApi,
  StoreOptions,
  StoreProblem,
  StoreStats,
  StoreSummary,
  SummaryQuery,
} from './api';
import * as rollupQueries from './rollupQueries';
import { META_ROLLUPS_READY, prunedUntil, rebuildRollups } from './rollups';
import { retentionSlice, type RetentionCursor } from './retention';
import { StoreDb } from './database';
import type { PartChange } from './parts';
import { appendRecord, fsyncDir, readJournal, truncateJournal } from './journal';
import { exportJsonl, importJsonl } from './jsonl';
import { FileLock } from './lock';
import { CarriedDefinitions, type JournalOp } from './operations';
import * as queries from './queries';
import * as shared from './shared';
import { migrate } from './schema';
import { loadSqlJs, spareCapacity, withCapacity, type DatabaseFile } from './sqljs';
import { openSnapshotFile, type SnapshotFile } from './snapshotFile';

/**
 * Without a configured threshold, a store is snapshotted once its journal reaches 1/16 of the
 * snapshot's size, between 16 KiB and 512 KiB. Every open replays the journal (about 0.15 ms
 * a run) while a snapshot is written once: a small store's snapshot costs a few ms, so letting its
 * journal grow to 512 KiB (some 1,500 one-metric runs) would make each CLI command replay a
 * quarter of a second of runs to save that. A large store keeps up to 512 KiB: some 400 runs of
 * 20 metrics (a record leaves out unchanged definitions, operations.ts), 60–80 ms at open,
 * against a snapshot of the whole store (0.7 s for 140 MB) every 400 runs.
 */
export const MAX_COMPACT_THRESHOLD = 512 << 10;
const MIN_COMPACT_THRESHOLD = 16 << 10;
const COMPACT_SNAPSHOT_FRACTION = 16;

/** The journal size past which a store whose snapshot has `snapshotBytes` is snapshotted (no threshold configured). */
export function defaultCompactThreshold(snapshotBytes: number): number {
  return Math.min(MAX_COMPACT_THRESHOLD, Math.max(MIN_COMPACT_THRESHOLD, Math.floor(snapshotBytes / COMPACT_SNAPSHOT_FRACTION)));
}
/** Pulls of more runs than this are written as a snapshot instead of a journal record. */
const BULK_PULL_RUNS = 200;
const DEFAULT_LOCK_TIMEOUT = 30_000;

function statKey(st: fs.Stats | null): string | null {
  return st ? `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}` : null;
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Journal records after which a store that has no snapshot yet gets one at open. */
const FIRST_SNAPSHOT_RECORDS = 16;

/** Refusal to touch a file that is not a Tidemark store (or a store that is not ours to write). */
export class StoreRefusedError extends Error {
  override name = 'StoreRefusedError';
  constructor(
    message: string,
    readonly code: string = 'ENOTSTORE',
  ) {
    super(message);
  }
}

/** SQLite's words for a damaged database file, whenever a query first touches a bad page. */
const CORRUPTION = /database disk image is malformed|SQLITE_CORRUPT|file is not a database|SQLITE_NOTADB/i;

/** Cheap structural check of a snapshot before handing it to SQLite: header and page count. */
function snapshotDamage(bytes: Uint8Array): string | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 100 || buf.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') {
    return 'not an SQLite database (bad header)';
  }
  const rawPageSize = buf.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pages = buf.readUInt32BE(28);
  const headerCountValid = buf.readUInt32BE(92) === buf.readUInt32BE(24);
  if (headerCountValid && pages > 0 && pages * pageSize !== buf.length) {
    return `truncated or damaged: the header says ${pages} pages of ${pageSize} bytes but the file has ${buf.length} bytes`;
  }
  return null;
}

export class SqlStore implements StoreApi {
  private db!: StoreDb;
  private readonly journalPath: string;
  private readonly lock: FileLock;
  private readonly logger: Logger;
  private readonly configuredThreshold: number | undefined;
  private readonly problems: StoreProblem[] = [];
  private readonly reportedDamage = new Set<number>();
  private snapshotKey: string | null = null;
  /** End of the last good journal record read or written. */
  private journalOffset = 0;
  /** The definitions of the snapshot and of the journal's records up to journalOffset (a record leaves those out). */
  private readonly carried = new CarriedDefinitions();
  /** Journal size when last looked at (differs from the offset by a torn tail). */
  private journalSize = 0;
  private appliedSeq = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private compactionScheduled = false;
  private closed = false;
  /** Where the current retention pass continues, for the policy it was started with. */
  private retention: { policy: string; cursor: RetentionCursor } | null = null;
  /** The database whose file sql.js keeps in a buffer of ours (reserveCapacity), and that buffer. */
  private live: { db: StoreDb; file: DatabaseFile } | null = null;

  private constructor(
    private readonly SQL: SqlJsStatic,
    readonly path: string,
    private readonly options: StoreOptions,
  ) {
    this.journalPath = `${path}.journal`;
    this.lock = new FileLock(`${path}.lock`, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT);
    this.logger = options.logger ?? silentLogger;
    this.configuredThreshold = options.compactThresholdBytes;
  }

  static async open(path: string, options: StoreOptions = {}): Promise<SqlStore> {
    checkIsStorePath(path);
    const SQL = await loadSqlJs(options.wasmPath);
    const store = new SqlStore(SQL, path, options);
    if (options.readOnly) {
      store.loadConsistent();
      return store;
    }
    await store.lock.acquire();
    try {
      store.removeAbandonedTemps();
      store.loadAll();
    } finally {
      store.lock.release();
    }
    return store;
  }

  private get readOnly(): boolean {
    return this.options.readOnly === true;
  }

  /**
   * Snapshot temp files of writers killed mid-snapshot (never renamed, so never part of the
   * store). Called under the lock, and a temp is only ever written under the lock, so every
   * temp but our own is abandoned — whatever its pid means in this PID namespace.
   */
  private removeAbandonedTemps(): void {
    const dir = nodePath.dirname(this.path);
    const prefix = `${nodePath.basename(this.path)}.tmp-`;
    for (const name of fs.readdirSync(dir)) {
      if (!name.startsWith(prefix) || name === `${prefix}${process.pid}`) continue;
      fs.rmSync(nodePath.join(dir, name), { force: true });
      this.logger.info(`store: removed ${name}, left by a writer that was killed while writing a snapshot`);
    }
  }

  /** Read-only load without the lock: retried when a snapshot was swapped in while reading. */
  private loadConsistent(): void {
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = statKey(statOrNull(this.path));
      this.loadAll();
      if (statKey(statOrNull(this.path)) === before) return;
    }
  }

  private report(problem: StoreProblem): void {
    this.problems.push(problem);
    this.logger.error(`store: ${problem.message}`);
    try {
      this.options.onProblem?.(problem);
    } catch (err) {
      this.logger.error(`store: onProblem handler failed: ${(err as Error).message}`);
    }
  }

  /** (Re)loads the snapshot and replays the journal. Caller holds the lock. */
  private loadAll(): void {
    const previous = this.db;
    let file: SnapshotFile | null = null;
    try {
      file = openSnapshotFile(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    let key = file ? statKey(file.stat) : null;
    // A snapshot is only ever written whole (temp + rename): an empty file is damage, not a new store.
    let db;
    try {
      db = file ? this.openSnapshot(file) : null;
    } catch (err) {
      file?.close();
      throw err;
    }
    const fresh = !db;
    if (!db) {
      file?.close();
      db = new this.SQL.Database();
      if (file) key = null;
    }
    // In memory only: a read-only store's file is never rewritten. (Journal and lock as StoreDb
    // sets them, first: a fresh store's migrations otherwise write a journal file per migration.)
    db.exec('PRAGMA journal_mode = MEMORY; PRAGMA locking_mode = EXCLUSIVE');
    const migrated = migrate(db);
    previous?.close();
    this.db = new StoreDb(db, fresh ? undefined : (file ?? undefined));
    this.live = null;
    // A fresh database has no runs, so its (empty) rollups are complete: the journal's records
    // add theirs incrementally. Without this, every open of a store that has no snapshot yet
    // would "rebuild" the rollups.
    if (fresh) this.db.setMeta(META_ROLLUPS_READY, '1');
    this.snapshotKey = key ?? statKey(statOrNull(this.path));
    this.appliedSeq = Number(this.db.getMeta('journal_seq') ?? 0);
    this.journalOffset = 0;
    this.journalSize = 0;
    this.carried.reset(fresh || this.readOnly ? [] : this.db.definitions());
    // A store from before rollups existed (or filled by bulk SQL): build them from its runs,
    // before the journal's records add theirs incrementally.
    const needsRollups = this.db.getMeta(META_ROLLUPS_READY) !== '1';
    if (needsRollups) {
      const started = Date.now();
      const built = this.db.transaction(() => rebuildRollups(this.db));
      this.logger.info(`store: built ${built.metricRows} rollup rows from existing runs in ${Date.now() - started} ms`);
    }
    this.catchUpJournal();
    if (file && !fresh) this.logger.debug(`store: opened a snapshot of ${file.stat.size} bytes, ${file.bytesRead} read so far (pages are read as queries need them)`);
    if (this.readOnly) return;
    // A snapshot from an older schema is migrated by every open until one is written: once, now.
    if ((needsRollups || migrated.length > 0) && key !== null) this.writeSnapshot();
    // A journal without a snapshot (the first runs of a store) is migrated and replayed from
    // scratch by every open: past a few records, its first snapshot is written now, once.
    else if (fresh && file === null && this.appliedSeq >= FIRST_SNAPSHOT_RECORDS) this.writeSnapshot();
  }

  /**
   * Opens a snapshot (its pages are read as queries need them, snapshotFile.ts), or moves a
   * corrupt snapshot aside (read-only: leaves it) and returns null.
   */
  private openSnapshot(file: SnapshotFile) {
    const bytes = file.bytes;
    let damage = bytes.length === 0 ? 'it is empty (0 bytes)' : snapshotDamage(bytes);
    if (!damage) {
      let db;
      try {
        db = new this.SQL.Database(bytes);
        if (!file.handedOver()) {
          // sql.js copied the bytes some other way: read them all and open again (only speed is lost).
          db.close();
          file.readAll();
          db = new this.SQL.Database(bytes);
        }
        const tables = db.exec("SELECT name FROM sqlite_master WHERE type = 'table'");
        const names = new Set((tables[0]?.values ?? []).map((row) => String(row[0])));
        if (names.size > 0 && !names.has('build_contexts')) {
          db.close();
          throw new StoreRefusedError(`${this.path} is an SQLite database but not a Tidemark store (it has no build_contexts table); nothing was changed. Point --db at a Tidemark store or at a new file.`);
        }
        return db;
      } catch (err) {
        db?.close();
        if (err instanceof StoreRefusedError) throw err;
        damage = `SQLite cannot read it (${(err as Error).message})`;
      }
    }
    this.quarantine(damage);
    return null;
  }

  /**
   * A damaged snapshot of ours is moved aside (never overwritten, never deleted) and the store
   * is rebuilt from what survives: the journal. Read-only, it is left in place and reported.
   */
  private quarantine(damage: string): void {
    if (this.readOnly) {
      this.report({
        kind: 'corrupt-snapshot',
        file: this.path,
        message: `${this.path} is damaged: ${damage}. Showing what the journal holds; it was left as it is (this command only reads). Run \`tidemark compact\` to move it aside and rebuild the store from the journal.`,
      });
      return;
    }
    if (!fs.existsSync(this.journalPath)) {
      throw new StoreRefusedError(
        `${this.path} is damaged (${damage}) and there is no ${nodePath.basename(this.journalPath)} next to it, so it may not be a Tidemark store: nothing was changed. If it is your store, move it aside (mv ${this.path} ${this.path}.damaged) to start again.`,
      );
    }
    const movedTo = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(this.path, movedTo);
    fsyncDir(this.path);
    this.report({
      kind: 'corrupt-snapshot',
      file: this.path,
      movedTo,
      message: `${this.path} is damaged: ${damage}. It was moved to ${movedTo} (kept as evidence); the store was rebuilt from the journal.`,
    });
  }

  /** A query hit a damaged page: quarantine the snapshot and rebuild from the journal. Caller holds the lock (or is read-only). */
  private recoverFromCorruption(error: Error): void {
    this.snapshotKey = null;
    const previous = this.db;
    const db = new this.SQL.Database();
    migrate(db);
    previous?.close();
    if (fs.existsSync(this.path)) this.quarantine(`SQLite cannot read all of it (${error.message})`);
    this.db = new StoreDb(db);
    this.live = null;
    this.appliedSeq = 0;
    this.journalOffset = 0;
    this.journalSize = 0;
    this.carried.reset([]);
    this.reportedDamage.clear();
    this.catchUpJournal();
    this.snapshotKey = statKey(statOrNull(this.path));
    if (!this.readOnly && this.snapshotKey === null) this.writeSnapshot();
  }

  /** Applies journal records this process has not seen yet. */
  private catchUpJournal(): void {
    const started = performance.now();
    const read = readJournal(this.journalPath, this.journalOffset);
    for (const record of read.records) this.carried.note(record.op);
    const pending = read.records.filter((record) => record.seq > this.appliedSeq);
    // One transaction for the whole catch-up (a commit per record made replay ~10× slower).
    // A record that fails is undone alone and reported: the batch is then redone with a
    // savepoint per record (a savepoint per record up front cost a fifth of a replay).
    const failures: { seq: number; error: Error }[] = [];
    if (pending.length) {
      let failed = false;
      try {
        this.db.transaction(() => this.db.batchRollups(() => {
          for (const record of pending) this.db.apply(record.op);
        }));
      } catch {
        failed = true;
      }
      if (failed) {
        this.db.transaction(() =>
          this.db.batchRollups(() => {
            for (const record of pending) {
              this.db.db.run('SAVEPOINT replay');
              try {
                this.db.apply(record.op);
                this.db.db.run('RELEASE replay');
              } catch (err) {
                this.db.db.run('ROLLBACK TO replay');
                this.db.forgetAppliedDefinitions();
                this.db.db.run('RELEASE replay');
                failures.push({ seq: record.seq, error: err as Error });
              }
            }
          }),
        );
      }
      this.appliedSeq = pending[pending.length - 1].seq;
      this.logger.debug(`store: replayed ${pending.length} journal records (read, checked and applied) in ${(performance.now() - started).toFixed(1)} ms`);
    }
    for (const { seq, error } of failures) {
      this.report({ kind: 'replay-failed', file: this.journalPath, message: `journal record ${seq} could not be replayed: ${error.message}` });
    }
    read.damaged.forEach((offset, i) => {
      if (this.reportedDamage.has(offset)) return;
      this.reportedDamage.add(offset);
      const kept = this.keepDamagedLine(offset, read.damagedLines[i]);
      this.report({
        kind: 'damaged-journal',
        file: this.journalPath,
        message: `journal line at byte ${offset} of ${this.journalPath} is damaged (bad checksum); it was skipped${kept ? ` and kept in ${kept}` : ''}`,
      });
    });
    this.journalOffset = read.end;
    this.journalSize = read.end + read.tornTailBytes;
  }

  /** Appends a damaged journal line to X.db.journal.damaged before a snapshot could truncate it; returns that file. */
  private keepDamagedLine(offset: number, line: Buffer | undefined): string | null {
    if (this.readOnly || !line) return null;
    const file = `${this.journalPath}.damaged`;
    try {
      fs.appendFileSync(file, Buffer.concat([Buffer.from(`# byte ${offset} of ${this.journalPath}, found ${new Date().toISOString()}\n`), line, Buffer.from('\n')]));
      return file;
    } catch (err) {
      this.logger.warn(`store: could not keep the damaged journal line aside: ${(err as Error).message}`);
      return null;
    }
  }

  /** True when another process changed the files since we last looked. */
  private changedOnDisk(): boolean {
    return statKey(statOrNull(this.path)) !== this.snapshotKey || (statOrNull(this.journalPath)?.size ?? 0) !== this.journalSize;
  }

  /** Brings the in-memory database up to date with the files. Caller holds the lock. */
  private sync(): void {
    if (statKey(statOrNull(this.path)) !== this.snapshotKey) {
      this.loadAll();
      return;
    }
    const size = statOrNull(this.journalPath)?.size ?? 0;
    if (size < this.journalOffset) {
      this.reportedDamage.clear();
      this.loadAll();
    } else if (size !== this.journalSize) {
      this.catchUpJournal();
    }
  }

  private async withLock<T>(body: () => T | Promise<T>): Promise<T> {
    if (this.readOnly) {
      this.sync();
      return body();
    }
    await this.lock.acquire();
    try {
      this.sync();
      return await body();
    } finally {
      this.lock.release();
    }
  }

  /** Serializes calls; reads take the lock only when the files changed. */
  private enqueue<T>(kind: 'read' | 'write', body: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      if (this.closed) throw new Error(`store ${this.path} is closed`);
      if (kind === 'write' && this.readOnly) throw new StoreRefusedError(`store ${this.path} was opened read-only`, 'EREADONLY');
      const attempt = async () => {
        if (kind === 'write') return this.withLock(body);
        if (this.changedOnDisk()) await this.withLock(() => undefined);
        return body();
      };
      try {
        return await attempt();
      } catch (err) {
        if (!CORRUPTION.test((err as Error).message ?? '')) throw err;
        // Damaged pages behind a valid header surface only when a query reads them.
        await this.withLock(() => this.recoverFromCorruption(err as Error)).catch((e: Error) => {
          throw e instanceof StoreRefusedError ? e : err;
        });
        return attempt();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Applies `op` and appends it to the journal in one transaction: both happen or neither. */
  private commit(full: JournalOp): number {
    // Applied as journaled, so that the replay does what this did.
    const op = this.carried.slim(full);
    this.db.db.run('BEGIN');
    let result: number;
    try {
      result = this.db.apply(op);
      const seq = this.appliedSeq + 1;
      this.journalOffset = appendRecord(this.journalPath, this.journalOffset, { seq, op });
      this.journalSize = this.journalOffset;
      this.db.db.run('COMMIT');
      this.appliedSeq = seq;
      this.carried.note(op);
    } catch (err) {
      this.db.db.run('ROLLBACK');
      throw err;
    }
    return result;
  }

  /** Full snapshot: export -> temp file -> fsync -> rename -> fsync dir -> truncate journal. Caller holds the lock. */
  private writeSnapshot(): void {
    const started = Date.now();
    const live = this.live?.db === this.db ? this.live.file : null;
    live?.takeWrites();
    this.db.setMeta('journal_seq', String(this.appliedSeq));
    const image = live ? this.liveImage(live) : null;
    const bytes = image ?? this.db.db.export();
    const tmp = `${this.path}.tmp-${process.pid}`;
    // Read and write: the pages the database never read come from this file once it is the snapshot.
    let fd: number | null = fs.openSync(tmp, 'w+');
    try {
      try {
        let written = 0;
        while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
        fs.fsyncSync(fd);
      } catch (err) {
        // A full disk: the old snapshot and the journal are untouched, only the temp goes.
        fs.rmSync(tmp, { force: true });
        throw err;
      }
      fs.renameSync(tmp, this.path);
      // The snapshot opened is let go (its disk space freed) for the one just written.
      if (this.db.file?.continueFrom(fd, this.path)) fd = null;
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
    fsyncDir(this.path);
    truncateJournal(this.journalPath);
    // The (empty) journal next to a snapshot marks the pair as a Tidemark store.
    if (!fs.existsSync(this.journalPath)) fs.closeSync(fs.openSync(this.journalPath, 'a'));
    this.reportedDamage.clear();
    this.snapshotKey = statKey(statOrNull(this.path));
    this.journalOffset = 0;
    this.journalSize = 0;
    this.carried.reset(this.db.definitions());
    this.logger.debug(`store: snapshot of ${bytes.length} bytes written in ${Date.now() - started} ms${image ? ' (from the database file itself)' : ''}`);
  }

  /**
   * The database file as sql.js holds it, when that is a buffer of ours (reserveCapacity): the
   * snapshot without export()'s copy (export copies every page through SQLite's backup API,
   * about 1 s for a 130 MB store). Only when the commit just made (writeSnapshot's meta write,
   * outside any transaction: SQLite writes its pages to the file at commit) wrote into that
   * buffer, so sql.js never replaced it, and the file fits in it; else null (export()).
   */
  private liveImage(file: DatabaseFile): Uint8Array | null {
    if (file.takeWrites() === 0) return null;
    const pages = Number(this.db.one('PRAGMA page_count')?.[0]);
    const pageSize = Number(this.db.one('PRAGMA page_size')?.[0]);
    const autoVacuum = Number(this.db.one('PRAGMA auto_vacuum')?.[0]);
    // With auto-vacuum a commit can truncate the file, which replaces MEMFS's buffer.
    if (!(pages > 0 && pageSize > 0) || autoVacuum !== 0) return null;
    const image = file.view(pages * pageSize);
    // export() marks its copy a rollback-journal database (bytes 18-19 = 1); with the journal in memory the file is one.
    if (!image || image[18] !== 1 || image[19] !== 1 || snapshotDamage(image) !== null) return null;
    return image;
  }

  /** Journal bytes past which a snapshot is written (see MIN_COMPACT_THRESHOLD). */
  private get threshold(): number {
    if (this.configuredThreshold !== undefined) return this.configuredThreshold;
    return defaultCompactThreshold(Number(this.snapshotKey?.split(':')[1] ?? 0));
  }

  /**
   * Queues a snapshot right behind the current call: its caller gets the result first (and the
   * worker posts its reply) and only then is the O(history) snapshot written. A timer would be
   * starved by a caller that records in a tight loop.
   */
  private scheduleCompaction(force = false): void {
    if (this.compactionScheduled || (!force && this.journalSize < this.threshold)) return;
    this.compactionScheduled = true;
    this.enqueue('write', () => {
      this.compactionScheduled = false;
      if (force || this.journalSize >= this.threshold) this.writeSnapshot();
    }).catch((err: Error) => this.logger.warn(`store: background snapshot failed: ${err.message}`));
  }

  recordBuild(input: RecordBuildInput): Promise<RecordBuildOutcome> {
    return this.enqueue('write', () => {
      const { op, rejected } = this.db.prepareBuild(input);
      this.commit(op);
      for (const r of rejected) this.logger.warn(`store: ${r.metric} not stored: ${r.message}`);
      this.scheduleCompaction();
      return { build: op.build, rejected };
    });
  }

  clearHistory(): Promise<number> {
    return this.enqueue('write', () => {
      const deleted = this.commit({ kind: 'clear' });
      this.scheduleCompaction(true);
      return deleted;
    });
  }

  importJsonl(filePath: string, options?: { source?: string; skipInvalid?: boolean; signal?: AbortSignal }): Promise<ImportOutcome> {
    return this.enqueue('write', async () => {
      this.reserveCapacity(statOrNull(filePath)?.size ?? 0);
      const { changed, ...outcome } = await importJsonl(this.db, filePath, options);
      // An import can be large: it is persisted as a snapshot rather than a journal record.
      if (changed) this.writeSnapshot();
      return outcome;
    });
  }

  /**
   * Before a write that adds about `bytes` to the database (an import: its file's size, which
   * is about what it adds with rollups): sql.js's in-memory file grows 1.125× at a time, each
   * step a copy of everything, so a large import copied its database over and over. The
   * database is moved into a buffer with room for it instead (one copy now, none later).
   */
  private reserveCapacity(bytes: number): void {
    const pages = this.db.one('PRAGMA page_count')?.[0];
    const pageSize = this.db.one('PRAGMA page_size')?.[0];
    const size = Number(pages) * Number(pageSize);
    if (!Number.isFinite(size) || bytes < Math.max(size / 8, 1 << 20)) return;
    const file = withCapacity(this.db.db.export(), spareCapacity(size + bytes));
    const db = new this.SQL.Database(file.bytes);
    this.db.close();
    this.db = new StoreDb(db);
    this.live = file.handedOver() ? { db: this.db, file } : null;
    this.logger.debug(`store: room for ${bytes} more bytes reserved (${file.handedOver() ? 'taken' : 'copied'} by sql.js)`);
  }

  exportJsonl(filePath: string): Promise<number> {
    return this.enqueue('read', () => exportJsonl(this.db, filePath));
  }

  compact(options: { vacuum?: boolean } = {}): Promise<void> {
    return this.enqueue('write', () => {
      if (options.vacuum) {
        const started = Date.now();
        this.db.db.exec('VACUUM');
        this.logger.debug(`store: vacuum in ${Date.now() - started} ms`);
      }
      this.writeSnapshot();
    });
  }

  rollupSeries(query: RollupQuery): Promise<RollupPoint[]> {
    return this.enqueue('read', () => rollupQueries.rollupSeries(this.db, this.db.rollupBucketer(), query));
  }

  summary(query?: SummaryQuery): Promise<StoreSummary> {
    return this.enqueue('read', () => rollupQueries.summary(this.db, this.db.rollupBucketer(), query));
  }

  breakdown(query: BreakdownQuery): Promise<Breakdown> {
    return this.enqueue('read', () => rollupQueries.breakdown(this.db, this.db.rollupBucketer(), query));
  }

  applyRetention(policy: RetentionPolicy, options: RetentionSliceOptions = {}): Promise<RetentionOutcome> {
    return this.enqueue('write', () => {
      const now = options.now === undefined ? Date.now() : Date.parse(options.now);
      if (!Number.isFinite(now)) throw new Error(`retention now: "${String(options.now)}" is not an ISO 8601 timestamp`);
      const maxBuilds = options.maxBuilds ?? 50;
      if (!Number.isInteger(maxBuilds) || maxBuilds < 1) throw new Error(`retention maxBuilds must be a positive integer, got ${maxBuilds}`);
      const key = JSON.stringify(policy);
      const cursor = this.retention?.policy === key ? this.retention.cursor : null;
      const slice = retentionSlice(this.db, policy, now, maxBuilds, cursor);
      if (slice.buildIds.length || slice.hourRollups || slice.partsBuildIds.length) {
        // No snapshot is queued here: it is O(history) and would make this slice long. The
        // caller compacts when the pass is done (tidemark compact, the extension's idle task).
        this.commit({
          kind: 'prune',
          buildIds: slice.buildIds,
          until: (slice.newest ?? prunedUntilIso(this.db)) as string,
          hourFrom: slice.hourRollups?.from,
          hourTo: slice.hourRollups?.to,
          ...(slice.partsBuildIds.length ? { partsOf: slice.partsBuildIds } : {}),
        });
        if (slice.buildIds.length) this.logger.info(`store: retention deleted ${slice.buildIds.length} runs (the newest from ${slice.newest}); their rollups are kept`);
      }
      // Breakdowns still due after the raw walk: the next slices skip straight to them.
      const pastEnd = { timestamp: '\uffff', id: 0 };
      this.retention = slice.next ? { policy: key, cursor: slice.next } : slice.moreParts ? { policy: key, cursor: pastEnd } : null;
      const until = prunedUntil(this.db);
      const done = slice.next === null && !slice.moreHourRollups && !slice.moreParts;
      return { deleted: slice.buildIds.length, done, prunedUntil: until === null ? null : new Date(until).toISOString() };
    });
  }

  rebuildRollups(options: { timeZone?: string } = {}): Promise<RollupRebuildOutcome> {
    return this.enqueue('write', () => {
      const outcome = this.db.transaction(() => rebuildRollups(this.db, options));
      this.db.forgetBucketer();
      // Derived data only, but O(history): persisted as a snapshot rather than journaled.
      this.writeSnapshot();
      return outcome;
    });
  }

  definitions(): Promise<MetricDefinition[]> {
    return this.enqueue('read', () => this.db.definitions());
  }

  series(query: SeriesQuery): Promise<SeriesPoint[]> {
    return this.enqueue('read', () => queries.series(this.db, query));
  }

  latest(query?: LatestQuery): Promise<LatestMetric[]> {
    return this.enqueue('read', () => queries.latest(this.db, query));
  }

  builds(query?: BuildsQuery): Promise<BuildWithValues[]> {
    return this.enqueue('read', () => queries.builds(this.db, query));
  }

  buildsById(ids: number[]): Promise<BuildRecord[]> {
    return this.enqueue('read', () => queries.buildsById(this.db, ids));
  }

  resolveRef(ref: string): Promise<BuildRecord | null> {
    return this.enqueue('read', () => queries.resolveRef(this.db, ref));
  }

  compare(base: string, head: string): Promise<Comparison> {
    return this.enqueue('read', () => queries.compare(this.db, base, head));
  }

  partChanges(metric: string, baseBuildId: number, headBuildId: number, limit?: number): Promise<PartChange[]> {
    return this.enqueue('read', () => queries.metricPartChanges(this.db, metric, baseBuildId, headBuildId, limit));
  }

  branches(): Promise<{ branch: string; builds: number; lastRun: string }[]> {
    return this.enqueue('read', () => queries.branches(this.db));
  }

  stats(): Promise<StoreStats> {
    return this.enqueue('read', () => {
      const count = (sql: string) => Number(this.db.one(sql)?.[0] ?? 0);
      const range = this.db.one('SELECT MIN(timestamp), MAX(timestamp) FROM build_contexts');
      const until = prunedUntil(this.db);
      const runsByEvent = Object.fromEntries(RUN_EVENTS.map((e) => [e, 0])) as Record<RunEvent, number>;
      for (const [event, runs] of this.db.all('SELECT event_name, COUNT(*) FROM build_contexts GROUP BY event_name')) {
        runsByEvent[String(event) as RunEvent] = Number(runs);
      }
      return {
        path: this.path,
        fileBytes: statOrNull(this.path)?.size ?? 0,
        journalBytes: statOrNull(this.journalPath)?.size ?? 0,
        builds: count('SELECT COUNT(*) FROM build_contexts'),
        values: count('SELECT COUNT(*) FROM metric_values'),
        metrics: count('SELECT COUNT(*) FROM metric_definitions'),
        branches: count('SELECT COUNT(DISTINCT branch) FROM build_contexts'),
        firstRun: range?.[0] == null ? null : String(range[0]),
        lastRun: range?.[1] == null ? null : String(range[1]),
        problems: [...this.problems],
        runsByEvent,
        rollups: {
          metricRows: count('SELECT COUNT(*) FROM metric_rollups'),
          labelRows: count('SELECT COUNT(*) FROM label_rollups'),
          runRows: count('SELECT COUNT(*) FROM run_rollups'),
          timeZone: this.db.rollupBucketer().timeZone,
          prunedUntil: until === null ? null : new Date(until).toISOString(),
        },
      };
    });
  }

  unpublishedRuns(query: UnpublishedQuery): Promise<SharedRun[]> {
    return this.enqueue('read', () => shared.unpublishedRuns(this.db, query));
  }

  markPublished(ref: string, buildIds: number[]): Promise<number> {
    return this.enqueue('write', () => (buildIds.length ? this.commit({ kind: 'published', ref, buildIds, at: new Date().toISOString() }) : 0));
  }

  importShared(input: SharedImportInput): Promise<SharedImportOutcome> {
    return this.enqueue('write', () => {
      const { op, outcome } = shared.preparePulled(this.db, input);
      if (!op) return outcome;
      if (op.runs.length > BULK_PULL_RUNS) {
        // A big pull (a first sync) is persisted as a snapshot like an import, not as one huge journal line.
        this.db.transaction(() => this.db.batchRollups(() => this.db.apply(op)));
        this.writeSnapshot();
      } else {
        this.commit(op);
        this.scheduleCompaction();
      }
      return outcome;
    });
  }

  pulledTip(ref: string): Promise<string | null> {
    return this.enqueue('read', () => shared.pulledTip(this.db, ref));
  }

  close(): Promise<void> {
    if (this.readOnly) {
      return this.queue.then(() => {
        if (this.closed) return;
        this.closed = true;
        this.db.close();
      });
    }
    return this.enqueue('write', () => {
      if (this.journalSize >= this.threshold) this.writeSnapshot();
      this.closed = true;
      this.db.close();
    });
  }
}

/**
 * Refuses paths Tidemark must never write, rename or quarantine: directories, devices, FIFOs
 * and sockets (a FIFO would also hang the read). Regular files are checked by content later.
 */
function checkIsStorePath(path: string): void {
  const st = statOrNull(path);
  if (!st) return;
  if (st.isDirectory()) {
    throw new StoreRefusedError(`${path} is a directory, not a store file: point --db at a file inside it (e.g. ${nodePath.join(path, 'tidemark.db')})`, 'EISDIR');
  }
  if (!st.isFile()) {
    throw new StoreRefusedError(`${path} is not a regular file (a device, FIFO or socket); Tidemark only reads and writes its own store files, so nothing was done`);
  }
  if (st.size > 0) {
    const head = Buffer.alloc(16);
    const fd = fs.openSync(path, 'r');
    try {
      fs.readSync(fd, head, 0, 16, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (head.toString('latin1') !== 'SQLite format 3\u0000' && !fs.existsSync(`${path}.journal`)) {
      throw new StoreRefusedError(`${path} is not a Tidemark store (not an SQLite database, and no ${nodePath.basename(path)}.journal beside it); nothing was changed`);
    }
  }
}

export function openStore(path: string, options: StoreOptions = {}): Promise<StoreApi> {
  return SqlStore.open(path, options);
}

/** The instant up to which raw data was already deleted (a parts-only prune moves nothing). */
function prunedUntilIso(db: StoreDb): string {
  const until = prunedUntil(db);
  return new Date(until ?? 0).toISOString();
}
