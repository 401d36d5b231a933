/**
 * Create Config: looks at a project and proposes a tidemark.json built from presets, keeping
 * only metrics that work right now, so the first `tidemark collect` is all `ok`.
 *
 * Nothing of the project is run here except the in-process collectors (read-only); a build
 * script is only proposed when dependencies are installed, a report only when it exists and
 * parses, a bundle size only when the build output is there.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { runCollector } from '../collect/collectors';
import { listSourceFiles, globOnDisk } from '../collect/collectors/files';
import { languageOf } from '../collect/collectors/languages';
import { PRESETS, quoteArgument, type PresetId } from '../presets';
import { buildOutputDirs } from './buildOutput';
import { ECOSYSTEM_JUNIT_GLOBS, ecosystemProposals } from './ecosystems';
import type { TidemarkConfig } from '../types';
import { parseValue } from '../units';
import { proposeSteps, type ReportReader } from './steps';

export interface StarterConfig {
  /** tidemark.json text. */
  text: string;
  /** Metric ids in the config, in order. */
  metrics: string[];
  /** What was detected and what was left out, and why, one line each. */
  notes: string[];
}

interface Candidate {
  id: string;
  preset: PresetId;
  /** Collector argv (without `@collect`); absent for build-time. */
  argv: string[];
  description: string;
  onSave?: boolean | string[];
  /** The command when it differs from the preset's. */
  command?: string;
}

const COVERAGE_REPORTS: [file: string, collector: string][] = [
  ['coverage/lcov.info', 'coverage-lcov'],
  ['lcov.info', 'coverage-lcov'],
  ['coverage/coverage-summary.json', 'coverage-istanbul'],
  ['coverage/cobertura-coverage.xml', 'coverage-cobertura'],
  ['coverage.xml', 'coverage-cobertura'],
  ['coverage/clover.xml', 'coverage-clover'],
  ['clover.xml', 'coverage-clover'],
];
const JUNIT_GLOBS = ['test-results/**/*.xml', 'reports/**/*.xml', '*junit*.xml', 'test-report*.xml', 'TEST-*.xml', 'build/test-results/**/*.xml', 'target/surefire-reports/*.xml'];
const MANIFESTS = ['package.json', 'requirements.txt', 'go.mod', 'Cargo.toml', 'pyproject.toml'];

/** The text of an `@collect` command line for argv, quoting what needs it. */
export function collectCommand(argv: string[]): string {
  return ['@collect', ...argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : quoteArgument(a)))].join(' ');
}

export async function starterConfig(cwd: string): Promise<StarterConfig> {
  const notes: string[] = [];
  const signal = new AbortController().signal;
  const pkg = await readPackageJson(cwd);
  const candidates: Candidate[] = [];

  const build = buildCandidate(cwd, pkg, notes);
  if (build) candidates.push(build);
  candidates.push(...(await bundleCandidates(cwd, pkg, signal, notes)));
  candidates.push(...(await coverageCandidates(cwd, notes)));
  candidates.push(...(await testCandidates(cwd, signal, notes)));
  const taken = new Set(candidates.map((c) => c.id));
  for (const p of await ecosystemProposals(cwd, signal, taken, notes, taken.has('test-count'))) {
    candidates.push({ id: p.id, preset: p.preset, argv: p.argv, description: p.description, command: collectCommand(p.argv) });
  }
  candidates.push(...(await sourceCandidates(cwd, signal, notes)));

  const config: TidemarkConfig = { metrics: {}, baseline: { maxAgeDays: 90 } };
  const kept: Candidate[] = [];
  for (const candidate of candidates) {
    const problem = await firstRunProblem(candidate, cwd, config, signal);
    if (problem) notes.push(`left out ${candidate.id}: ${problem}`);
    else kept.push(candidate);
  }

  const metrics: Record<string, Record<string, unknown>> = {};
  for (const c of kept) {
    metrics[c.id] = { $ref: c.preset, ...(c.command ? { command: c.command } : {}), description: c.description, ...(c.onSave ? { onSave: c.onSave } : {}) };
  }
  const file: Record<string, unknown> = { metrics };
  // Reports written by a package.json script: the metrics depend on a step that runs it.
  const proposal = proposeSteps(cwd, pkg?.scripts, reportReaders(kept), (script) => runScript(cwd, script));
  if (Object.keys(proposal.steps).length) {
    file.steps = proposal.steps;
    for (const [metric, step] of Object.entries(proposal.dependsOn)) metrics[metric].dependsOn = step;
  }
  notes.push(...proposal.notes);
  // The build rewrites its output while the size metrics read it: run metrics one at a time, in order.
  if (kept.some((c) => c.preset === 'build-time') && kept.some((c) => c.preset.startsWith('bundle-size'))) {
    file.concurrency = 1;
    notes.push('concurrency 1: build-time rebuilds the output that bundle-size then measures, so metrics run one after another');
  }
  return { text: `${JSON.stringify(file, null, 2)}\n`, metrics: kept.map((c) => c.id), notes };
}

/** The kept metrics that read coverage or JUnit reports, and the files they read. */
function reportReaders(kept: Candidate[]): ReportReader[] {
  return kept.flatMap((c): ReportReader[] => {
    const [collector, ...rest] = c.argv;
    const files = rest.filter((a, i) => !a.startsWith('--') && !rest[i - 1]?.startsWith('--'));
    if (collector?.startsWith('coverage-')) return [{ metric: c.id, kind: 'coverage', files }];
    if (collector === 'junit') return [{ metric: c.id, kind: 'junit', files }];
    return [];
  });
}

/** Why the candidate would not be `ok` on the first run, or null when it would. */
async function firstRunProblem(c: Candidate, cwd: string, config: TidemarkConfig, signal: AbortSignal): Promise<string | null> {
  if (c.preset === 'build-time') return null;
  try {
    const output = await runCollector(c.argv, { cwd, signal, config, metric: c.id });
    const parsed = parseValue(output, 'numeric', PRESETS[c.preset].unit);
    return parsed.ok ? null : parsed.reason;
  } catch (error) {
    return (error as Error).message;
  }
}

type PackageJson = Record<string, unknown> & { scripts?: Record<string, unknown>; dependencies?: object; devDependencies?: object };

async function readPackageJson(cwd: string): Promise<PackageJson | null> {
  try {
    const value: unknown = JSON.parse(await fs.readFile(path.join(cwd, 'package.json'), 'utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as PackageJson) : null;
  } catch {
    return null;
  }
}

function runScript(cwd: string, script: string): string {
  if (existsSync(path.join(cwd, 'pnpm-lock.yaml'))) return `pnpm run ${script}`;
  if (existsSync(path.join(cwd, 'yarn.lock'))) return `yarn run ${script}`;
  if (existsSync(path.join(cwd, 'bun.lock')) || existsSync(path.join(cwd, 'bun.lockb'))) return `bun run ${script}`;
  return `npm run ${script}`;
}

function buildCandidate(cwd: string, pkg: Awaited<ReturnType<typeof readPackageJson>>, notes: string[]): Candidate | null {
  if (typeof pkg?.scripts?.build !== 'string') return null;
  const hasDeps = Object.keys(pkg.dependencies ?? {}).length + Object.keys(pkg.devDependencies ?? {}).length > 0;
  // In a fresh clone the build cannot work before an install, and init must not propose a failing metric.
  if (hasDeps && !existsSync(path.join(cwd, 'node_modules'))) {
    notes.push('left out build-time: package.json has a build script but node_modules is missing (install dependencies, then run init again)');
    return null;
  }
  const command = runScript(cwd, 'build');
  notes.push(`build script found: build-time times "${command}"`);
  return { id: 'build-time', preset: 'build-time', argv: [], description: `Wall time of "${command}"`, command: command === 'npm run build' ? undefined : command };
}

async function bundleCandidates(cwd: string, pkg: PackageJson | null, signal: AbortSignal, notes: string[]): Promise<Candidate[]> {
  const dirs = await buildOutputDirs(cwd, pkg);
  const hasBuild = typeof pkg?.scripts?.build === 'string';
  const named = dirs.filter((d) => !d.from.includes('default'));
  let sources: Set<string> | undefined;
  for (const { dir, from } of dirs) {
    const files = await globOnDisk(cwd, [`${dir}/**/*.{js,mjs,cjs}`], signal);
    if (files.length === 0) continue;
    const where = from.includes('default') ? `${dir}/` : `${dir}/ (named by ${from.join(', ')})`;
    // A folder package.json ships as it is in git, with no build, is source code, not output.
    if (!hasBuild && !from.includes('tsconfig.json outDir')) {
      sources ??= new Set(await listSourceFiles({ cwd, signal }));
      if (files.some((f) => sources!.has(f))) {
        notes.push(`${where} holds JavaScript tracked by git and package.json has no build script: it is source, not build output, so no bundle-size (add \`@collect size "${dir}/**/*.js"\` to measure it anyway)`);
        continue;
      }
    }
    const glob = files.every((f) => f.endsWith('.js')) ? `${dir}/**/*.js` : `${dir}/**/*.{js,mjs,cjs}`;
    notes.push(`build output found: ${files.length} JavaScript file(s) in ${where}`);
    const sizeArgv = ['size', glob];
    const gzipArgv = ['size', glob, '--gzip'];
    // The presets measure dist/**/*.js; anything else is written out.
    const own = (argv: string[]): string | undefined => (glob === 'dist/**/*.js' ? undefined : collectCommand(argv));
    return [
      { id: 'bundle-size', preset: 'bundle-size', argv: sizeArgv, description: `Bytes of the JavaScript in ${dir}/`, command: own(sizeArgv) },
      { id: 'bundle-size-gzip', preset: 'bundle-size-gzip', argv: gzipArgv, description: `Gzipped bytes of the JavaScript in ${dir}/ (level 9, file by file)`, command: own(gzipArgv) },
    ];
  }
  if (!pkg && !named.length) return []; // not a JavaScript project: nothing to say about bundles
  const looked = dirs.map((d) => `${d.dir}/`).join(', ');
  if (named.length && hasBuild) {
    notes.push(`no bundle-size: ${named.map((d) => `${d.dir}/ (${d.from.join(', ')})`).join(', ')} has no JavaScript yet; run the build (${runScript(cwd, 'build')}) once and init again to add it`);
  } else if (hasBuild) {
    notes.push(`no bundle-size: no JavaScript in ${looked}, and package.json (main, module, exports, bin, files) and tsconfig.json (outDir) name no other output folder; run the build (${runScript(cwd, 'build')}) once and init again, or add \`@collect size "<folder>/**/*.js"\``);
  } else {
    notes.push(`no bundle-size: package.json has no build script and no JavaScript output was found in ${looked}`);
  }
  return [];
}

async function coverageCandidates(cwd: string, notes: string[]): Promise<Candidate[]> {
  for (const [file, collector] of COVERAGE_REPORTS) {
    if (!existsSync(path.join(cwd, file))) continue;
    notes.push(`coverage report found: ${file}`);
    const argv = [collector, file];
    const isDefault = PRESETS.coverage.command === collectCommand(argv);
    return [{ id: 'coverage', preset: 'coverage', argv, description: `Line coverage from ${file}`, command: isDefault ? undefined : collectCommand(argv) }];
  }
  notes.push('no coverage report (coverage/lcov.info, coverage-summary.json, Cobertura or Clover XML): no coverage metric');
  return [];
}

async function testCandidates(cwd: string, signal: AbortSignal, notes: string[]): Promise<Candidate[]> {
  const reports: string[] = [];
  for (const file of await globOnDisk(cwd, [...JUNIT_GLOBS, ...ECOSYSTEM_JUNIT_GLOBS], signal)) {
    try {
      await runCollector(['junit', file], { cwd, signal, config: { metrics: {}, baseline: { maxAgeDays: 90 } }, metric: 'test-count' });
      reports.push(file);
    } catch {
      // Not a JUnit report (another XML file in the same folder).
    }
  }
  if (reports.length === 0) {
    notes.push('no JUnit XML test report (test-results/, reports/, *junit*.xml): no test metrics');
    return [];
  }
  notes.push(`JUnit report(s) found: ${reports.join(', ')}`);
  const shown = reports.length === 1 ? reports[0] : `${reports.length} JUnit reports`;
  const make = (preset: PresetId, field: string | null, description: string): Candidate => {
    const argv = ['junit', ...reports, ...(field ? ['--field', field] : [])];
    const command = collectCommand(argv);
    return { id: preset, preset, argv, description, command: command === PRESETS[preset].command ? undefined : command };
  };
  return [
    make('test-count', null, `Tests in ${shown}`),
    make('test-failures', 'failures', `Failed tests in ${shown}`),
    make('test-duration', 'time', `Test time recorded in ${shown}`),
  ];
}

async function sourceCandidates(cwd: string, signal: AbortSignal, notes: string[]): Promise<Candidate[]> {
  const files = await listSourceFiles({ cwd, signal });
  const byLanguage = new Map<string, number>();
  for (const rel of files) {
    const language = languageOf(rel);
    if (language && !language.onlyWhenAsked) byLanguage.set(language.name, (byLanguage.get(language.name) ?? 0) + 1);
  }
  const languages = [...byLanguage].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const candidates: Candidate[] = [];
  if (languages.length) {
    notes.push(`languages: ${[...byLanguage].sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n} (${c} file${c === 1 ? '' : 's'})`).join(', ')}`);
    const shown = languages.length > 4 ? `${languages.slice(0, 4).join(', ')} and ${languages.length - 4} more` : languages.join(', ');
    candidates.push({ id: 'loc', preset: 'loc', argv: ['loc'], description: `Lines of code in ${shown}`, onSave: true });
  }
  if (files.length) {
    candidates.push({ id: 'files', preset: 'files', argv: ['files'], description: 'Source files (git-tracked or not ignored)', onSave: true });
    candidates.push({ id: 'todo-count', preset: 'todo-count', argv: ['todo'], description: 'To-do markers (todo and fixme in capitals) in the source files', onSave: true });
  }
  const manifests = MANIFESTS.filter((m) => existsSync(path.join(cwd, m)));
  if (manifests.length) {
    candidates.push({ id: 'dependencies', preset: 'dependencies', argv: ['deps'], description: `Runtime dependencies declared in ${manifests.join(', ')}`, onSave: manifests });
  }
  return candidates;
}
