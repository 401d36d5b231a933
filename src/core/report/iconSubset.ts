/**
 * The exported report's icons without the whole codicon font (168 KB as a data: URL): the
 * glyphs the report uses are read from the font's TrueType outlines and inlined as SVG masks,
 * one CSS rule each, in place of the font and its ~500 `.codicon-*:before` rules.
 */

interface Tables {
  view: DataView;
  tables: Map<string, number>;
}

function readTables(font: Buffer): Tables {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const count = view.getUint16(4);
  const tables = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    tables.set(String.fromCharCode(...font.subarray(at, at + 4)), view.getUint32(at + 8));
  }
  return { view, tables };
}

/** The glyph index of a code point, from a format 4 or 12 cmap subtable. */
function glyphIndex({ view, tables }: Tables, codePoint: number): number {
  const cmap = tables.get('cmap')!;
  const subtables = view.getUint16(cmap + 2);
  for (let i = 0; i < subtables; i++) {
    const offset = cmap + view.getUint32(cmap + 4 + i * 8 + 4);
    const format = view.getUint16(offset);
    if (format === 4) {
      const segments = view.getUint16(offset + 6) / 2;
      const ends = offset + 14;
      const starts = ends + segments * 2 + 2;
      const deltas = starts + segments * 2;
      const ranges = deltas + segments * 2;
      for (let s = 0; s < segments; s++) {
        if (codePoint > view.getUint16(ends + s * 2) || codePoint < view.getUint16(starts + s * 2)) continue;
        const range = view.getUint16(ranges + s * 2);
        const delta = view.getInt16(deltas + s * 2);
        if (range === 0) return (codePoint + delta) & 0xffff;
        const glyph = view.getUint16(ranges + s * 2 + range + (codePoint - view.getUint16(starts + s * 2)) * 2);
        return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
      }
    } else if (format === 12) {
      const groups = view.getUint32(offset + 12);
      for (let g = 0; g < groups; g++) {
        const at = offset + 16 + g * 12;
        const start = view.getUint32(at);
        if (codePoint >= start && codePoint <= view.getUint32(at + 4)) return view.getUint32(at + 8) + codePoint - start;
      }
    }
  }
  return 0;
}

/** A simple glyph's contours as an SVG path in font units (y up), or '' when empty or composite. */
function glyphPath({ view, tables }: Tables, glyph: number): string {
  const head = tables.get('head')!;
  const longOffsets = view.getInt16(head + 50) === 1;
  const loca = tables.get('loca')!;
  const glyf = tables.get('glyf')!;
  const start = longOffsets ? view.getUint32(loca + glyph * 4) : view.getUint16(loca + glyph * 2) * 2;
  const end = longOffsets ? view.getUint32(loca + glyph * 4 + 4) : view.getUint16(loca + glyph * 2 + 2) * 2;
  if (end <= start) return '';
  let at = glyf + start;
  const contours = view.getInt16(at);
  if (contours <= 0) return '';
  at += 10;
  const endPoints: number[] = [];
  for (let i = 0; i < contours; i++, at += 2) endPoints.push(view.getUint16(at));
  const points = endPoints[endPoints.length - 1] + 1;
  at += 2 + view.getUint16(at);
  const flags: number[] = [];
  while (flags.length < points) {
    const flag = view.getUint8(at++);
    flags.push(flag);
    if (flag & 8) {
      const repeat = view.getUint8(at++);
      for (let r = 0; r < repeat; r++) flags.push(flag);
    }
  }
  const coordinates = (short: number, same: number): number[] => {
    const out: number[] = [];
    let value = 0;
    for (const flag of flags) {
      if (flag & short) {
        const d = view.getUint8(at++);
        value += flag & same ? d : -d;
      } else if (!(flag & same)) {
        value += view.getInt16(at);
        at += 2;
      }
      out.push(value);
    }
    return out;
  };
  const xs = coordinates(2, 16);
  const ys = coordinates(4, 32);
  let d = '';
  let first = 0;
  for (const last of endPoints) {
    const pts = [];
    for (let i = first; i <= last; i++) pts.push({ x: xs[i], y: ys[i], on: (flags[i] & 1) === 1 });
    first = last + 1;
    if (pts.length === 0) continue;
    // Start on an on-curve point (or the midpoint of two off-curve ones).
    let s = pts.findIndex((p) => p.on);
    if (s < 0) {
      pts.unshift({ x: (pts[0].x + pts[pts.length - 1].x) / 2, y: (pts[0].y + pts[pts.length - 1].y) / 2, on: true });
      s = 0;
    }
    const ring = [...pts.slice(s), ...pts.slice(0, s)];
    d += `M${ring[0].x} ${ring[0].y}`;
    for (let i = 1; i <= ring.length; i++) {
      const p = ring[i % ring.length];
      if (p.on) {
        d += `L${p.x} ${p.y}`;
        continue;
      }
      const next = ring[(i + 1) % ring.length];
      const to = next.on ? next : { x: (p.x + next.x) / 2, y: (p.y + next.y) / 2 };
      d += `Q${p.x} ${p.y} ${to.x} ${to.y}`;
      if (next.on) i++;
    }
    d += 'Z';
  }
  return d;
}

/** The codicon rules (`.codicon-NAME:before{content:"\XXXX"}`) a stylesheet holds, by name. */
function codiconRules(css: string): Map<string, number> {
  const rules = new Map<string, number>();
  for (const m of css.matchAll(/\.codicon-([\w-]+):before\s*\{\s*content:\s*"\\([0-9a-f]+)"\s*\}/gi)) rules.set(m[1], parseInt(m[2], 16));
  return rules;
}

/**
 * Replaces the codicon font in `css` with SVG masks for the icons whose names occur as
 * string literals in `script` (the report builds its icon classes from such names).
 */
export function subsetCodicons(css: string, script: string, font: Buffer): string {
  const rules = codiconRules(css);
  if (rules.size === 0) return css;
  const tables = readTables(font);
  const head = tables.tables.get('head')!;
  const hhea = tables.tables.get('hhea')!;
  const unitsPerEm = tables.view.getUint16(head + 18);
  const ascender = tables.view.getInt16(hhea + 4);
  const height = ascender - tables.view.getInt16(hhea + 6);
  const masks: string[] = [];
  for (const [name, codePoint] of rules) {
    if (!new RegExp(`["'\`]${name}["'\`]|codicon-${name}\\b`).test(script)) continue;
    const d = glyphPath(tables, glyphIndex(tables, codePoint));
    if (!d) continue;
    // Font units have y up: flip into the SVG's y-down box.
    const svg = `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 ${unitsPerEm} ${height}'><path transform='translate(0 ${ascender}) scale(1 -1)' d='${d}'/></svg>`;
    // Only the characters a CSS string in a data: URL cannot carry are escaped.
    const url = svg.replace(/[<>#%"]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    masks.push(`.codicon-${name}:before{content:"";mask:url("data:image/svg+xml,${url}") center/contain no-repeat}`);
  }
  const withoutFont = css
    .replace(/@font-face\s*\{[^}]*font-family:\s*"?codicon"?[^}]*\}/g, '')
    .replace(/\.codicon-[\w-]+:before\s*\{\s*content:\s*"\\[0-9a-f]+"\s*\}/gi, '');
  const base = '.codicon:before{display:inline-block;width:1em;height:1em;background:currentColor;vertical-align:text-bottom}';
  return `${withoutFont}\n${base}\n${masks.join('\n')}`;
}
