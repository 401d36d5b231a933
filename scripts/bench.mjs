#!/usr/bin/env node
// Tidemark benchmarks. Builds (esbuild + tsc into out/) first, then runs every section module
// in scripts/bench/sections/ in name order and prints one table per section.
//   npm run bench                       all sections
//   npm run bench -- store              only sections whose name contains "store"
//   npm run bench -- --no-build         skip the build (out/ must be current)
//   npm run bench -- --quick            smaller data sets (smoke run)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createContext, printTable } from './bench/lib.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));

if (!args.includes('--no-build')) {
  for (const [cmd, cmdArgs] of [
    ['node', ['esbuild.mjs']],
    ['npx', ['tsc', '-p', 'tsconfig.test.json']],
  ]) {
    const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`bench: ${cmd} ${cmdArgs.join(' ')} failed`);
      process.exit(1);
    }
  }
}

const ctx = createContext({ root, quick: args.includes('--quick') });
// Temp stores go even when a section throws or the run is interrupted.
process.on('exit', () => ctx.cleanup());
process.on('SIGINT', () => process.exit(130));
const dir = path.join(root, 'scripts', 'bench', 'sections');
const files = readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort();
const started = Date.now();
let ran = 0;
for (const file of files) {
  const mod = await import(pathToFileURL(path.join(dir, file)).href);
  for (const section of mod.sections ?? []) {
    if (filters.length && !filters.some((f) => section.name.includes(f))) continue;
    const t0 = Date.now();
    console.log(`\n■ ${section.name}`);
    if (section.description) console.log(`  ${section.description}`);
    const table = await section.run(ctx);
    printTable(table);
    console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    ran++;
  }
}
console.log(`\n${ran} section(s) in ${((Date.now() - started) / 1000).toFixed(0)} s on ${ctx.machine}`);
