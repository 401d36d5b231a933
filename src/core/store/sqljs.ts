/**
 * Loads sql.js once per process (or worker) from an explicit or discovered sql-wasm.wasm.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

const loaded = new Map<string, Promise<SqlJsStatic>>();
/** A variable, not a literal: bundles ship the wasm beside them and never reach this fallback. */
const PACKAGE_WASM = 'sql.js/dist/sql-wasm.wasm';

/** `wasmPath` if given, else sql-wasm.wasm next to this file (the bundle ships it), else sql.js's own. */
export function locateWasm(wasmPath?: string): string {
  if (wasmPath) return wasmPath;
  const beside = path.join(__dirname, 'sql-wasm.wasm');
  if (fs.existsSync(beside)) return beside;
  return require.resolve(PACKAGE_WASM);
}

export function loadSqlJs(wasmPath?: string): Promise<SqlJsStatic> {
  const file = locateWasm(wasmPath);
  let pending = loaded.get(file);
  if (!pending) {
    pending = (async () => {
      let wasmBinary: Buffer;
      try {
        wasmBinary = fs.readFileSync(file);
      } catch (err) {
        throw new Error(`cannot read sql.js WebAssembly at ${file}: ${(err as Error).message}`);
      }
      // WebAssembly compiles off the main thread and settles the promise from a V8 task. With
      // nothing else pending, Node runs that task while draining the platform's background
      // tasks, and then — before the event loop resumes — waits for every background job,
      // including the optimizing compiles that the code following the await starts: measured,
      // an import stalled 0.16–0.36 s at its first yield. A timer keeps the loop alive, so the
      // task runs from the loop instead.
      const alive = setInterval(() => {}, 1 << 30);
      try {
        return await initSqlJs({ wasmBinary: wasmBinary as unknown as ArrayBuffer });
      } finally {
        clearInterval(alive);
      }
    })();
    pending.catch(() => loaded.delete(file));
    loaded.set(file, pending);
  }
  return pending;
}

/**
 * The bytes of a database file, with spare capacity behind them for the pages the session adds.
 *
 * sql.js copies a database's bytes into its in-memory file system (MEMFS) with `slice`, and
 * MEMFS grows a file past its capacity by allocating 1.125× and copying everything: the first
 * page appended to a 140 MiB snapshot copies 140 MiB (on every open that writes). `bytes` is a
 * view of exactly the file whose `slice(0, length)` — the call MEMFS makes — hands over the
 * whole larger buffer instead of a copy, so the file starts with room to grow and is never
 * copied (snapshotFile.ts hands over a snapshot the same way, read on demand). If sql.js ever stops calling `slice` that way, it copies as before: only the time
 * saved is lost (`handedOver()` then says false, and nothing else changes).
 */
export interface DatabaseFile {
  bytes: Uint8Array;
  /** Whether sql.js took the spare-capacity buffer (after `new SQL.Database(bytes)`). */
  handedOver(): boolean;
  /**
   * Writes sql.js made into the handed-over buffer since the last call. MEMFS never writes to
   * a buffer again once it has replaced it (growth past the capacity, truncation), so a write
   * just committed landing here means the buffer is the file and always was.
   */
  takeWrites(): number;
  /** The first `length` bytes of the handed-over buffer (a view, no copy), or null past its end. */
  view(length: number): Uint8Array | null;
}

/**
 * The buffer MEMFS keeps as the file once handed over, counting the writes (`set`) it receives.
 * A plain Uint8Array with its own `set`, not a subclass: MEMFS reads pages with `subarray`,
 * which V8 runs on its fast path only for arrays whose constructor is Uint8Array itself.
 */
interface LiveFile extends Uint8Array<ArrayBuffer> {
  writes: number;
}

function liveFile(buffer: ArrayBuffer): LiveFile {
  const live = new Uint8Array(buffer) as LiveFile;
  live.writes = 0;
  const set = Uint8Array.prototype.set;
  live.set = function (this: LiveFile, array: ArrayLike<number>, offset?: number) {
    this.writes++;
    set.call(this, array, offset);
  };
  return live;
}

class SpareCapacityBytes extends Uint8Array {
  handedOver = false;
  live: LiveFile | null = null;

  override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
    // Only the whole file, only once: anything else is an ordinary copy.
    if (!this.handedOver && (start ?? 0) === 0 && end === this.length && this.byteOffset === 0) {
      this.handedOver = true;
      this.live = liveFile(this.buffer);
      return this.live;
    }
    return new Uint8Array(this.buffer, this.byteOffset, this.length).slice(start, end);
  }
}

/** Spare room: 1/8 of the file (what one MEMFS growth step would add) plus 4 MiB. */
export function spareCapacity(size: number): number {
  return size + Math.ceil(size / 8) + (4 << 20);
}

/**
 * A database image copied into a buffer of `capacity` bytes that sql.js takes as its file (see
 * DatabaseFile): for a session about to add much more than a growth step (an import).
 */
export function withCapacity(image: Uint8Array, capacity: number): DatabaseFile {
  const bytes = new SpareCapacityBytes(new ArrayBuffer(Math.max(capacity, image.length)), 0, image.length);
  bytes.set(image);
  return {
    bytes,
    handedOver: () => bytes.handedOver,
    takeWrites: () => {
      const live = bytes.live;
      if (!live) return 0;
      const writes = live.writes;
      live.writes = 0;
      return writes;
    },
    view: (length) => (bytes.live && length <= bytes.live.length ? new Uint8Array(bytes.live.buffer, 0, length) : null),
  };
}
