/**
 * The packaged VSIX, read as the marketplace would: under the size budget, minified, with no
 * source map inside and sql.js / the store engine only in the worker bundle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { packageExtension } from './harness/extensionPackage';

const BUDGET_BYTES = 1_000_000;

interface ZipEntry {
  name: string;
  size: number;
  read(): Buffer;
}

/** The entries of a zip file, from its central directory. */
export function readZip(file: Buffer): ZipEntry[] {
  let eocd = file.length - 22;
  while (eocd >= 0 && file.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'not a zip file (no end of central directory)');
  const count = file.readUInt16LE(eocd + 10);
  let at = file.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(file.readUInt32LE(at), 0x02014b50, 'damaged central directory');
    const method = file.readUInt16LE(at + 10);
    const compressed = file.readUInt32LE(at + 20);
    const size = file.readUInt32LE(at + 24);
    const nameLength = file.readUInt16LE(at + 28);
    const extraLength = file.readUInt16LE(at + 30);
    const commentLength = file.readUInt16LE(at + 32);
    const local = file.readUInt32LE(at + 42);
    const name = file.toString('utf8', at + 46, at + 46 + nameLength);
    entries.push({
      name,
      size,
      read() {
        const start = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
        const data = file.subarray(start, start + compressed);
        return method === 0 ? Buffer.from(data) : inflateRawSync(data);
      },
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

test('the VSIX is at most 1 MB, minified, and ships no source map', () => {
  const vsix = packageExtension();
  const bytes = statSync(vsix).size;
  const entries = readZip(readFileSync(vsix));
  const listing = entries.map((e) => `${e.name} (${e.size} B)`).join('\n');
  assert.ok(bytes <= BUDGET_BYTES, `VSIX is ${bytes} bytes, over the ${BUDGET_BYTES} byte budget:\n${listing}`);
  assert.deepEqual(entries.filter((e) => e.name.endsWith('.map')).map((e) => e.name), [], 'no source map inside');

  const names = new Set(entries.map((e) => e.name));
  for (const needed of ['extension/package.json', 'extension/package.nls.json', 'extension/l10n/bundle.l10n.json', 'extension/dist/extension.js', 'extension/dist/storeWorker.js', 'extension/dist/sql-wasm.wasm', 'extension/dist/webview.js', 'extension/dist/tidemark.schema.json', 'extension/media/icon.png', 'extension/media/walkthrough/config.md', 'extension/media/walkthrough/share.md', 'extension/changelog.md']) {
    assert.ok(names.has(needed), `${needed} is packaged:\n${listing}`);
  }
  assert.ok(![...names].some((n) => n.startsWith('extension/src/') || n.startsWith('extension/node_modules/') || n.startsWith('extension/test/')), `no sources, tests or node_modules:\n${listing}`);

  for (const bundle of ['extension.js', 'storeWorker.js', 'webview.js']) {
    const text = entries.find((e) => e.name === `extension/dist/${bundle}`)!.read().toString('utf8');
    assert.doesNotMatch(text, /sourceMappingURL/, `${bundle} points at no map`);
    // Minified code is long lines (template literals keep their own line breaks); readable code ~35 characters a line.
    const perLine = text.length / text.split('\n').length;
    assert.ok(perLine > 150, `${bundle} is minified (${Math.round(perLine)} characters per line)`);
  }
  const extension = entries.find((e) => e.name === 'extension/dist/extension.js')!.read().toString('utf8');
  // sql.js's loader names its file; the store engine is in storeWorker.js only.
  assert.doesNotMatch(extension, /sql-wasm\.wasm"|initSqlJs/, 'sql.js is not bundled into extension.js');
  const worker = entries.find((e) => e.name === 'extension/dist/storeWorker.js')!.read().toString('utf8');
  assert.match(worker, /sql-wasm/, 'the worker bundle loads sql.js');
});

test('the VSIX carries the English of every %key% in its manifest', () => {
  const entries = readZip(readFileSync(packageExtension()));
  const read = (name: string) => {
    const entry = entries.find((e) => e.name === name);
    assert.ok(entry, `${name} is packaged`);
    return entry.read().toString('utf8');
  };
  const nls = JSON.parse(read('extension/package.nls.json')) as Record<string, string>;
  const keys = [...read('extension/package.json').matchAll(/"%([^%"\s]+)%"/g)].map((m) => m[1]);
  assert.ok(keys.length > 40, `the manifest names its strings by key (${keys.length} found)`);
  assert.deepEqual(keys.filter((k) => typeof nls[k] !== 'string'), [], 'keys without text in the packaged package.nls.json');
  // vsce substitutes the keys in what the marketplace reads.
  const vsixManifest = read('extension.vsixmanifest');
  assert.match(vsixManifest, /<DisplayName>Tidemark<\/DisplayName>/);
  assert.doesNotMatch(vsixManifest, /%[\w.]+%/, 'no %key% reaches the marketplace manifest');
});
