/**
 * Native SQLite for the tests, through Debian's `sqlite3` shell: an independent reader (and
 * writer) of the store files sql.js writes, the tool a user would inspect their store with.
 *
 * SQL goes in on stdin (never in argv); -bail stops at the first error and the shell then exits
 * non-zero with the error on stderr, which becomes the thrown Error's message (so
 * `assert.throws(..., /CHECK constraint/)` sees SQLite's own text). -init /dev/null keeps a
 * ~/.sqliterc out of it.
 *
 * Values as -json prints them (SQLite 3.40): integers and NULL as JSON; REAL with up to 20
 * significant digits, which JSON.parse turns back into the exact double; TEXT as JSON strings;
 * BLOB as raw bytes, so select hex(col) and decode it in the test.
 */
import { spawnSync } from 'node:child_process';
import { requireSystemPackages } from './e2e/harness/systemPackages';

function run(file: string, sql: string, readonly: boolean): string {
  const args = ['-init', '/dev/null', '-bail', '-json', ...(readonly ? ['-readonly'] : []), file];
  const r = spawnSync('sqlite3', args, { input: sql, encoding: 'utf8', maxBuffer: 1 << 28 });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    // Names the package and the command that installs it.
    requireSystemPackages(['sqlite3']);
    throw new Error("sqlite3 is not on PATH: install Debian's sqlite3 package (apt-get install sqlite3)");
  }
  if (r.error) throw r.error;
  if (r.status !== 0) {
    const where = `sqlite3 ${readonly ? '-readonly ' : ''}${file}`;
    throw new Error(`${where} exited ${r.status ?? r.signal}: ${r.stderr.trim() || '(no message)'}\nSQL: ${sql.length > 500 ? `${sql.slice(0, 500)}…` : sql}`);
  }
  return r.stdout;
}

/**
 * The rows of one statement (one query per call: -json prints one array per statement that
 * returns rows, and nothing for none). Opens the file read-only unless `readonly: false`.
 */
export function sqliteQuery<Row = Record<string, unknown>>(file: string, sql: string, options: { readonly?: boolean } = {}): Row[] {
  const out = run(file, sql, options.readonly ?? true).trim();
  if (!out) return [];
  try {
    return JSON.parse(out) as Row[];
  } catch {
    throw new Error(`sqlite3 printed something other than one JSON array (one statement per sqliteQuery call):\n${out.slice(0, 500)}`);
  }
}

/** Runs a script of statements on the file, writable (creating it if missing); output is ignored. */
export function sqliteExec(file: string, script: string): void {
  run(file, script, false);
}

/**
 * A value as an SQL literal for sqliteExec scripts: text quoted (' doubled), NULL, integers as
 * written. SQLite 3.40's decimal parser is not correctly rounded for every double (26 of 160 000
 * random doubles parsed one ulp off in a check), so a fraction is written as its exact bits
 * through the shell's ieee754_from_blob.
 */
export function sqlLiteral(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (!Number.isFinite(value)) throw new Error(`no SQL literal for ${value}`);
  if (Number.isSafeInteger(value)) return String(value);
  const bits = Buffer.alloc(8);
  bits.writeDoubleBE(value);
  return `ieee754_from_blob(x'${bits.toString('hex')}')`;
}
