import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { COLLECTOR_NAMES } from '../../../src/core/collect/collectors';
import { LANGUAGES } from '../../../src/core/collect/collectors/languages';
import { PRESET_IDS, PRESETS, presetJsonSchemaProperty, resolvePresets } from '../../../src/core/presets';
import { DIRECTIONS, UNITS } from '../../../src/core/types';
import { repoRoot } from './helpers';

test('the catalogue has the issue\'s presets, each an in-process collector with unit, direction and description', () => {
  assert.deepEqual(
    [...PRESET_IDS].sort(),
    ['build-time', 'bundle-size', 'bundle-size-gzip', 'coverage', 'dependencies', 'files', 'loc', 'test-count', 'test-duration', 'test-failures', 'todo-count'],
  );
  for (const id of PRESET_IDS) {
    const p = PRESETS[id];
    const [prefix, collector] = p.command.split(' ');
    assert.equal(prefix, '@collect', id);
    assert.ok(COLLECTOR_NAMES.includes(collector), `${id}: ${collector} is a collector`);
    assert.ok((UNITS as readonly string[]).includes(p.unit), id);
    assert.ok((DIRECTIONS as readonly string[]).includes(p.direction), id);
    assert.ok(p.description.length > 10 && p.description.length <= 256, id);
  }
});

test('a $ref expands to the preset and the metric\'s own fields override it one by one', () => {
  const { metrics, problems } = resolvePresets({
    size: { $ref: 'bundle-size', command: '@collect size "build/**/*.js"', description: 'Our bundle' },
    cov: { $ref: 'coverage', direction: 'higher-is-better', onSave: true },
    plain: { type: 'numeric', command: 'echo 1' },
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(metrics, {
    size: { type: 'numeric', command: '@collect size "build/**/*.js"', unit: 'bytes', direction: 'lower-is-better', description: 'Our bundle' },
    cov: { type: 'numeric', command: PRESETS.coverage.command, unit: 'percent', direction: 'higher-is-better', description: PRESETS.coverage.description, onSave: true },
    plain: { type: 'numeric', command: 'echo 1' },
  });
});

test('build-time times the overriding shell command; an explicit @collect command is kept', () => {
  const { metrics } = resolvePresets({
    build: { $ref: 'build-time', command: "npm run build -- --mode 'prod'" },
    make: { $ref: 'build-time', command: '@collect time -- make' },
    dflt: { $ref: 'build-time' },
  });
  const m = metrics as Record<string, { command: string; timeout: number; unit: string }>;
  assert.equal(m.build.command, `@collect time -- 'npm run build -- --mode '\\''prod'\\'''`);
  assert.equal(m.make.command, '@collect time -- make');
  assert.equal(m.dflt.command, '@collect time -- "npm run build"');
  assert.equal(m.dflt.unit, 'duration');
  assert.equal(m.dflt.timeout, 600000);
});

test('an unknown or non-string $ref is a problem at its path and the metric is left out', () => {
  const { metrics, problems } = resolvePresets({ a: { $ref: 'bundle' }, b: { $ref: 3 }, c: { $ref: 'loc' } });
  assert.deepEqual(Object.keys(metrics as object), ['c']);
  assert.deepEqual(problems.map((p) => p.path.join('.')), ['metrics.a.$ref', 'metrics.b.$ref']);
  assert.match(problems[0].message, /unknown preset "bundle" \(known: loc, files, bundle-size/);
  assert.match(problems[1].message, /unknown preset 3/);
  assert.deepEqual(resolvePresets(['x']), { metrics: ['x'], problems: [] });
});

test('the JSON Schema property lists every preset with a description for completion', () => {
  const schema = presetJsonSchemaProperty() as { enum: string[]; enumDescriptions: string[]; markdownEnumDescriptions: string[] };
  assert.deepEqual(schema.enum, PRESET_IDS);
  assert.equal(schema.enumDescriptions.length, PRESET_IDS.length);
  assert.match(schema.enumDescriptions[PRESET_IDS.indexOf('coverage')], /coverage.*percent, higher-is-better/i);
});

test('docs/collectors.md lists every loc language and every preset', () => {
  const doc = readFileSync(path.join(repoRoot, 'docs', 'collectors.md'), 'utf8');
  for (const language of LANGUAGES) assert.ok(doc.includes(`| ${language.name} | \`${language.id}\` |`), `${language.id} is documented`);
  for (const id of PRESET_IDS) assert.ok(doc.includes(`| \`${id}\` | \`${PRESETS[id].command}\` |`), `${id} is documented`);
});
