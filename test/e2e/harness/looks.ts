/**
 * What a user sees, measured in the page: text contrast from the computed styles (the text's
 * colour, faded by its ancestors' opacity, against the first opaque background behind it, alpha
 * blended as the browser paints it), text cut by its box (scrollWidth > clientWidth on an element that hides its overflow),
 * and WCAG contrast ratios of colours.
 *
 *   await textContrast(page, '.part.sidebar .monaco-list-row .label-name')   [{ text, fg, bg, ratio }]
 *   await cutTexts(page, '.notification-toast')                               texts cut in that part
 *   contrastRatio('#ffffff', 'rgb(0, 0, 0)')                                  21
 */
import type { Frame, Page } from 'playwright-core';

export type Rgba = [number, number, number, number];

/** Parses the colours computed styles and canvases give: #rgb(a), #rrggbb(aa), rgb(), rgba(), color(srgb …). */
export function parseColor(text: string): Rgba {
  const c = text.trim();
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(c);
  if (hex) {
    let h = hex[1];
    if (h.length <= 4) h = [...h].map((d) => d + d).join('');
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
    return [r, g, b, h.length === 8 ? parseInt(h.slice(6, 8), 16) / 255 : 1];
  }
  const rgb = /^rgba?\(([^)]+)\)$/.exec(c);
  if (rgb) {
    const [r, g, b, a] = rgb[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [r, g, b, a ?? 1];
  }
  const srgb = /^color\(srgb ([^)]+)\)$/.exec(c);
  if (srgb) {
    const [r, g, b, a] = srgb[1].split(/[ /]+/).filter(Boolean).map(Number);
    return [r * 255, g * 255, b * 255, a ?? 1];
  }
  throw new Error(`cannot parse the colour ${JSON.stringify(text)}`);
}

function luminance([r, g, b]: Rgba): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG 2 contrast ratio of two opaque colours (1 to 21). */
export function contrastRatio(a: string | Rgba, b: string | Rgba): number {
  const [la, lb] = [a, b].map((c) => luminance(typeof c === 'string' ? parseColor(c) : c));
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

export function sameColor(a: string | Rgba, b: string | Rgba, tolerance = 3): boolean {
  const [pa, pb] = [a, b].map((c) => (typeof c === 'string' ? parseColor(c) : c));
  return [0, 1, 2].every((i) => Math.abs(pa[i] - pb[i]) <= tolerance);
}

export interface TextLook {
  text: string;
  /** The text's colour and the opaque background it is painted on, as rgb(). */
  fg: string;
  bg: string;
  ratio: number;
}

/*
 * Runs in the page (a string: this project compiles without the DOM library). For each visible
 * element matching the selector with text: its colour, and its background found by walking up
 * the ancestors and blending each translucent background over the next one down; at the top,
 * the page's --vscode-editor-background (a webview's body is transparent over the editor) or white.
 */
const lookScript = `(selector) => {
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c);
    if (m) { const [r, g, b, a] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number); return [r, g, b, a === undefined ? 1 : a]; }
    const s = /color\\(srgb ([^)]+)\\)/.exec(c);
    if (s) { const [r, g, b, a] = s[1].split(/[ /]+/).filter(Boolean).map(Number); return [r * 255, g * 255, b * 255, a === undefined ? 1 : a]; }
    return undefined;
  };
  const resolve = (value) => {
    const probe = document.createElement('span');
    probe.style.color = value;
    document.body.appendChild(probe);
    const c = parse(getComputedStyle(probe).color);
    probe.remove();
    return c;
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const backgroundOf = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let base = layers.length && layers[layers.length - 1][3] >= 1 ? layers.pop() : undefined;
    if (!base) {
      const editor = getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim();
      base = (editor && resolve(editor)) || [255, 255, 255, 1];
    }
    for (const layer of layers.reverse()) base = over(layer, base);
    return base;
  };
  const css = (c) => 'rgb(' + c.slice(0, 3).map((v) => Math.round(v)).join(', ') + ')';
  return [...document.querySelectorAll(selector)]
    .filter((e) => e.getClientRects().length > 0 && (e.textContent || '').trim() !== '')
    .map((e) => {
      const bg = backgroundOf(e);
      const fgRaw = parse(getComputedStyle(e).color) || [0, 0, 0, 1];
      // An ancestor's opacity fades the text too (VS Code dims tree descriptions that way).
      for (let a = e; a; a = a.parentElement) fgRaw[3] *= Number(getComputedStyle(a).opacity);
      return { text: (e.textContent || '').trim(), fg: css(over(fgRaw, bg)), bg: css(bg) };
    });
}`;

/** The visible, non-empty elements matching `selector`, with their text colour, background and contrast. */
export async function textContrast(target: Page | Frame, selector: string): Promise<TextLook[]> {
  const looks = (await target.evaluate(`(${lookScript})(${JSON.stringify(selector)})`)) as Omit<TextLook, 'ratio'>[];
  return looks.map((l) => ({ ...l, ratio: Math.round(contrastRatio(l.fg, l.bg) * 100) / 100 }));
}

/** The opaque background behind the first visible element matching `selector`, as rgb(). */
export async function backgroundBehind(target: Page | Frame, selector: string): Promise<string> {
  const script = lookScript.replace(".filter((e) => e.getClientRects().length > 0 && (e.textContent || '').trim() !== '')", '.filter((e) => e.getClientRects().length > 0)');
  const [look] = (await target.evaluate(`(${script})(${JSON.stringify(selector)})`)) as Omit<TextLook, 'ratio'>[];
  if (!look) throw new Error(`nothing visible matches ${selector}`);
  return look.bg;
}

/** Asserts-ready summary: the looks whose contrast is below `min`. */
export function lowContrast(looks: TextLook[], min: number): TextLook[] {
  return looks.filter((l) => l.ratio < min);
}

/**
 * Texts cut by their box inside the elements matching `root`: an element that clips or
 * ellipsises its overflow (overflow hidden/clip or text-overflow ellipsis) and whose content is
 * wider than it is (1 px of rounding allowed).
 */
export async function cutTexts(target: Page | Frame, root: string): Promise<string[]> {
  const script = `(root) => [...document.querySelectorAll(root)].flatMap((r) => [r, ...r.querySelectorAll('*')])
    .filter((e) => e.getClientRects().length > 0 && (e.textContent || '').trim() !== '')
    .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 2 && r.height > 2; }) // not a screen-reader-only caption
    .filter((e) => { const s = getComputedStyle(e); return s.textOverflow === 'ellipsis' || /hidden|clip/.test(s.overflowX); })
    .filter((e) => e.scrollWidth > e.clientWidth + 1)
    .map((e) => (e.textContent || '').trim() + ' [' + e.clientWidth + ' px shows ' + e.scrollWidth + ' px]')`;
  return (await target.evaluate(`(${script})(${JSON.stringify(root)})`)) as string[];
}
