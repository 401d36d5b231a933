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
  assert.match(notes, /no build output/);
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
