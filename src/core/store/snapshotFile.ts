/**
 * A snapshot handed to sql.js without reading it whole: its pages are read from the file when
 * SQLite first asks for them, as native SQLite reads a database.
 *
 * sql.js keeps a database's file in its in-memory file system (MEMFS) as one Uint8Array and
 * reaches its bytes only through `subarray` (page reads, and the whole-file copies of growth
 * and truncation) and `set` (page writes). The array it is handed (see `SnapshotFile.bytes`)
 * answers `slice(0, length)` — the call MEMFS makes to take a new file — with a `PagedArray`
 * over a larger buffer (room for the pages a session appends, as sqljs.ts explains) whose
 * `subarray`, `slice` and `set` first read the 4 KiB blocks they touch that were not read yet.
 * So an open reads the header and the few pages the open's queries need, whatever the size of
 * the store; a snapshot (export) reads the rest in passing, sequential runs in reads of up to
 * 1 MiB, and past 8 MiB read on demand (a full scan) the rest is read in one sweep.
 *
 * Consistency: snapshots are only ever replaced by a rename (sqlStore.ts), never written in
 * place, so the file descriptor held here keeps reading the very snapshot that was opened.
 * It is closed once every block is read, or with the database (`close()`). Windows cannot
 * rename over a file that is open, so there the whole file is read at once, as before.
 *
 * Should sql.js stop taking the array through `slice` (`handedOver()` is false after
 * `new SQL.Database(bytes)`), the caller reads the whole file (`readAll()`) and opens it again:
 * only speed is lost. test/unit/store/snapshotFile.test.ts checks both paths on the sql.js in
 * package-lock.json.
 */
import * as fs from 'node:fs';
import { spareCapacity } from './sqljs';

const BLOCK = 4096;
/** Longest read-ahead of a sequential run, in blocks (1 MiB). */
const MAX_READAHEAD = 256;
/**
 * Blocks read on demand after which the rest of the file is read in one sweep (8 MiB): a full
 * scan walks a B-tree in key order, not file order, and page by page it cost ten times a whole
 * read (measured: COUNT(*) over a 1M-value store, 36k reads of 4 KiB). An open, a replay and
 * the usual queries read far less.
 */
const SWEEP_AFTER = 2048;
/** Longest read `peek` answers from the file (SQLite reads one page at a time). */
const PEEK_MAX = 64 * 1024;

/**
 * Reads go through one reused buffer, then are copied into place: a page the kernel writes
 * straight into the (untouched) array costs a second first-touch when SQLite then reads it, and
 * on a virtual machine with shadow page tables each first touch is a trap (measured here: about
 * a third less CPU per page).
 */
let staging: Uint8Array | null = null;
function stagingBuffer(): Uint8Array {
  staging ??= new Uint8Array(MAX_READAHEAD * BLOCK);
  return staging;
}

/** Which blocks of the file are read, and the descriptor to read the others. */
class Pages {
  private fd: number | null;
  /** 1 for each block of the file not read yet. */
  private readonly missing: Uint8Array;
  private left: number;
  /** The block after the last run read, and how far to read ahead when a read starts there. */
  private nextBlock = -1;
  private readahead = 0;
  private blocksRead = 0;
  bytesRead = 0;

  constructor(
    fd: number,
    readonly buffer: ArrayBuffer,
    readonly size: number,
    private path: string,
  ) {
    this.fd = fd;
    this.left = Math.ceil(size / BLOCK);
    this.missing = new Uint8Array(this.left).fill(1);
    if (this.left === 0) this.close();
  }

  get complete(): boolean {
    return this.left === 0;
  }

  /** Reads the blocks of [start, end) not read yet (bytes past the file's end need none). */
  ensure(start: number, end: number): void {
    if (this.left === 0) return;
    const stop = Math.min(end, this.size);
    if (start >= stop) return;
    if (this.blocksRead >= SWEEP_AFTER) {
      this.sweep();
      return;
    }
    const first = Math.floor(start / BLOCK);
    const last = Math.ceil(stop / BLOCK);
    // Sequential reads (an export, a scan) read ahead, doubling up to 1 MiB; random ones do not.
    this.readahead = first === this.nextBlock ? Math.min(Math.max(this.readahead * 2, 8), MAX_READAHEAD) : 0;
    const ahead = Math.min(last + this.readahead, this.missing.length);
    let b = first;
    while (b < last) {
      if (!this.missing[b]) {
        b++;
        continue;
      }
      let e = b + 1;
      while (e < ahead && this.missing[e]) e++;
      this.read(b, e);
      b = e;
    }
    this.nextBlock = last;
  }

  /**
   * [start, end) straight from the file into the reused read buffer, when no block of it is in
   * the array yet (none read, none written): the bytes SQLite copies into its page cache at
   * once, without first touching the array's memory. On a virtual machine a first touch of a
   * page costs far more than the read itself (measured here: ~35 µs against ~5 µs a page), and
   * a replay reads ~640 scattered pages. A page SQLite asks for again is read again. Undefined
   * when the usual path must answer: part of the range is in the array, it is long or
   * sequential (read ahead into the array), or the scan is past the sweep.
   */
  peek(start: number, end: number): Uint8Array | undefined {
    if (this.left === 0 || end > this.size || end - start > PEEK_MAX || start >= end) return undefined;
    const first = Math.floor(start / BLOCK);
    const last = Math.ceil(end / BLOCK);
    if (first === this.nextBlock || this.blocksRead >= SWEEP_AFTER) return undefined;
    for (let b = first; b < last; b++) if (!this.missing[b]) return undefined;
    const length = end - start;
    const staging = stagingBuffer();
    this.readInto(staging, start, length);
    this.blocksRead += last - first;
    this.nextBlock = last;
    this.readahead = 0;
    return staging.subarray(0, length);
  }

  /** Before a write of [start, end): blocks it covers whole need no read, the edges do. */
  beforeWrite(start: number, end: number): void {
    if (this.left === 0) return;
    const whole = [Math.ceil(start / BLOCK), Math.floor(Math.min(end, this.size) / BLOCK)];
    this.ensure(start, Math.min(end, whole[0] * BLOCK));
    this.ensure(Math.max(start, whole[1] * BLOCK), end);
    for (let b = whole[0]; b < whole[1]; b++) this.mark(b);
  }

  readAll(): void {
    this.sweep();
  }

  /** Reads every block not read yet, in runs of up to 1 MiB. */
  private sweep(): void {
    for (let b = 0; b < this.missing.length; ) {
      if (!this.missing[b]) {
        b++;
        continue;
      }
      let e = b + 1;
      while (e < this.missing.length && e - b < MAX_READAHEAD && this.missing[e]) e++;
      this.read(b, e);
      b = e;
    }
  }

  /**
   * The database's whole image was just written to `fd`'s file (a snapshot of this session):
   * blocks not read yet are unchanged since the open (a write marks its blocks read), so that
   * file holds them too. They are read from it from now on and the opened file is let go, so a
   * replaced snapshot's disk space is freed. False (the caller keeps `fd`) when nothing is left
   * to read or the file is shorter than the blocks left.
   */
  continueFrom(fd: number, path: string): boolean {
    if (this.left === 0 || this.fd === null || fs.fstatSync(fd).size < this.size) return false;
    fs.closeSync(this.fd);
    this.fd = fd;
    this.path = path;
    return true;
  }

  close(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
  }

  private read(fromBlock: number, toBlock: number): void {
    if (this.fd === null) throw new Error(`store: ${this.path} was closed before its pages were read`);
    const start = fromBlock * BLOCK;
    const length = Math.min(toBlock * BLOCK, this.size) - start;
    const target = new Uint8Array(this.buffer, start, length);
    const staging = stagingBuffer();
    for (let read = 0; read < length; ) {
      const n = Math.min(staging.length, length - read);
      this.readInto(staging, start + read, n);
      target.set(staging.subarray(0, n), read);
      read += n;
    }
    this.blocksRead += toBlock - fromBlock;
    for (let b = fromBlock; b < toBlock; b++) this.mark(b);
  }

  /** Reads `length` bytes at `position` into the start of `into`. */
  private readInto(into: Uint8Array, position: number, length: number): void {
    if (this.fd === null) throw new Error(`store: ${this.path} was closed before its pages were read`);
    for (let read = 0; read < length; ) {
      const n = fs.readSync(this.fd, into, read, length - read, position + read);
      // Snapshots are replaced by rename, never shortened in place: this file is not ours to trust.
      if (n === 0) throw new Error(`store: ${this.path} shrank while it was open (${position + read} of ${this.size} bytes left)`);
      read += n;
    }
    this.bytesRead += length;
  }

  private mark(block: number): void {
    if (!this.missing[block]) return;
    this.missing[block] = 0;
    if (--this.left === 0) this.close();
  }
}

/** The array MEMFS keeps as the file: the whole buffer, read on demand. */
class PagedArray extends Uint8Array {
  static get [Symbol.species](): Uint8ArrayConstructor {
    // Views and copies made from it are plain arrays (over bytes already read).
    return Uint8Array;
  }

  constructor(private readonly pages: Pages) {
    super(pages.buffer);
  }

  /**
   * MEMFS reads a page as `heap.set(file.subarray(position, position + size))`: a page not in
   * the array yet comes straight from the file (`peek`), valid until the next read.
   */
  override subarray(start = 0, end = this.length): Uint8Array<ArrayBuffer> {
    const peeked = this.pages.peek(start, end);
    if (peeked) return peeked as Uint8Array<ArrayBuffer>;
    this.pages.ensure(start, end);
    return super.subarray(start, end);
  }

  override slice(start = 0, end = this.length): Uint8Array<ArrayBuffer> {
    this.pages.ensure(start, end);
    return super.slice(start, end);
  }

  override set(array: ArrayLike<number>, offset = 0): void {
    this.pages.beforeWrite(offset, offset + array.length);
    super.set(array, offset);
  }
}

/** What `new SQL.Database(bytes)` is given: the file's length, handing over a PagedArray. */
class SnapshotBytes extends Uint8Array {
  static get [Symbol.species](): Uint8ArrayConstructor {
    return Uint8Array;
  }

  handedOver = false;

  constructor(private readonly pages: Pages) {
    super(pages.buffer, 0, pages.size);
  }

  override slice(start = 0, end = this.length): Uint8Array<ArrayBuffer> {
    // Only the whole file, only once: anything else is an ordinary copy of bytes read first.
    if (!this.handedOver && start === 0 && end === this.length) {
      this.handedOver = true;
      return new PagedArray(this.pages);
    }
    this.pages.ensure(start, end);
    return super.slice(start, end);
  }

  override subarray(start = 0, end = this.length): Uint8Array<ArrayBuffer> {
    this.pages.ensure(start, end);
    return super.subarray(start, end);
  }
}

export interface SnapshotFile {
  /** For `new SQL.Database(bytes)`; its first 100 bytes (the SQLite header) are read. */
  readonly bytes: Uint8Array;
  /** The file's stat when opened (its identity: inode, size, times). */
  readonly stat: fs.Stats;
  /** Whether sql.js took the paged array (after `new SQL.Database(bytes)`). */
  handedOver(): boolean;
  /** Reads every block not read yet (and closes the file). */
  readAll(): void;
  /** Whether every block is read (the file is then closed). */
  readonly complete: boolean;
  /** Bytes read from the file so far. */
  readonly bytesRead: number;
  /** Closes the file; only blocks already read can be used afterwards. Idempotent. */
  close(): void;
  /** See Pages.continueFrom: true when it took `fd` (it closes it), false when the caller keeps it. */
  continueFrom(fd: number, path: string): boolean;
}

/** Opens a snapshot for sql.js; throws ENOENT like fs.openSync when there is none. */
export function openSnapshotFile(path: string, options: { readAll?: boolean } = {}): SnapshotFile {
  const fd = fs.openSync(path, 'r');
  let pages: Pages;
  let stat: fs.Stats;
  try {
    stat = fs.fstatSync(fd);
    pages = new Pages(fd, new ArrayBuffer(spareCapacity(stat.size)), stat.size, path);
    pages.ensure(0, 100);
    if (options.readAll ?? process.platform === 'win32') pages.readAll();
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  const bytes = new SnapshotBytes(pages);
  return {
    bytes,
    stat,
    handedOver: () => bytes.handedOver,
    readAll: () => pages.readAll(),
    get complete() {
      return pages.complete;
    },
    get bytesRead() {
      return pages.bytesRead;
    },
    close: () => pages.close(),
    continueFrom: (fd, path) => pages.continueFrom(fd, path),
  };
}
