/**
 * Chart colours come only from VS Code's theme variables. They are read from the computed
 * style of <body> and read again whenever VS Code switches theme (it swaps the body's
 * vscode-light / vscode-dark / vscode-high-contrast class and its variables).
 */
export interface ChartTheme {
  kind: 'light' | 'dark' | 'high-contrast';
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  tooltipBackground: string;
  tooltipBorder: string;
  fontFamily: string;
  better: string;
  worse: string;
  /** A threshold's warning (the judgement `warn`). */
  warn: string;
  neutral: string;
  /** Series colours, current branch first. */
  palette: string[];
}

function variable(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

export function readTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const classes = document.body.classList;
  const kind = classes.contains('vscode-high-contrast') || classes.contains('vscode-high-contrast-light') ? 'high-contrast' : classes.contains('vscode-light') ? 'light' : 'dark';
  const foreground = variable(style, '--vscode-foreground', '#cccccc');
  return {
    kind,
    foreground,
    muted: variable(style, '--vscode-descriptionForeground', foreground),
    grid: variable(style, '--vscode-charts-lines', variable(style, '--vscode-panel-border', '#80808059')),
    background: variable(style, '--vscode-editor-background', '#1e1e1e'),
    tooltipBackground: variable(style, '--vscode-editorHoverWidget-background', '#252526'),
    tooltipBorder: variable(style, '--vscode-editorHoverWidget-border', '#454545'),
    fontFamily: variable(style, '--vscode-font-family', 'sans-serif'),
    better: variable(style, '--vscode-charts-green', '#89d185'),
    worse: variable(style, '--vscode-charts-red', '#f14c4c'),
    warn: variable(style, '--vscode-editorWarning-foreground', variable(style, '--vscode-charts-yellow', '#cca700')),
    neutral: variable(style, '--vscode-charts-lines', '#808080'),
    palette: ['--vscode-charts-blue', '--vscode-charts-purple', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-yellow', '--vscode-charts-red'].map((name, i) =>
      variable(style, name, ['#3794ff', '#b180d7', '#d18616', '#89d185', '#cca700', '#f14c4c'][i]),
    ),
  };
}

/** A colour with an alpha, for bands and fills; works for #rgb, #rrggbb and rgb(). */
export function withAlpha(color: string, alpha: number): string {
  const c = color.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(c);
  if (hex) {
    let h = hex[1];
    if (h.length === 3) h = [...h].map((d) => d + d).join('');
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^)]+)\)$/.exec(c);
  if (rgb) {
    const [r, g, b] = rgb[1].split(/[ ,/]+/).filter(Boolean);
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  return c;
}

/** Calls back when the body's theme class changes. */
export function onThemeChange(callback: (theme: ChartTheme) => void): void {
  let last = document.body.className;
  new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    callback(readTheme());
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
