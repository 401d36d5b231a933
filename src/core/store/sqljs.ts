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
      return initSqlJs({ wasmBinary: wasmBinary as unknown as ArrayBuffer });
    })();
    pending.catch(() => loaded.delete(file));
    loaded.set(file, pending);
  }
  return pending;
}
