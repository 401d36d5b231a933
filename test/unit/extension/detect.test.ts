import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectStarterConfig, starterConfigText, type StarterMetric } from '../../../src/core/init/detect';
import { parseValue, lastNonEmptyLine } from '../../../src/core/units';

function tempFolder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
}

/** Runs a starter command the way a shell would and parses its output with the metric's unit. */
function measure(folder: string, metric: StarterMetric) {
  const out = execSync(metric.command, { cwd: folder, encoding: 'utf8' });
  const parsed = parseValue(lastNonEmptyLine(out) ?? '', metric.type, metric.unit);
  assert.ok(parsed.ok, `${metric.command} printed ${JSON.stringify(out)}`);
  return parsed.value;
}

test('a folder with dist/, lcov coverage, a build script and src/ gets four working metrics', async (t) => {
  const folder = tempFolder();
  t.after(() => fs.rmSync(folder, { recursive: true, force: true }));
  fs.mkdirSync(path.join(folder, 'dist', 'assets'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'dist', 'main.js'), 'x'.repeat(1500));
  fs.writeFileSync(path.join(folder, 'dist', 'assets', 'a.css'), 'y'.repeat(500));
  fs.mkdirSync(path.join(folder, 'coverage'));
  fs.writeFileSync(path.join(folder, 'coverage', 'lcov.info'), 'SF:a\nLF:10\nLH:8\nend_of_record\nSF:b\nLF:10\nLH:9\nend_of_record\n');
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ scripts: { build: 'node -e "1"' } }));
  fs.mkdirSync(path.join(folder, 'src'));
  fs.writeFileSync(path.join(folder, 'src', 'a.ts'), 'a\nb\nc');

  const { config, findings } = await detectStarterConfig(folder);
  assert.deepEqual(Object.keys(config.metrics).sort(), ['build-time', 'bundle-size', 'coverage', 'source-lines']);
  assert.equal(findings.length, 4);
  assert.equal(measure(folder, config.metrics['bundle-size']), 2000);
  assert.equal(measure(folder, config.metrics.coverage), 85);
  assert.equal(measure(folder, config.metrics['source-lines']), 3);
  assert.equal(typeof measure(folder, config.metrics['build-time']), 'number');
  assert.deepEqual(config.metrics['source-lines'].onSave, ['src/**']);
  assert.deepEqual(JSON.parse(starterConfigText(config)), config);
});

test('an empty folder still gets one metric that runs', async (t) => {
  const folder = tempFolder();
  t.after(() => fs.rmSync(folder, { recursive: true, force: true }));
  fs.writeFileSync(path.join(folder, 'notes.txt'), 'hi');
  const { config } = await detectStarterConfig(folder);
  assert.deepEqual(Object.keys(config.metrics), ['files']);
  assert.equal(measure(folder, config.metrics.files), 1);
});

test('coverage-summary.json is preferred over lcov', async (t) => {
  const folder = tempFolder();
  t.after(() => fs.rmSync(folder, { recursive: true, force: true }));
  fs.mkdirSync(path.join(folder, 'coverage'));
  fs.writeFileSync(path.join(folder, 'coverage', 'coverage-summary.json'), JSON.stringify({ total: { lines: { pct: 91.5 } } }));
  fs.writeFileSync(path.join(folder, 'coverage', 'lcov.info'), 'LF:10\nLH:1\n');
  const { config } = await detectStarterConfig(folder);
  assert.equal(measure(folder, config.metrics.coverage), 91.5);
});
