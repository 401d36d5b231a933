import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import { CollectorError, runCollector } from '../../../src/core/collect/collectors';
import { countCargo, countGoMod, countRequirements } from '../../../src/core/collect/collectors/deps';
import { context, removeDir, tempDir, writeFiles } from './helpers';

let dir: string;
before(() => {
  dir = tempDir();
  writeFiles(dir, {
    'dist/app.js': 'console.log("hello");\n'.repeat(200),
    'dist/chunks/vendor.js': Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251)),
    'dist/app.css': 'body { margin: 0 }\n',
    'node_modules/x/dist/index.js': 'module.exports = 1;\n',
    'bench.json': JSON.stringify({ results: [{ mean: 12.5, name: 'a' }, { mean: 3 }], ok: true, size: '12.5 kB', nothing: null }),
    'broken.json': '{"a": ',
  });
});
after(() => removeDir(dir));

const distJs = ['dist/app.js', 'dist/chunks/vendor.js'];
const read = (rel: string): Buffer => fs.readFileSync(path.join(dir, rel));

test('size sums bytes of the files matching the globs (fs.statSync is the reference)', async () => {
  const expected = distJs.reduce((t, rel) => t + fs.statSync(path.join(dir, rel)).size, 0);
  assert.equal(await runCollector(['size', 'dist/**/*.js'], context(dir)), String(expected));
  const all = expected + fs.statSync(path.join(dir, 'dist/app.css')).size;
  // A file matched by two globs counts once.
  assert.equal(await runCollector(['size', 'dist/**/*.js', 'dist/*', 'dist/app.css'], context(dir)), String(all));
});

test('size --gzip and --brotli compress each file on its own like size-limit', async () => {
  const gz = distJs.reduce((t, rel) => t + zlib.gzipSync(read(rel), { level: 9 }).length, 0);
  const br = distJs.reduce((t, rel) => t + zlib.brotliCompressSync(read(rel), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length, 0);
  assert.equal(await runCollector(['size', 'dist/**/*.js', '--gzip'], context(dir)), String(gz));
  assert.equal(await runCollector(['size', 'dist/**/*.js', '--brotli'], context(dir)), String(br));
  assert.ok(gz < distJs.reduce((t, rel) => t + read(rel).length, 0));
});

test('size: a glob matching nothing is invalid output naming the glob; node_modules only when named', async () => {
  await assert.rejects(runCollector(['size', 'dist/**/*.js', 'build/*.js'], context(dir)), (e: unknown) => e instanceof CollectorError && /"build\/\*\.js" matches no file/.test(e.message));
  await assert.rejects(runCollector(['size', '**/index.js'], context(dir)), CollectorError);
  assert.equal(await runCollector(['size', 'node_modules/x/dist/index.js'], context(dir)), String(fs.statSync(path.join(dir, 'node_modules/x/dist/index.js')).size));
  await assert.rejects(runCollector(['size', 'dist/*.js', '--gzip', '--brotli'], context(dir)), /not both/);
});

test('json reads one value by a dotted path, numbers and strings', async () => {
  assert.equal(await runCollector(['json', 'bench.json', 'results.0.mean'], context(dir)), '12.5');
  assert.equal(await runCollector(['json', 'bench.json', 'results.1.mean'], context(dir)), '3');
  assert.equal(await runCollector(['json', 'bench.json', 'size'], context(dir)), '12.5 kB');
});

test('json explains a missing key, a bad index, a non-value and a broken file', async () => {
  const reason = async (...argv: string[]): Promise<string> => {
    try {
      await runCollector(['json', ...argv], context(dir));
    } catch (e) {
      assert.ok(e instanceof CollectorError);
      return e.message;
    }
    assert.fail('expected a CollectorError');
  };
  assert.match(await reason('bench.json', 'results.0.median'), /results\.0 has no key "median"/);
  assert.match(await reason('bench.json', 'results.5.mean'), /results has 2 items, no index 5/);
  assert.match(await reason('bench.json', 'results.x'), /results is an array, "x" is not an index/);
  assert.match(await reason('bench.json', 'ok'), /ok is boolean, expected a number/);
  assert.match(await reason('bench.json', 'nothing'), /null/);
  assert.match(await reason('broken.json', 'a'), /broken\.json is not valid JSON/);
  assert.match(await reason('absent.json', 'a'), /absent\.json does not exist/);
});

test('deps counts package.json dependencies, devDependencies with --dev, and other manifests', async () => {
  const d = tempDir();
  try {
    await assert.rejects(runCollector(['deps'], context(d)), /no manifest/);
    writeFiles(d, {
      'package.json': JSON.stringify({ dependencies: { a: '1', b: '1' }, optionalDependencies: { c: '1' }, devDependencies: { d: '1', a: '1' } }),
      'requirements.txt': '# pinned\nrequests==2.0\n-r base.txt\n\nflask>=2 # web\n',
    });
    assert.equal(await runCollector(['deps'], context(d)), '5');
    assert.equal(await runCollector(['deps', '--dev'], context(d)), '6');
  } finally {
    removeDir(d);
  }
});

test('deps parses go.mod and Cargo.toml requirements', () => {
  const gomod = ['module x', 'go 1.22', 'require github.com/a/b v1.0.0', 'require (', '\tgithub.com/c/d v1.2.0', '\tgolang.org/x/e v0.1.0 // indirect', '\t// comment', ')'].join('\n');
  assert.equal(countGoMod(gomod), 2);
  const cargo = [
    '[package]',
    'name = "x"',
    '[dependencies]',
    'serde = "1"',
    'tokio = { version = "1", features = ["full"] }',
    '[dependencies.rand]',
    'version = "0.8"',
    "[target.'cfg(unix)'.dependencies]",
    'libc = "0.2"',
    '[dev-dependencies]',
    'criterion = "0.5"',
  ].join('\n');
  assert.equal(countCargo(cargo, false), 4);
  assert.equal(countCargo(cargo, true), 5);
  assert.equal(countRequirements('a\n  # c\n--index-url x\nb[extra]==1 ; python_version<"3.8"\n'), 2);
});
