/**
 * The report as one self-contained HTML file: the webview bundle, its styles (with the
 * codicon font as a data: URL) and the data, all inlined. The data sits in a
 * <script type="application/json"> element escaped so no value can end it or start markup;
 * a CSP meta tag allows exactly the inlined script and styles (by hash) and nothing remote.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Navigation, StandaloneSnapshot } from '../../shared/protocol';
import type { ReportSource } from './backend';
import { subsetCodicons } from './iconSubset';
import { buildSnapshot } from './snapshot';
import { STANDALONE_THEME_CSS } from './standaloneTheme';

export interface WebviewAssets {
  script: string;
  css: string;
}

/**
 * The folder holding the built webview: the bundle's own folder when running from dist/
 * (extension, CLI), else the nearest dist/ above (compiled tests, ts-node).
 */
export function findWebviewDist(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'webview.js'))) return dir;
    if (existsSync(path.join(dir, 'dist', 'webview.js'))) return path.join(dir, 'dist');
    if (path.dirname(dir) === dir) throw new Error(`no built report (webview.js) found above ${from}; run npm run build`);
  }
}

/**
 * Reads dist/webview.js and dist/webview.css for a standalone file: the codicon font becomes
 * SVG masks of the icons the report uses (see iconSubset.ts); other fonts become data: URLs.
 */
export function loadWebviewAssets(distDir: string): WebviewAssets {
  const read = (file: string) => {
    try {
      return readFileSync(path.join(distDir, file), 'utf8');
    } catch {
      throw new Error(`${path.join(distDir, file)} is missing; build the report first (npm run build)`);
    }
  };
  const script = read('webview.js');
  let css = read('webview.css');
  const codicon = /url\("?\.\/(codicon[\w.-]*\.ttf)(?:\?[^")]*)?"?\)/.exec(css);
  if (codicon && existsSync(path.join(distDir, codicon[1]))) css = subsetCodicons(css, script, readFileSync(path.join(distDir, codicon[1])));
  css = css.replace(/url\("?\.\/([\w.-]+\.(ttf|woff2?))(?:\?[^")]*)?"?\)/g, (_m, file: string, ext: string) => {
    const data = readFileSync(path.join(distDir, file)).toString('base64');
    return `url("data:font/${ext};base64,${data}")`;
  });
  return { script, css };
}

/** JSON that is safe inside a <script> element: nothing in it can close the element or open markup. */
export function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function escapeHtmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderStandaloneHtml(snapshot: StandaloneSnapshot, assets: WebviewAssets): string {
  // A literal "</script" inside the bundle would end the element early.
  const script = assets.script.replace(/<\/(script)/gi, '<\\/$1');
  const styles = [STANDALONE_THEME_CSS, assets.css.replace(/<\/(style)/gi, '<\\/$1')];
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${styles.map(sha256).join(' ')}`,
    'font-src data:',
    'img-src data:',
  ].join('; ');
  const title = `Tidemark report · ${snapshot.meta.folderName}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtmlText(title)}</title>
${styles.map((s) => `<style>${s}</style>`).join('\n')}
</head>
<body class="vscode-dark" data-auto-theme>
<div id="app"></div>
<script type="application/json" id="tidemark-data">${jsonForScriptElement(snapshot)}</script>
<script>${script}</script>
</body>
</html>
`;
}

/** Reads the store and renders the whole standalone report. */
export async function exportReportHtml(source: ReportSource, distDir: string, navigate?: Navigation): Promise<string> {
  const assets = loadWebviewAssets(distDir);
  return renderStandaloneHtml(await buildSnapshot(source, navigate), assets);
}
