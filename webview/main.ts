// Entry of the report app (bundled by esbuild into dist/webview.js / dist/webview.css).
import '@vscode/codicons/dist/codicon.css';
import './report.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import { l10n } from '../src/shared/l10n';
import { ReportApp } from './app';
import { createDataSource } from './dataSource';

// An exported file follows the system theme; inside VS Code the body class comes from VS Code.
if (document.body.hasAttribute('data-auto-theme') && window.matchMedia('(prefers-color-scheme: light)').matches) {
  document.body.classList.replace('vscode-dark', 'vscode-light');
}

const root = document.getElementById('app');
if (root) {
  try {
    new ReportApp(root, createDataSource()).start();
  } catch (error) {
    root.textContent = l10n.t('Tidemark could not start the report: {0}', (error as Error).message);
    console.error(error);
  }
}
