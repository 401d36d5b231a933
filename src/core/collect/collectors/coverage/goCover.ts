/**
 * Go coverprofiles (`go test -coverprofile`): a `mode: set|count|atomic` line, then one line per
 * block, `import/path/file.go:startLine.startCol,endLine.endCol numStatements count`.
 *
 * Statement coverage exactly as `go tool cover -func` totals it: blocks at the same position
 * in the same file are one block (a profile written with `-coverpkg` lists a package's blocks
 * once per test binary), their counts OR-ed in `set` mode and added otherwise (as
 * golang.org/x/tools/cover merges them); a block's statements are covered when its count > 0.
 */
import { CollectorError } from '../errors';

export interface StatementCounts {
  covered: number;
  total: number;
}

/** Import path of the file (as written in the profile) -> its statement counts. */
export type GoCoverage = Map<string, StatementCounts>;

const BLOCK = /^(.+):(\d+)\.(\d+),(\d+)\.(\d+) (\d+) (\d+)$/;
const MODES = ['set', 'count', 'atomic'];

export function parseGoCoverprofile(text: string, shownAs: string): GoCoverage {
  const lines = text.split(/\r?\n/);
  let mode: string | undefined;
  // file -> position -> [statements, count]
  const blocks = new Map<string, Map<string, [number, number]>>();
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '') continue;
    const where = `${shownAs}:${n + 1}`;
    if (line.startsWith('mode:')) {
      const m = line.slice(5).trim();
      if (!MODES.includes(m)) throw new CollectorError(`${where}: unknown coverage mode "${m}" (expected ${MODES.join(', ')})`);
      // Concatenated profiles repeat the mode line; mixing modes cannot be merged.
      if (mode !== undefined && mode !== m) throw new CollectorError(`${where}: mode "${m}" after mode "${mode}"; profiles of different modes cannot be merged`);
      mode = m;
      continue;
    }
    if (mode === undefined) throw new CollectorError(`${shownAs} does not start with a "mode:" line; it is not a Go coverprofile`);
    const match = BLOCK.exec(line);
    if (!match) throw new CollectorError(`${where}: "${line.length > 60 ? `${line.slice(0, 57)}...` : line}" is not a coverprofile block (file:line.col,line.col statements count)`);
    const [, file, l0, c0, l1, c1, stmts, count] = match;
    const position = `${l0}.${c0},${l1}.${c1}`;
    let byPosition = blocks.get(file);
    if (!byPosition) blocks.set(file, (byPosition = new Map()));
    const statements = Number(stmts);
    const hits = Number(count);
    const previous = byPosition.get(position);
    if (!previous) {
      byPosition.set(position, [statements, hits]);
      continue;
    }
    if (previous[0] !== statements) throw new CollectorError(`${where}: block ${file}:${position} has ${statements} statements here and ${previous[0]} before`);
    previous[1] = mode === 'set' ? previous[1] | hits : previous[1] + hits;
  }
  if (mode === undefined) throw new CollectorError(`${shownAs} has no "mode:" line; it is not a Go coverprofile`);
  const coverage: GoCoverage = new Map();
  for (const [file, byPosition] of blocks) {
    const counts = { covered: 0, total: 0 };
    for (const [statements, hits] of byPosition.values()) {
      counts.total += statements;
      if (hits > 0) counts.covered += statements;
    }
    coverage.set(file, counts);
  }
  return coverage;
}

/** The module path declared by go.mod's `module` line, if any. */
export function goModulePath(goMod: string): string | undefined {
  for (const raw of goMod.split(/\r?\n/)) {
    const m = /^\s*module\s+("?)([^"\s]+)\1\s*(\/\/.*)?$/.exec(raw);
    if (m) return m[2];
  }
  return undefined;
}
