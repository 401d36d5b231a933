import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CollectorError, runCollector } from '../../../src/core/collect/collectors';
import { listSourceFiles } from '../../../src/core/collect/collectors/files';
import { context, git, initGitRepo, removeDir, tempDir, writeFiles } from './helpers';

/** A project with tracked, untracked, ignored and always-excluded files. */
const project: Record<string, string> = {
  '.gitignore': 'generated/\n*.log\n',
  'src/app.ts': '// entry\nimport { b } from "./b";\n\nexport const a = b + 1; // TODO tidy\n',
  'src/b.ts': '/* FIXME: name */\nexport const b = 2;\n',
  'src/legacy.js': 'var x = 1;\n// TODO remove\n// TODOS are not markers, MYTODO neither\n',
  'src/new.py': 'print("TODO in a string still counts")\n',
  'package-lock.json': '{\n"lockfileVersion": 3\n}\n',
  'config.json': '{\n"a": 1\n}\n',
  'test/app.test.ts': 'test("x", () => {});\n',
  'README.md': '# Title\nTODO: docs\n',
  'generated/out.ts': 'export const big = 1;\n',
  'debug.log': 'TODO\n',
  'node_modules/dep/index.js': 'module.exports = 1; // TODO\n',
  'dist/app.js': 'var a = 3;\n',
  '.tidemark/notes.ts': 'const a = 1;\n',
};

let dir: string;
let plainDir: string;
before(() => {
  dir = tempDir();
  writeFiles(dir, project);
  initGitRepo(dir);
  git(dir, 'add', '.gitignore', 'package-lock.json', 'src/app.ts', 'src/b.ts', 'src/legacy.js', 'test', 'README.md');
  git(dir, 'commit', '-qm', 'init');
  // A tracked file deleted from the work tree is not counted.
  writeFiles(dir, { 'src/gone.ts': 'x;\n' });
  git(dir, 'add', 'src/gone.ts');
  git(dir, 'commit', '-qm', 'gone');
  fs.rmSync(path.join(dir, 'src/gone.ts'));
  // The same files outside git: .gitignore is honoured by the walk.
  plainDir = tempDir();
  writeFiles(plainDir, { ...project, 'generated/.gitignore': '', 'src/sub/.gitignore': 'local.ts\n', 'src/sub/local.ts': 'x;\n', 'src/sub/kept.ts': 'y;\n' });
});
after(() => {
  removeDir(dir);
  removeDir(plainDir);
});

const inScope = ['.gitignore', 'README.md', 'config.json', 'package-lock.json', 'src/app.ts', 'src/b.ts', 'src/legacy.js', 'src/new.py', 'test/app.test.ts'];

test('the default scope is git-tracked and untracked-but-not-ignored files, never node_modules, dist or .tidemark', async () => {
  const files = await listSourceFiles({ cwd: dir, signal: new AbortController().signal });
  assert.deepEqual(files, inScope);
});

test('outside git the walk honours nested .gitignore files the same way', async () => {
  const files = await listSourceFiles({ cwd: plainDir, signal: new AbortController().signal });
  assert.deepEqual(files, [...inScope, 'src/sub/.gitignore', 'src/sub/kept.ts'].sort());
});

test('config sources narrow the scope with globs and ! excludes', async () => {
  const files = await listSourceFiles({ cwd: dir, signal: new AbortController().signal, sources: ['src/**', 'test/', '!**/*.js'] });
  assert.deepEqual(files, ['src/app.ts', 'src/b.ts', 'src/new.py', 'test/app.test.ts']);
});

test('loc counts code lines of known languages in scope', async () => {
  // app.ts 2, b.ts 1, legacy.js 1, new.py 1, app.test.ts 1; README.md and .gitignore are not code.
  assert.equal(await runCollector(['loc'], context(dir)), '6');
  assert.equal(await runCollector(['loc', 'src'], context(dir)), '5');
  assert.equal(await runCollector(['loc', 'src', '--language', 'typescript'], context(dir)), '3');
  assert.equal(await runCollector(['loc', '--language', 'ts,python'], context(dir)), '5');
  assert.equal(await runCollector(['loc', '--language', 'TypeScript', '--language', '.py'], context(dir)), '5');
  // JSON is data: only counted when asked for, and lock files never.
  assert.equal(await runCollector(['loc', '--language', 'json'], context(dir)), '3');
  assert.equal(await runCollector(['loc', '--exclude', 'test/**', '--exclude', '**/*.py'], context(dir)), '4');
  assert.equal(await runCollector(['loc'], context(dir, { sources: ['src/**', '!src/legacy.js'] })), '4');
});

test('loc counts extensionless scripts by their #! line and skips other extensionless files', async () => {
  const d = tempDir();
  try {
    writeFiles(d, { 'bin/tool': '#!/usr/bin/env bash\n# comment\necho hi\n', 'LICENSE': 'MIT License\n\nPermission...\n', 'run.py': 'x = 1\n' });
    assert.equal(await runCollector(['loc'], context(d)), '2');
    assert.equal(await runCollector(['loc', '--language', 'shell'], context(d)), '1');
  } finally {
    removeDir(d);
  }
});

test('loc rejects an unknown language with the known list', async () => {
  await assert.rejects(runCollector(['loc', '--language', 'cobol'], context(dir)), (e: unknown) => e instanceof CollectorError && /unknown language "cobol".*typescript/.test(e.message));
});

test('files counts files in scope, optionally matching globs', async () => {
  assert.equal(await runCollector(['files'], context(dir)), String(inScope.length));
  assert.equal(await runCollector(['files', 'src/**/*.ts', 'test/**'], context(dir)), '3');
  assert.equal(await runCollector(['files', '**/*.ts'], context(dir, { sources: ['!test/**'] })), '2');
});

test('todo counts whole-word markers in scope; --pattern chooses the words', async () => {
  // app.ts TODO, b.ts FIXME, legacy.js TODO, new.py TODO, README.md TODO.
  assert.equal(await runCollector(['todo'], context(dir)), '5');
  assert.equal(await runCollector(['todo', 'src/**'], context(dir)), '4');
  assert.equal(await runCollector(['todo', '--pattern', 'FIXME'], context(dir)), '1');
  assert.equal(await runCollector(['todo', '--pattern', 'TODO|FIXME', '--pattern', 'MYTODO'], context(dir)), '6');
});

test('an aborted signal stops a collector between files', async () => {
  const controller = new AbortController();
  controller.abort(new Error('cancelled by test'));
  await assert.rejects(runCollector(['loc'], context(dir, {}, controller.signal)), /cancelled by test/);
});

test('unknown collectors and options are invalid output naming what is known', async () => {
  await assert.rejects(runCollector(['lines'], context(dir)), (e: unknown) => e instanceof CollectorError && /unknown collector "lines".*loc/.test(e.message));
  await assert.rejects(runCollector(['files', '--gzip'], context(dir)), (e: unknown) => e instanceof CollectorError && /unknown option --gzip/.test(e.message));
});

test('the default scope leaves out reports the metrics read, report folders, tidemark.json and SVG; defaultExcludes: false keeps them', async () => {
  const project = tempDir();
  try {
    writeFiles(project, {
      'src/app.ts': 'export const a = 1;\n',
      'test-results/junit.xml': '<testsuites>\n<testsuite name="x" tests="1">\n<testcase name="a"/>\n</testsuite>\n</testsuites>\n',
      'reports/custom-report.xml': '<testsuite name="y">\n<testcase name="b"/>\n</testsuite>\n',
      'tidemark.json': '{ "metrics": {} }\n',
      'media/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg">\n<rect width="1" height="1"/>\n</svg>\n',
      'pom.xml': '<project>\n<modelVersion>4.0.0</modelVersion>\n</project>\n',
    });
    initGitRepo(project);
    const metrics = { tests: { command: '@collect junit reports/custom-report.xml --field tests', type: 'numeric' as const, timeout: 1000, onSave: false } };
    const scope = await listSourceFiles({ cwd: project, signal: new AbortController().signal, config: { metrics } });
    // The report the config reads, the report folder, tidemark.json and the SVG are gone; pom.xml is code.
    assert.deepEqual(scope, ['pom.xml', 'src/app.ts']);
    assert.equal(await runCollector(['loc'], context(project, { metrics })), String(1 + 3));
    const all = await listSourceFiles({ cwd: project, signal: new AbortController().signal, config: { metrics, defaultExcludes: false } });
    assert.deepEqual(all, ['media/logo.svg', 'pom.xml', 'reports/custom-report.xml', 'src/app.ts', 'test-results/junit.xml', 'tidemark.json']);
  } finally {
    removeDir(project);
  }
});

test('a path outside the source scope is an error that says so; a path with no files at all counts 0', async () => {
  const project = tempDir();
  try {
    writeFiles(project, { 'source/index.ts': 'export const a = 1;\n', 'test/index.test.ts': 'import "../source";\n// TODO more\n' });
    initGitRepo(project);
    const narrow = { sources: ['source/**'] };
    for (const collector of ['loc', 'files', 'todo']) {
      await assert.rejects(runCollector([collector, 'test'], context(project, narrow)), (e: unknown) => e instanceof CollectorError && /"test" is outside the source scope: its 1 file\(s\) are left out by the config's "sources" \(source\/\*\*\)/.test(e.message), collector);
    }
    assert.equal(await runCollector(['loc', 'test'], context(project)), '1');
    assert.equal(await runCollector(['loc', 'legacy'], context(project, narrow)), '0');
  } finally {
    removeDir(project);
  }
});
