/**
 * The append-only journal next to a snapshot: one line per recorded operation,
 * `<crc32 as 8 hex digits> <json>\n`, fsync'd after each append. A line without its newline
 * or whose checksum does not match is a torn write (kill -9 mid-append) or damage: reading
 * stops being fooled by it, and the next append (under the store lock) truncates a torn tail.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { JournalOp } from './operations';

export interface JournalRecord {
  seq: number;
  op: JournalOp;
}

export interface JournalRead {
  records: JournalRecord[];
  /** Byte offset just past the last good record. */
  end: number;
  /** Complete lines that failed their checksum or did not parse (byte offsets). */
  damaged: number[];
  /** The same lines' bytes (without the newline), to keep them aside. */
  damagedLines: Buffer[];
  /** Bytes after the last newline: a torn append. */
  tornTailBytes: number;
}

function checksum(text: string): string {
  return zlib.crc32(text).toString(16).padStart(8, '0');
}

export function encodeRecord(record: JournalRecord): string {
  const json = JSON.stringify(record);
  return `${checksum(json)} ${json}\n`;
}

/** Reads the journal from `from` (a record boundary) to its current end. Missing file = empty. */
export function readJournal(file: string, from: number): JournalRead {
  let buffer: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      buffer = Buffer.alloc(Math.max(0, size - from));
      let read = 0;
      while (read < buffer.length) {
        const n = fs.readSync(fd, buffer, read, buffer.length - read, from + read);
        if (n === 0) break;
        read += n;
      }
      buffer = buffer.subarray(0, read);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], end: from, damaged: [], damagedLines: [], tornTailBytes: 0 };
    throw err;
  }
  const records: JournalRecord[] = [];
  const damaged: number[] = [];
  const damagedLines: Buffer[] = [];
  let pos = 0;
  let end = from;
  while (pos < buffer.length) {
    const newline = buffer.indexOf(0x0a, pos);
    if (newline < 0) break;
    const record = decodeLine(buffer, pos, newline);
    if (record) records.push(record);
    else {
      damaged.push(from + pos);
      damagedLines.push(Buffer.from(buffer.subarray(pos, newline)));
    }
    pos = newline + 1;
    end = from + pos;
  }
  return { records, end, damaged, damagedLines, tornTailBytes: buffer.length - pos };
}

/** The line in `buffer` from `start` to `end` (its newline): checked on its bytes, then parsed. */
function decodeLine(buffer: Buffer, start: number, end: number): JournalRecord | null {
  if (end - start < 10 || buffer[start + 8] !== 0x20) return null;
  // The checksum covers the JSON's UTF-8 bytes, exactly what the file holds after "<crc> ".
  const hex = buffer.toString('latin1', start, start + 8);
  if (!/^[0-9a-f]{8}$/.test(hex) || zlib.crc32(buffer.subarray(start + 9, end)) !== Number.parseInt(hex, 16)) return null;
  try {
    const record = JSON.parse(buffer.toString('utf8', start + 9, end)) as JournalRecord;
    return Number.isInteger(record.seq) && record.op && typeof record.op === 'object' ? record : null;
  } catch {
    return null;
  }
}

/**
 * Appends one record durably. `validEnd` is where the last good record ends: anything after it
 * is a torn tail left by a killed writer and is cut off first. The caller holds the store lock.
 *
 * Either the whole line reaches the disk (written in full, fdatasync'd) and the new end is
 * returned, or the journal is cut back to `validEnd` and the error is thrown: a short write
 * (a nearly full disk writes what fits and returns the count) is never acknowledged.
 */
export function appendRecord(file: string, validEnd: number, record: JournalRecord): number {
  const created = !fs.existsSync(file);
  const fd = fs.openSync(file, 'a+');
  try {
    if (fs.fstatSync(fd).size > validEnd) fs.ftruncateSync(fd, validEnd);
    const bytes = Buffer.from(encodeRecord(record), 'utf8');
    try {
      let written = 0;
      while (written < bytes.length) {
        const n = fs.writeSync(fd, bytes, written, bytes.length - written, validEnd + written);
        if (n <= 0) throw Object.assign(new Error(`wrote 0 of ${bytes.length - written} bytes to ${file}`), { code: 'EIO' });
        written += n;
      }
      // fdatasync: the data and the new size, without the timestamps a full fsync would also flush.
      fs.fdatasyncSync(fd);
    } catch (err) {
      // Leave the journal exactly as valid as it was: no partial line for the next reader.
      try {
        fs.ftruncateSync(fd, validEnd);
        fs.fdatasyncSync(fd);
      } catch {
        // A torn tail is still cut off by the next append and skipped by every reader.
      }
      throw err;
    }
    if (created) fsyncDir(file);
    return validEnd + bytes.length;
  } finally {
    fs.closeSync(fd);
  }
}

export function truncateJournal(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    fs.ftruncateSync(fd, 0);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a create/rename inside the file's directory durable. */
export function fsyncDir(file: string): void {
  const dir = path.dirname(file);
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
