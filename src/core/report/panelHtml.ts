/** The report webview's page: the bundled app under a CSP that allows only local, nonce-tagged code. */
export interface PanelHtmlOptions {
  /** Fresh per load. */
  nonce: string;
  /** The webview's cspSource (where dist/ and media/ are served from). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
}

export function panelHtml(o: PanelHtmlOptions): string {
  const csp = ["default-src 'none'", `script-src 'nonce-${o.nonce}'`, `style-src ${o.cspSource}`, `font-src ${o.cspSource}`, `img-src ${o.cspSource} data:`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${o.styleUri}">
<title>Tidemark Report</title>
</head>
<body>
<div id="app"></div>
<script nonce="${o.nonce}" src="${o.scriptUri}"></script>
</body>
</html>`;
}
