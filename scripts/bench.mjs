#!/usr/bin/env node
// Tidemark benchmarks. Builds (esbuild --production + tsc into out/) first, then runs every
// section module in scripts/bench/sections/ in name order, prints one table per section and
// ends with every target and whether it was met (exit code 0 either way: a shared machine's
// load decides too much; read the uptime load printed beside the figures).
//   npm run bench                       all sections
//   npm run bench -- store cli          only sections whose name contains "store" or "cli"
//   npm run bench -- --no-build         skip the build (dist/ and out/ must be current)
//   npm run bench -- --quick            smaller data sets and fewer repetitions (a smoke run, ~1 min)
// Generated data is cached in .cache/bench/ (git-ignored; delete it to regenerate). The native
// SQLite reference (better-sqlite3) is compiled by the first run that loads it (`npm rebuild
// better-sqlite3`, once: `npm test` does not build it; scripts/ensure-deps.mjs).
//
// Adding a section: a file scripts/bench/sections/NN-name.mjs exporting
//   export const sections = [{ name: 'area: what', description: '…', run: async (ctx) => table }];
// where table = { columns, rows, notes?, targets? } and each target comes from
//   target('what', measured, '<=' | '>=', goal, format, 'reference measured in the same run')
// (scripts/bench/lib.mjs; ctx has quick, tempDir(), cacheDir, out(rel) for compiled modules).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createContext, printTable, printTargets } from './bench/lib.mjs';
import os from 'node:os';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));

if (!args.includes('--no-build')) {
  for (const [cmd, cmdArgs] of [
    ['node', ['esbuild.mjs', '--production']],
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
const targets = [];
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(', ');
console.log(`load average at start: ${load()} (${os.cpus().length} cores)`);
for (const file of files) {
  const mod = await import(pathToFileURL(path.join(dir, file)).href);
  for (const section of mod.sections ?? []) {
    if (filters.length && !filters.some((f) => section.name.includes(f))) continue;
    const t0 = Date.now();
    console.log(`\n■ ${section.name}`);
    if (section.description) console.log(`  ${section.description}`);
    const table = await section.run(ctx);
    printTable(table);
    for (const t of table.targets ?? []) targets.push({ ...t, name: `${t.name} [load ${os.loadavg()[0].toFixed(1)}]` });
    console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    ran++;
  }
}
printTargets(targets);
console.log(`\n${ran} section(s) in ${((Date.now() - started) / 1000).toFixed(0)} s on ${ctx.machine}; load average at the end: ${load()}`);
