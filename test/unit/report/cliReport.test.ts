// `tidemark report`: the built CLI run as a child process on a real store.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { StandaloneSnapshot } from '../../../src/shared/protocol';
import { createFixture, type Fixture } from '../../webview/fixtureStore';

const root = path.resolve(__dirname, '../../../..');
const cli = path.join(root, 'dist', 'cli.js');
let fixture: Fixture;

before(async () => {
  if (!existsSync(path.join(root, 'dist', 'webview.js'))) execFileSync('node', ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  fixture = await createFixture({ runs: 12 });
  // The CLI opens the store itself; this process must let go of it first.
  await fixture.store.close();
});

after(() => {
  rmSync(fixture.dir, { recursive: true, force: true });
});

function tidemark(args: string[]) {
  const r = spawnSync('node', [cli, ...args], { cwd: fixture.dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('tidemark report --out writes one self-contained file with the whole history', () => {
  const run = tidemark(['report', '--out', 'report.html', '--db', fixture.dbPath, '--view', 'compare', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as { file: string; bytes: number; runs: number; metrics: number };
  assert.equal(summary.file, path.join(fixture.dir, 'report.html'));
  assert.equal(summary.runs, 12);
  const html = readFileSync(summary.file, 'utf8');
  assert.equal(Buffer.byteLength(html), summary.bytes);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
  assert.doesNotMatch(html, /src="https?:|href="https?:/);
  const data = JSON.parse(/<script type="application\/json" id="tidemark-data">([\s\S]*?)<\/script>/.exec(html)![1]) as StandaloneSnapshot;
  assert.equal(data.runs.length, 12);
  assert.equal(data.navigate.view, 'compare');
  assert.equal(data.meta.referenceBranch, 'main', 'no config and no git: main');
});

test('tidemark report without --out or with an unknown view is a usage error (exit 2)', () => {
  const missing = tidemark(['report', '--db', fixture.dbPath]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--out FILE\.html is required/);
  const badView = tidemark(['report', '--out', 'x.html', '--view', 'pie', '--db', fixture.dbPath]);
  assert.equal(badView.code, 2);
  assert.match(badView.stderr, /--view must be one of overview, trends, compare \(got "pie"\)/);
  assert.equal(existsSync(path.join(fixture.dir, 'x.html')), false);
});

test('the exported Compare holds the same numbers as tidemark compare --json on the same store', () => {
  const run = tidemark(['report', '--out', 'pair.html', '--db', fixture.dbPath, '--base', 'main', '--head', 'feature/faster']);
  assert.equal(run.code, 0, run.stderr);
  const html = readFileSync(path.join(fixture.dir, 'pair.html'), 'utf8');
  const data = JSON.parse(/<script type="application\/json" id="tidemark-data">([\s\S]*?)<\/script>/.exec(html)![1]) as StandaloneSnapshot;
  const exported = data.compares.find((c) => c.base.ref === 'main' && c.head.ref === 'feature/faster')!;
  const cli = tidemark(['compare', '--base', 'main', '--head', 'feature/faster', '--db', fixture.dbPath, '--json']);
  assert.equal(cli.code, 0, cli.stderr);
  const expected = JSON.parse(cli.stdout) as { metrics: { metric: string; unit: string | null; base: unknown; head: unknown; delta: unknown; deltaPercent: unknown; change: string }[] };
  // The report's rows carry the change (difference, percent — none for a percent metric, which
  // changes in points — and direction); the CLI's --json the same under its kept names.
  assert.deepEqual(
    exported.rows.map((r) => ({ metric: r.metric.id, base: r.base, head: r.head, delta: r.change.delta, percent: r.change.percent, direction: r.change.direction })).sort((a, b) => a.metric.localeCompare(b.metric)),
    expected.metrics
      .map((m) => ({ metric: m.metric, base: m.base, head: m.head, delta: m.delta, percent: m.unit === 'percent' ? null : m.deltaPercent, direction: m.change }))
      .sort((a, b) => a.metric.localeCompare(b.metric)),
  );
});
