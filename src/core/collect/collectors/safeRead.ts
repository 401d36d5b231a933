/**
 * How every collector reads a file (issue 17, items 8 and 12):
 *
 * - Confined to the workspace folder after resolving symlinks: `../`, absolute paths and links
 *   that lead out are refused. A folder outside can be allowed explicitly by whoever runs
 *   Tidemark — never by tidemark.json, which a pull request can change — with the environment
 *   variable TIDEMARK_COLLECT_OUTSIDE (absolute folders, separated by the path delimiter).
 * - Only regular files, opened without blocking (a FIFO or device is refused, never waited on),
 *   at most LIMITS.reportFileBytes read, in chunks with cancellation checks between them.
 * - Messages name the file and a position, never what is in it: what a collector read may be a
 *   secret, and messages travel into reports, notes and PR comments.
 */
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable, type Transform } from 'node:stream';
import { LIMITS } from '../../limits';
import { CollectorError, throwIfAborted } from './errors';

/** The environment variable that allows reading below folders outside the workspace. */
export const OUTSIDE_ENV = 'TIDEMARK_COLLECT_OUTSIDE';

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
const CHUNK = 1 << 20;

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

async function realOrNull(p: string): Promise<string | null> {
  try {
    return await fs.realpath(p);
  } catch {
    return null;
  }
}

/** The folders outside the workspace that the operator allowed (TIDEMARK_COLLECT_OUTSIDE), resolved. */
async function allowedOutside(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const list = (env[OUTSIDE_ENV] ?? '').split(path.delimiter).filter((p) => path.isAbsolute(p));
  return (await Promise.all(list.map(realOrNull))).filter((p): p is string => p !== null);
}

/**
 * The real path of `given` (relative to `cwd`) when it lies inside the workspace (or an
 * allowed folder) after resolving every symlink; a CollectorError otherwise.
 */
export async function resolveInWorkspace(cwd: string, given: string, shownAs: string = given): Promise<string> {
  const abs = path.resolve(cwd, given);
  const root = (await realOrNull(cwd)) ?? path.resolve(cwd);
  let real: string;
  try {
    real = await fs.realpath(abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      // Say "does not exist" only for paths inside; outside, existence is not ours to tell.
      if (!isInside(abs, path.resolve(cwd))) throw outsideError(shownAs, cwd);
      throw new CollectorError(`${shownAs} does not exist`);
    }
    throw new CollectorError(`cannot read ${shownAs} (${code ?? 'error'})`);
  }
  if (isInside(real, root)) return real;
  for (const allowed of await allowedOutside()) if (isInside(real, allowed)) return real;
  throw outsideError(shownAs, cwd);
}

function outsideError(shownAs: string, cwd: string): CollectorError {
  return new CollectorError(
    `${shownAs} is outside the workspace folder ${cwd} (after resolving symlinks); collectors only read files inside it. ` +
      `To allow a folder outside, set ${OUTSIDE_ENV}=/absolute/folder where Tidemark runs (tidemark.json cannot allow it).`,
  );
}

/** True when `rel` (inside `cwd`) is a regular file whose real path stays inside the workspace. */
export async function isConfinedRegularFile(cwd: string, rel: string, root?: string): Promise<boolean> {
  const abs = path.join(cwd, rel);
  try {
    const st = await fs.lstat(abs);
    if (st.isFile()) return true;
    if (!st.isSymbolicLink()) return false;
    const real = await fs.realpath(abs);
    if (!isInside(real, root ?? (await fs.realpath(cwd)))) return false;
    return (await fs.stat(real)).isFile();
  } catch {
    return false;
  }
}

/** Opens a regular file without blocking; anything else (FIFO, device, folder, socket) is refused. */
async function openRegular(abs: string, shownAs: string): Promise<fs.FileHandle> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(abs, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CollectorError(`${shownAs} does not exist`);
    if (code === 'EISDIR') throw new CollectorError(`${shownAs} is a folder, not a file`);
    throw new CollectorError(`cannot read ${shownAs} (${code ?? 'error'})`);
  }
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    throw new CollectorError(`${shownAs} is not a regular file (a FIFO, device or socket); collectors only read regular files`);
  }
  return handle;
}

export interface SafeReadOptions {
  signal: AbortSignal;
  /** Default LIMITS.reportFileBytes. */
  maxBytes?: number;
}

/** Reads a regular file (already confined) in chunks, checking the signal between chunks; too large = CollectorError. */
export async function readRegularFile(abs: string, shownAs: string, options: SafeReadOptions): Promise<Buffer> {
  const max = options.maxBytes ?? LIMITS.reportFileBytes;
  const handle = await openRegular(abs, shownAs);
  try {
    const size = (await handle.stat()).size;
    if (size > max) throw new CollectorError(`${shownAs} is ${size} bytes, more than the ${max} bytes a collector reads`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      throwIfAborted(options.signal);
      const buffer = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > max) throw new CollectorError(`${shownAs} grew past the ${max} bytes a collector reads`);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/** Confines `given` to the workspace and reads it as UTF-8 text (BOM removed); an empty file is invalid output. */
export async function readWorkspaceText(ctx: { cwd: string; signal: AbortSignal }, given: string, shownAs: string = given): Promise<string> {
  const real = await resolveInWorkspace(ctx.cwd, given, shownAs);
  const text = (await readRegularFile(real, shownAs, { signal: ctx.signal })).toString('utf8');
  if (text.trim() === '') throw new CollectorError(`${shownAs} is empty`);
  return text.replace(/^\uFEFF/, '');
}

/**
 * Streams a regular file through `transform` (a compressor) and returns how many bytes came
 * out; the signal stops it between chunks, so a timeout fires on a huge or sparse file.
 */
export async function streamedOutputBytes(abs: string, shownAs: string, transform: Transform, signal: AbortSignal): Promise<number> {
  const handle = await openRegular(abs, shownAs);
  let out = 0;
  const counter = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.length;
      done();
    },
  });
  try {
    await pipeline(handle.createReadStream({ highWaterMark: CHUNK, autoClose: false }), transform, counter, { signal });
  } catch (error) {
    throwIfAborted(signal);
    throw new CollectorError(`cannot read ${shownAs} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    await handle.close();
  }
  return out;
}

/** Where a JSON.parse error is, without the fragment of the file that V8 quotes in its message. */
export function jsonErrorPosition(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const at = /position (\d+)/.exec(message)?.[1];
  if (at !== undefined) return `invalid JSON at character ${Number(at) + 1}`;
  if (/end of (JSON|data) input|Unterminated/i.test(message)) return 'the JSON ends too early';
  return 'invalid JSON';
}

/** What a value is, without saying what it contains (for messages). */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
