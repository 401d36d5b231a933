/**
 * Counts lines of code in one file's text: lines holding anything but whitespace and
 * comments. A small scanner follows block comments and strings across lines, so comment
 * markers inside strings count as code and code after a closing `*\/` counts.
 */
import type { Language } from './languages';

type State = { kind: 'code' } | { kind: 'block'; close: string; open: string; depth: number } | { kind: 'string'; delimiter: string };

export function countCodeLines(text: string, language: Language): number {
  let state: State = { kind: 'code' };
  let count = 0;
  for (const line of text.split(/\r\n|\n|\r/)) {
    const scanned = scanLine(line, state, language);
    state = scanned.state;
    if (scanned.hasCode) count++;
  }
  return count;
}

function scanLine(line: string, start: State, language: Language): { hasCode: boolean; state: State } {
  let state = start;
  let hasCode = false;
  let i = 0;
  while (i < line.length) {
    if (state.kind === 'block') {
      const next = advanceInBlock(line, i, state, language);
      i = next.index;
      state = next.state;
      continue;
    }
    if (state.kind === 'string') {
      hasCode = true;
      const end = findStringEnd(line, i, state.delimiter, language);
      if (end < 0) {
        const multiline = language.multilineStrings?.includes(state.delimiter) ?? false;
        return { hasCode, state: multiline ? state : { kind: 'code' } };
      }
      i = end;
      state = { kind: 'code' };
      continue;
    }
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (startsLineComment(line, i, language)) return { hasCode, state };
    const block = language.blockComments.find(([open]) => line.startsWith(open, i));
    if (block) {
      state = { kind: 'block', open: block[0], close: block[1], depth: 1 };
      i += block[0].length;
      continue;
    }
    const delimiter = language.strings.find((d) => line.startsWith(d, i));
    if (delimiter) {
      hasCode = true;
      state = { kind: 'string', delimiter };
      i += delimiter.length;
      continue;
    }
    hasCode = true;
    i++;
  }
  // A single-line string left open at the end of a line ends there.
  if (state.kind === 'string' && !(language.multilineStrings?.includes(state.delimiter) ?? false)) state = { kind: 'code' };
  return { hasCode, state };
}

function startsLineComment(line: string, i: number, language: Language): boolean {
  for (const marker of language.lineComments) {
    if (!line.startsWith(marker, i)) continue;
    // `--[[` opens a Lua block comment, not a line comment.
    if (language.blockComments.some(([open]) => open.length > marker.length && line.startsWith(open, i))) continue;
    if (language.commentNeedsWordStart && i > 0 && !/\s/.test(line[i - 1])) continue;
    return true;
  }
  return false;
}

function advanceInBlock(line: string, from: number, state: Extract<State, { kind: 'block' }>, language: Language): { index: number; state: State } {
  let i = from;
  let depth = state.depth;
  while (i < line.length) {
    if (line.startsWith(state.close, i)) {
      depth--;
      i += state.close.length;
      if (depth === 0) return { index: i, state: { kind: 'code' } };
    } else if (language.nestedBlocks && line.startsWith(state.open, i)) {
      depth++;
      i += state.open.length;
    } else {
      i++;
    }
  }
  return { index: i, state: { ...state, depth } };
}

/** Index just past the closing delimiter, or -1 when the string continues past this line. */
function findStringEnd(line: string, from: number, delimiter: string, language: Language): number {
  let i = from;
  while (i < line.length) {
    if (line[i] === '\\' && !language.noBackslashEscape) {
      i += 2;
      continue;
    }
    if (line.startsWith(delimiter, i)) return i + delimiter.length;
    i++;
  }
  return -1;
}
