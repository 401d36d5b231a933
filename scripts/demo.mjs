#!/usr/bin/env node
// `npm run demo [-- --screenshot FILE.png]`: installs what is missing (npm ci, code-server in
// .vscode-test/), builds the extension and the harness, then runs Tidemark in code-server on a
// sample workspace with history (test/e2e/harness/demo.ts). Works on a fresh clone.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ensureDependencies } from './ensure-deps.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
ensureDependencies(root);
for (const [label, cmd, args] of [
  ['build', 'node', ['esbuild.mjs']],
  ['compile the harness', 'npx', ['tsc', '-p', 'tsconfig.test.json']],
]) {
  console.log(`demo: ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`demo: ${label} failed`);
    process.exit(r.status ?? 1);
  }
}
const { runDemo } = createRequire(import.meta.url)(path.join(root, 'out/test/e2e/harness/demo.js'));
runDemo(process.argv.slice(2)).then(
  () => process.exit(0),
  (err) => {
    console.error(`demo: ${err.message}`);
    process.exit(1);
  },
);
