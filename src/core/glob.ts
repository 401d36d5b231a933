/**
 * Glob matching in linear time (issue 17, item 14). Globs come from tidemark.json (sources,
 * onSave, collector arguments) and are matched in the extension host, so a pattern must never
 * be able to stall it: a backtracking regex (picomatch's `*a*a*a*ab`) can take seconds on one
 * file name. This matcher runs the pattern as an NFA over the path, one pass, all states at
 * once: O(path length × pattern length), whatever the pattern.
 *
 * Syntax (picomatch-compatible with `dot: true` for everything Tidemark configs use):
 *   *       any characters except /          ?      one character except /
 *   **      as a whole segment: any number of segments (also none; `a/**` matches `a`)
 *   [abc] [a-z] [!a-z] [^a-z]   one character of (or not of) a class
 *   {a,b}   alternatives (nested allowed, at most MAX_ALTERNATIVES after expansion)
 *   \x      the character x itself
 * Extglobs (`+(a|b)`, `!(x)`, `@(..)`, `*(..)`, `?(..)`) are rejected with a GlobError: they
 * are not needed by Tidemark's configs and cannot be matched in linear time by this engine.
 */

export const MAX_GLOB_LENGTH = 1000;
export const MAX_ALTERNATIVES = 256;

export class GlobError extends Error {
  override name = 'GlobError';
}

type Token =
  | { kind: 'char'; ch: string }
  | { kind: 'one' }
  | { kind: 'star' }
  /** Zero or more whole segments, each followed by `/` (from `**\/`). */
  | { kind: 'dirs' }
  /** Nothing, or `/` followed by anything (a trailing `/**`). */
  | { kind: 'rest' }
  /** The whole pattern `**`: anything at all. */
  | { kind: 'all' }
  | { kind: 'class'; negated: boolean; ranges: [number, number][] };

/** Expands `{a,b}` alternatives (nested), with escapes kept; throws past MAX_ALTERNATIVES. */
function expandBraces(pattern: string): string[] {
  const open = findBrace(pattern);
  if (!open) return [pattern];
  const { start, end, parts } = open;
  const out: string[] = [];
  for (const part of parts) {
    for (const expanded of expandBraces(pattern.slice(0, start) + part + pattern.slice(end + 1))) {
      out.push(expanded);
      if (out.length > MAX_ALTERNATIVES) throw new GlobError(`"${shorten(pattern)}" expands to more than ${MAX_ALTERNATIVES} alternatives`);
    }
  }
  return out;
}

/** The first top-level `{…}` containing a comma: its bounds and comma-separated parts. */
function findBrace(p: string): { start: number; end: number; parts: string[] } | null {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') {
      i++;
      continue;
    }
    if (p[i] !== '{') continue;
    let depth = 0;
    const commas: number[] = [];
    for (let j = i; j < p.length; j++) {
      if (p[j] === '\\') {
        j++;
        continue;
      }
      if (p[j] === '{') depth++;
      else if (p[j] === '}') {
        depth--;
        if (depth === 0) {
          if (commas.length === 0) break;
          const bounds = [i, ...commas, j];
          const parts = bounds.slice(0, -1).map((b, k) => p.slice(b + 1, bounds[k + 1]));
          return { start: i, end: j, parts };
        }
      } else if (p[j] === ',' && depth === 1) commas.push(j);
    }
  }
  return null;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function tokenize(pattern: string): Token[] {
  if (pattern === '**') return [{ kind: 'all' }];
  const tokens: Token[] = [];
  const segments = splitSegments(pattern);
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '**') {
      if (last) {
        // `a/**`: drop the `/` already emitted and match nothing or `/anything`.
        if (tokens.length && tokens[tokens.length - 1].kind === 'char') tokens.pop();
        tokens.push({ kind: 'rest' });
      } else tokens.push({ kind: 'dirs' });
      return;
    }
    tokenizeSegment(segment, pattern, tokens);
    if (!last) tokens.push({ kind: 'char', ch: '/' });
  });
  return tokens;
}

/** Splits on `/` outside classes and escapes. */
function splitSegments(pattern: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      current += c + pattern[++i];
    } else if (c === '/') {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

function tokenizeSegment(segment: string, pattern: string, tokens: Token[]): void {
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if ('+@!*?'.includes(c) && segment[i + 1] === '(') {
      throw new GlobError(`"${shorten(pattern)}" uses an extglob (${c}(…)), which Tidemark does not support: use {a,b} alternatives or several globs`);
    }
    if (c === '\\') {
      tokens.push({ kind: 'char', ch: segment[++i] ?? '\\' });
    } else if (c === '*') {
      while (segment[i + 1] === '*') i++;
      tokens.push({ kind: 'star' });
    } else if (c === '?') {
      tokens.push({ kind: 'one' });
    } else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) {
        tokens.push({ kind: 'char', ch: c });
        continue;
      }
      let body = segment.slice(i + 1, end);
      const negated = body[0] === '!' || body[0] === '^';
      if (negated) body = body.slice(1);
      const ranges: [number, number][] = [];
      for (let k = 0; k < body.length; k++) {
        const from = body.codePointAt(k)!;
        if (body[k + 1] === '-' && k + 2 < body.length) {
          ranges.push([from, body.codePointAt(k + 2)!]);
          k += 2;
        } else ranges.push([from, from]);
      }
      tokens.push({ kind: 'class', negated, ranges });
      i = end;
    } else tokens.push({ kind: 'char', ch: c });
  }
}

/**
 * The NFA: states 0..n are "before token i" (n = accepted); for a `dirs` or `rest` token i,
 * state n + 1 + i is "inside what it skips". Epsilon moves: star/dirs/rest/all may match
 * nothing. Every state is advanced once per character: linear in the text.
 */
const CHAR = 0;
const ONE = 1;
const CLASS = 2;
const STAR = 3;
const DIRS = 4;
const REST = 5;
const ALL = 6;
const KIND = { char: CHAR, one: ONE, class: CLASS, star: STAR, dirs: DIRS, rest: REST, all: ALL } as const;
const SLASH = 0x2f;

/** A token list as flat typed arrays: what the inner loop reads, nothing else. */
interface Program {
  n: number;
  kinds: Uint8Array;
  codes: Int32Array;
  classes: ({ negated: boolean; ranges: [number, number][] } | null)[];
}

function compile(tokens: Token[]): Program {
  const n = tokens.length;
  const kinds = new Uint8Array(n);
  const codes = new Int32Array(n);
  const classes: Program['classes'] = new Array(n).fill(null);
  tokens.forEach((t, i) => {
    kinds[i] = KIND[t.kind];
    if (t.kind === 'char') codes[i] = t.ch.charCodeAt(0);
    if (t.kind === 'class') classes[i] = { negated: t.negated, ranges: t.ranges };
  });
  return { n, kinds, codes, classes };
}

function inClass(cls: { negated: boolean; ranges: [number, number][] }, code: number): boolean {
  let hit = false;
  for (const [a, b] of cls.ranges) {
    if (code >= a && code <= b) {
      hit = true;
      break;
    }
  }
  return hit !== cls.negated;
}

function run(program: Program, text: string): boolean {
  const { n, kinds, codes, classes } = program;
  const size = 2 * n + 2;
  let current = new Uint8Array(size);
  let next = new Uint8Array(size);
  // Epsilon closure over the main states (inner states have none): star, dirs, rest, all may match nothing.
  const close = (set: Uint8Array, state: number) => {
    for (let s = state; s <= n; s++) {
      if (set[s]) return;
      set[s] = 1;
      if (s === n || kinds[s] < STAR) return;
    }
  };
  close(current, 0);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const slash = code === SLASH;
    next.fill(0);
    let any = false;
    for (let s = 0; s < n; s++) {
      if (current[s]) {
        switch (kinds[s]) {
          case CHAR:
            if (codes[s] === code) {
              close(next, s + 1);
              any = true;
            }
            break;
          case ONE:
            if (!slash) {
              close(next, s + 1);
              any = true;
            }
            break;
          case CLASS:
            if (!slash && inClass(classes[s]!, code)) {
              close(next, s + 1);
              any = true;
            }
            break;
          case STAR:
            if (!slash) {
              close(next, s);
              any = true;
            }
            break;
          case DIRS:
            // A segment starts (or an empty one ends at `/`).
            if (slash) close(next, s);
            else next[n + 1 + s] = 1;
            any = true;
            break;
          case REST:
            if (slash) {
              // Everything after `/` matches: the inner state accepts the rest.
              next[n + 1 + s] = 1;
              any = true;
            }
            break;
          case ALL:
            close(next, s);
            any = true;
            break;
        }
      }
      if (current[n + 1 + s]) {
        if (kinds[s] === DIRS) {
          if (slash) close(next, s);
          else next[n + 1 + s] = 1;
          any = true;
        } else if (kinds[s] === REST) {
          next[n + 1 + s] = 1;
          any = true;
        }
      }
    }
    if (!any) return false;
    const swap = current;
    current = next;
    next = swap;
  }
  if (current[n]) return true;
  // A trailing `/**` that has consumed `/anything` accepts.
  for (let s = 0; s < n; s++) if (current[n + 1 + s] && kinds[s] === REST) return true;
  return false;
}

/** Compiles one glob (no leading `!`) into a linear-time predicate; throws GlobError for what it cannot match. */
export function compileGlob(pattern: string): (path: string) => boolean {
  if (pattern.length > MAX_GLOB_LENGTH) throw new GlobError(`a glob of ${pattern.length} characters is longer than the ${MAX_GLOB_LENGTH} allowed`);
  const programs = expandBraces(pattern).map((p) => compile(tokenize(p)));
  return (path) => {
    for (const program of programs) if (run(program, path)) return true;
    return false;
  };
}

/** A predicate true when any of the globs matches. */
export function compileGlobs(patterns: readonly string[]): (path: string) => boolean {
  const compiled = patterns.map(compileGlob);
  return (path) => compiled.some((m) => m(path));
}

/** The problem with a glob as a config error, or null when it compiles. */
export function globProblem(pattern: string): string | null {
  try {
    compileGlob(pattern.startsWith('!') ? pattern.slice(1) : pattern);
    return null;
  } catch (error) {
    if (error instanceof GlobError) return error.message;
    throw error;
  }
}
