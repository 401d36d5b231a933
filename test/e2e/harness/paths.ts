/** Where the harness finds the repository and keeps its caches and results. */
import path from 'node:path';

/** The repository root (this file compiles to out/test/e2e/harness/paths.js). */
export const repoRoot = path.resolve(__dirname, '../../../..');
/** Git-ignored cache of downloaded/built tools (code-server, the packaged VSIX). */
export const cacheDir = path.join(repoRoot, '.vscode-test');
/** Git-ignored results: screenshots, mocha JSON, logs. */
export const resultsDir = path.join(repoRoot, 'test-results');
export const extensionId = 'tidemark.tidemark';
