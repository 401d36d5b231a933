import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseConfig } from '../../../src/core/config';
import { initProject, InitRefused } from '../../../src/core/init/initProject';
import { starterConfig } from '../../../src/core/init/starterConfig';
import { createSampleProject } from './sampleProject';
import { git, removeDir, tempDir, writeFiles } from './helpers';

let built: string;
let freshClone: string;
before(() => {
  built = tempDir();
  createSampleProject(built);
  // A fresh clone: no install, no build output, no reports.
  freshClone = tempDir();
  git(freshClone, 'clone', '-q', built, '.');
});
after(() => {
  removeDir(built);
  removeDir(freshClone);
});

test('a built and tested npm project gets every preset that applies, each described, onSave only on cheap ones', async () => {
  const starter = await starterConfig(built);
  assert.deepEqual(starter.metrics, ['build-time', 'bundle-size', 'bundle-size-gzip', 'coverage', 'test-count', 'test-failures', 'test-duration', 'loc', 'files', 'todo-count', 'dependencies']);
  const parsed = parseConfig(starter.text);
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
  const raw = JSON.parse(starter.text) as { metrics: Record<string, Record<string, unknown>>; concurrency?: number };
  for (const [id, metric] of Object.entries(raw.metrics)) {
    assert.equal(typeof metric.$ref, 'string', id);
    assert.equal(typeof metric.description, 'string', id);
  }
  const onSave = Object.entries(raw.metrics).filter(([, m]) => m.onSave).map(([id]) => id);
  assert.deepEqual(onSave, ['loc', 'files', 'todo-count', 'dependencies']);
  assert.deepEqual(raw.metrics.dependencies.onSave, ['package.json']);
  assert.equal(raw.concurrency, 1, 'the build and the size metrics must not overlap');
  // The sample writes its JUnit report where the preset looks, so no command override is needed.
  assert.equal(parsed.config.metrics['test-count'].command, '@collect junit test-results/junit.xml');
  assert.match(parsed.config.metrics['build-time'].command, /^@collect time -- "npm run build"$/);
  assert.match(raw.metrics.loc.description as string, /JavaScript/);
});

test('a fresh clone gets only what works before install and build, and says why the rest is left out', async () => {
  const starter = await starterConfig(freshClone);
  assert.deepEqual(starter.metrics, ['loc', 'files', 'todo-count', 'dependencies']);
  const notes = starter.notes.join('\n');
  assert.match(notes, /left out build-time: .*node_modules is missing/);
  // The advice names the build that writes the output, since package.json has one.
  assert.match(notes, /no bundle-size: no JavaScript in dist\/, build\/, out\/.*run the build \(npm run build\) once and init again/);
  assert.match(notes, /no coverage report/);
  assert.match(notes, /no JUnit XML test report/);
});

test('a broken report found by detection is left out with the collector\'s reason', async () => {
  const dir = tempDir();
  try {
    writeFiles(dir, { 'coverage/lcov.info': 'not lcov\n', 'src/a.py': 'print(1)\n' });
    const starter = await starterConfig(dir);
    assert.deepEqual(starter.metrics, ['loc', 'files', 'todo-count']);
    assert.match(starter.notes.join('\n'), /left out coverage: coverage\/lcov\.info:1: not an LCOV record/);
  } finally {
    removeDir(dir);
  }
});

test('initProject writes the config, refuses to overwrite without force, and writes nothing on a dry run', async () => {
  const dir = tempDir();
  try {
    writeFiles(dir, { 'src/a.ts': 'export const a = 1;\n' });
    const configPath = path.join(dir, 'tidemark.json');
    const dry = await initProject({ cwd: dir, configPath, dryRun: true, force: false });
    assert.equal(dry.written, false);
    assert.ok(!fs.existsSync(configPath));
    const real = await initProject({ cwd: dir, configPath, dryRun: false, force: false });
    assert.equal(fs.readFileSync(configPath, 'utf8'), real.text);
    assert.equal(real.text, dry.text);
    await assert.rejects(initProject({ cwd: dir, configPath, dryRun: false, force: false }), (e: unknown) => e instanceof InitRefused && /already exists: use --force/.test(e.message));
    fs.writeFileSync(configPath, 'old');
    await initProject({ cwd: dir, configPath, dryRun: false, force: true });
    assert.equal(fs.readFileSync(configPath, 'utf8'), real.text);
  } finally {
    removeDir(dir);
  }
});

test('initProject refuses a folder with nothing to measure and says what it looked for', async () => {
  const dir = tempDir();
  try {
    await assert.rejects(initProject({ cwd: dir, configPath: path.join(dir, 'tidemark.json'), dryRun: false, force: false }), (e: unknown) => {
      assert.ok(e instanceof InitRefused);
      assert.match(e.message, /found nothing to measure/);
      assert.ok(e.notes.some((n) => /no coverage report/.test(n)));
      return true;
    });
    assert.ok(!fs.existsSync(path.join(dir, 'tidemark.json')));
  } finally {
    removeDir(dir);
  }
});

test('build output is found where package.json (main, module, exports, bin, files) and tsconfig outDir point', async () => {
  const dir = tempDir();
  try {
    writeFiles(dir, {
      'package.json': JSON.stringify({ name: 'ky-like', type: 'module', scripts: { build: 'tsc' }, exports: { '.': { types: './distribution/index.d.ts', default: './distribution/index.js' } }, files: ['distribution'] }),
      'source/index.ts': 'export const x = 1;\n',
      'distribution/index.js': 'export const x = 1;\n',
      'distribution/core/ky.js': 'export class Ky {}\n',
      'distribution/index.d.ts': 'export declare const x = 1;\n',
    });
    git(dir, 'init', '-q');
    const starter = await starterConfig(dir);
    const raw = JSON.parse(starter.text) as { metrics: Record<string, { command?: string }> };
    assert.equal(raw.metrics['bundle-size'].command, "@collect size 'distribution/**/*.js'");
    assert.equal(raw.metrics['bundle-size-gzip'].command, "@collect size 'distribution/**/*.js' --gzip");
    assert.match(starter.notes.join('\n'), /2 JavaScript file\(s\) in distribution\/ \(named by package\.json exports, package\.json files\)/);

    // Only tsconfig names the folder; .mjs/.cjs count too.
    fs.rmSync(path.join(dir, 'package.json'));
    fs.rmSync(path.join(dir, 'distribution'), { recursive: true });
    writeFiles(dir, { 'tsconfig.json': '{\n  // comments are fine\n  "compilerOptions": { "outDir": "./lib/", },\n}\n', 'lib/a.mjs': 'export {};\n', 'lib/b.cjs': 'module.exports = {};\n' });
    const fromTsconfig = JSON.parse((await starterConfig(dir)).text) as { metrics: Record<string, { command?: string }> };
    assert.equal(fromTsconfig.metrics['bundle-size'].command, "@collect size 'lib/**/*.{js,mjs,cjs}'");
  } finally {
    removeDir(dir);
  }
});

test('advice: a named output folder that is missing asks for the build; a source folder without a build is not output', async () => {
  const dir = tempDir();
  try {
    writeFiles(dir, { 'package.json': JSON.stringify({ name: 'x', main: './distribution/index.js', scripts: { build: 'tsc' } }), 'source/index.ts': 'export {};\n' });
    let notes = (await starterConfig(dir)).notes.join('\n');
    assert.match(notes, /no bundle-size: distribution\/ \(package\.json main\) has no JavaScript yet; run the build \(npm run build\) once/);

    writeFiles(dir, { 'package.json': JSON.stringify({ name: 'express-like', main: 'index.js', files: ['index.js', 'lib/'] }), 'index.js': 'module.exports = require("./lib/app");\n', 'lib/app.js': 'module.exports = 1;\n' });
    git(dir, 'init', '-q');
    const starter = await starterConfig(dir);
    notes = starter.notes.join('\n');
    assert.ok(!starter.metrics.includes('bundle-size'));
    assert.match(notes, /lib\/ \(named by package\.json files\) holds JavaScript tracked by git and package\.json has no build script/);
    assert.doesNotMatch(notes, /run the build/);
  } finally {
    removeDir(dir);
  }
});

test('Go and Python projects get their reports proposed with the command that writes each, or a note naming it', async () => {
  const fixtures = path.join(__dirname, '../../../../test/fixtures');
  const dir = tempDir();
  try {
    writeFiles(dir, { 'go.mod': 'module example.com/shapes\n\ngo 1.19\n', 'geom/geom.go': 'package geom\n' });
    let starter = await starterConfig(dir);
    assert.match(starter.notes.join('\n'), /Go: no coverage-go report \(cover\.out\); write one with `go test -coverprofile=cover\.out \.\/\.\.\.`/);
    assert.match(starter.notes.join('\n'), /`go test -json \.\/\.\.\. > test\.json`/);
    fs.copyFileSync(path.join(fixtures, 'go/cover.out'), path.join(dir, 'cover.out'));
    fs.copyFileSync(path.join(fixtures, 'go/test.json'), path.join(dir, 'test.json'));
    starter = await starterConfig(dir);
    const go = parseConfig(starter.text);
    assert.ok(go.ok);
    assert.equal(go.config.metrics.coverage.command, '@collect coverage-go cover.out');
    assert.equal(go.config.metrics['test-failures'].command, '@collect go-test test.json --field fail');
    assert.match(go.config.metrics.coverage.description ?? '', /written by `go test -coverprofile=cover\.out \.\/\.\.\.`/);

    const py = tempDir();
    try {
      writeFiles(py, { 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["requests"]\n', 'pkg/calc.py': 'x = 1\n' });
      const notes = (await starterConfig(py)).notes.join('\n');
      assert.match(notes, /`coverage run -m pytest && coverage json -o coverage\.json`/);
      assert.match(notes, /`pytest --junitxml=test-results\/junit\.xml`/);
      fs.copyFileSync(path.join(fixtures, 'python/coverage.json'), path.join(py, 'coverage.json'));
      const withReport = parseConfig((await starterConfig(py)).text);
      assert.ok(withReport.ok);
      assert.equal(withReport.config.metrics.coverage.command, '@collect coverage-python coverage.json');
      assert.equal(withReport.config.metrics.dependencies.command, '@collect deps');
    } finally {
      removeDir(py);
    }
  } finally {
    removeDir(dir);
  }
});
