// Bundles the extension, the CLI, the store worker and the webview app into dist/,
// copies sql.js's WebAssembly next to them and writes the config's JSON Schema.
// Usage: node esbuild.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.dirname(new URL(import.meta.url).pathname);
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
  // jsonc-parser's UMD build loads its parts with a require() esbuild cannot follow; its ESM build bundles cleanly.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

const builds = [
  { ...nodeCommon, entryPoints: { extension: 'src/extension/extension.ts' } },
  { ...nodeCommon, entryPoints: { cli: 'src/cli/main.ts' }, banner: { js: '#!/usr/bin/env node' } },
  { ...nodeCommon, entryPoints: { storeWorker: 'src/core/store/worker.ts' } },
  // The GitHub Action's entry point (action.yml); it runs cli.js beside it.
  { ...nodeCommon, entryPoints: { action: 'src/action/main.ts' } },
  {
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    sourcemap: !production,
    // Always minified: the exported HTML report inlines this file, so the development build ships small too.
    minify: true,
    logLevel: 'warning',
    entryPoints: { webview: 'webview/main.ts' },
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
  },
].filter((b) => Object.values(b.entryPoints).every((entry) => existsSync(path.join(root, entry))));

mkdirSync(dist, { recursive: true });
copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), path.join(dist, 'sql-wasm.wasm'));

async function writeSchema() {
  const entry = path.join(root, 'src/core/config/jsonSchema.ts');
  if (!existsSync(entry)) return;
  const out = await esbuild.build({ ...nodeCommon, sourcemap: false, minify: false, entryPoints: [entry], write: false });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, require);
  const schema = mod.exports.configJsonSchema();
  writeFileSync(path.join(dist, 'tidemark.schema.json'), JSON.stringify(schema, null, 2) + '\n');
}

for (const options of builds) {
  const entry = Object.keys(options.entryPoints)[0];
  const config = { ...options, outdir: dist };
  if (watch) {
    const ctx = await esbuild.context(config);
    await ctx.watch();
    console.log(`watching ${entry}`);
  } else {
    await esbuild.build(config);
  }
}
await writeSchema();
if (!watch) console.log(`built ${builds.map((b) => Object.keys(b.entryPoints)[0]).join(', ')} into dist/`);
