import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { collectAndRecord, definitionsFromConfig } from '../../../src/core/engine';
import type { RecordBuildInput, StoreApi } from '../../../src/core/store/api';
import { makeConfig, tempDir, waitFor } from './helpers';

let repo: { dir: string; cleanup(): void };
let head: string;
before(() => {
  repo = tempDir();
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@e.com', ...args], { cwd: repo.dir, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('commit', '-q', '--allow-empty', '-m', 'first');
  head = git('rev-parse', 'HEAD');
});
after(() => repo.cleanup());

/** Records what the engine asks to store; the store itself is tested with real files elsewhere. */
function recordingStore(): { store: StoreApi; inputs: RecordBuildInput[] } {
  const inputs: RecordBuildInput[] = [];
  const store = {
    async recordBuild(input: RecordBuildInput) {
      inputs.push(input);
      return { build: { id: 1, runNumber: 7, ...input.build }, rejected: [{ metric: 'x', message: 'type changed' }] };
    },
  } as unknown as StoreApi;
  return { store, inputs };
}

const config = makeConfig({
  size: { command: 'echo 2 kB', unit: 'bytes', direction: 'lower-is-better', name: 'Bundle', description: 'dist size' },
  version: { command: 'echo v1', type: 'label' },
  started: { command: 'date -u +%s%3N', unit: 'integer' },
});

test('definitionsFromConfig maps every metric, absent fields as null', () => {
  assert.deepEqual(definitionsFromConfig(config), [
    { id: 'size', type: 'numeric', unit: 'bytes', description: 'dist size', direction: 'lower-is-better', name: 'Bundle' },
    { id: 'version', type: 'label', unit: null, description: null, direction: null, name: null },
    { id: 'started', type: 'numeric', unit: 'integer', description: null, direction: null, name: null },
  ]);
});

test('collectAndRecord records the git context, the event, a fresh run id and the results', async () => {
  const { store, inputs } = recordingStore();
  const outcome = await collectAndRecord({ cwd: repo.dir, config, store, event: 'ci', only: ['size', 'started'] });
  assert.equal(inputs.length, 1);
  const { build, definitions, results } = inputs[0];
  assert.equal(build.commitSha, head);
  assert.equal(build.branch, 'main');
  assert.equal(build.dirty, false);
  assert.equal(build.event, 'ci');
  assert.equal(build.runNumber, undefined, 'the store assigns run numbers');
  assert.match(build.runId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(build.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const commandRanAt = results.find((r) => r.metric === 'started')?.value as number;
  assert.ok(Date.parse(build.timestamp) <= commandRanAt, 'the timestamp is taken when the run starts');
  assert.deepEqual(definitions.map((d) => d.id), ['size', 'started']);
  assert.deepEqual(results.map((r) => [r.metric, r.status]), [['size', 'ok'], ['started', 'ok']]);
  assert.equal(outcome.build.runNumber, 7);
  assert.deepEqual(outcome.rejected, [{ metric: 'x', message: 'type changed' }]);

  const second = recordingStore();
  await collectAndRecord({ cwd: repo.dir, config, store: second.store, event: 'manual', branch: 'override', only: ['version'] });
  assert.equal(second.inputs[0].build.branch, 'override');
  assert.notEqual(second.inputs[0].build.runId, build.runId);
});

test('a cancelled run records nothing', async () => {
  const { store, inputs } = recordingStore();
  const marker = path.join(repo.dir, 'started.txt');
  const controller = new AbortController();
  const run = collectAndRecord({
    cwd: repo.dir,
    config: makeConfig({ slow: { command: `touch "${marker}"; sleep 30` } }),
    store,
    event: 'manual',
    signal: controller.signal,
  });
  await waitFor(() => existsSync(marker), 10_000, 'the command to start');
  controller.abort();
  await assert.rejects(run, { name: 'AbortError' });
  assert.equal(inputs.length, 0);
  assert.equal(readFileSync(marker, 'utf8'), '');
});

test('unknown metric ids fail before anything runs', async () => {
  const { store, inputs } = recordingStore();
  await assert.rejects(collectAndRecord({ cwd: repo.dir, config, store, event: 'manual', only: ['nope'] }), /unknown metric "nope"/);
  assert.equal(inputs.length, 0);
});
