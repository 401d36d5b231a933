// Bundles the extension, the CLI, the store worker and the webview app into dist/,
// copies sql.js's WebAssembly next to them and writes the config's JSON Schema.
// Usage: node esbuild.mjs [--watch] [--production]
//   dist/ is emptied first, so nothing stale is ever packaged.
//   Development: readable bundles with linked source maps in dist/.
//   --production (what `vscode:prepublish` runs before `vsce package`): minified bundles and no
//   map in dist/; the maps go to .cache/sourcemaps/ (git-ignored) for debugging a packaged build.
// A bundle rule is checked on every build: dist/extension.js never contains sql.js or the store
// engine (they load in dist/storeWorker.js, in a worker thread).
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.dirname(new URL(import.meta.url).pathname);
const dist = path.join(root, 'dist');
const mapsDir = path.join(root, '.cache', 'sourcemaps');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? 'external' : 'linked',
  minify: production,
  legalComments: production ? 'none' : 'inline',
  metafile: true,
  logLevel: 'warning',
  external: ['vscode'],
  // jsonc-parser's UMD build loads its parts with a require() esbuild cannot follow; its ESM build bundles cleanly.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

/** Inputs that must never be bundled into an entry (checked against esbuild's metafile). */
const forbidden = {
  extension: [/node_modules\/sql\.js\//, /src\/core\/store\/(sqlStore|database|sqljs|rollups|journal)\.ts$/],
  // The launcher runs before the code cache helps: it holds the few modules that choose V8's flags.
  cli: [/node_modules\//, /src\/core\/(store|collect|analysis|report|git|share|config)\//, /src\/cli\/(cli|main|registry|commands\/.*)\.ts$/],
};

const builds = [
  { ...nodeCommon, entryPoints: { extension: 'src/extension/extension.ts' } },
  // The `tidemark` executable is a small launcher (cli.js) that loads the CLI (cli-main.js) through V8's code cache.
  { ...nodeCommon, entryPoints: { cli: 'src/cli/launch.ts' }, banner: { js: '#!/usr/bin/env node' } },
  { ...nodeCommon, entryPoints: { 'cli-main': 'src/cli/main.ts' } },
  { ...nodeCommon, entryPoints: { storeWorker: 'src/core/store/worker.ts' } },
  // The GitHub Action's entry point (action.yml); it runs cli.js beside it.
  { ...nodeCommon, entryPoints: { action: 'src/action/main.ts' } },
  {
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    sourcemap: production ? 'external' : 'linked',
    // Always minified: the exported HTML report inlines this file, so a development build exports small files too.
    minify: true,
    legalComments: production ? 'none' : 'inline',
    metafile: true,
    logLevel: 'warning',
    entryPoints: { webview: 'webview/main.ts' },
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
  },
].filter((b) => Object.values(b.entryPoints).every((entry) => existsSync(path.join(root, entry))));

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), path.join(dist, 'sql-wasm.wasm'));

async function writeSchema() {
  const entry = path.join(root, 'src/core/config/jsonSchema.ts');
  if (!existsSync(entry)) return;
  const out = await esbuild.build({ ...nodeCommon, sourcemap: false, minify: false, metafile: false, entryPoints: [entry], write: false });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, require);
  const schema = mod.exports.configJsonSchema();
  writeFileSync(path.join(dist, 'tidemark.schema.json'), JSON.stringify(schema, null, 2) + '\n');
}

function checkBundleRules(entry, metafile) {
  const rules = forbidden[entry];
  if (!rules || !metafile) return;
  // Inputs esbuild tree-shook to nothing (a constant imported from a store file) do not count.
  const inputs = Object.values(metafile.outputs).flatMap((output) => Object.entries(output.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([name]) => name));
  const bad = inputs.filter((input) => rules.some((rule) => rule.test(input)));
  if (bad.length) throw new Error(`dist/${entry}.js must not bundle ${bad.join(', ')} (see the bundle rules in esbuild.mjs)`);
}

/** Production maps leave dist/ (vsce would package them); a debugger can load them from .cache/sourcemaps/. */
function moveMaps() {
  rmSync(mapsDir, { recursive: true, force: true });
  mkdirSync(mapsDir, { recursive: true });
  for (const name of readdirSync(dist)) {
    if (name.endsWith('.map')) renameSync(path.join(dist, name), path.join(mapsDir, name));
  }
}

for (const options of builds) {
  const entry = Object.keys(options.entryPoints)[0];
  const config = { ...options, outdir: dist };
  if (watch) {
    const ctx = await esbuild.context(config);
    await ctx.watch();
    console.log(`watching ${entry}`);
  } else {
    const result = await esbuild.build(config);
    checkBundleRules(entry, result.metafile);
  }
}
await writeSchema();
if (production) moveMaps();
if (!watch) console.log(`built ${builds.map((b) => Object.keys(b.entryPoints)[0]).join(', ')} into dist/${production ? ' (production; maps in .cache/sourcemaps/)' : ''}`);
