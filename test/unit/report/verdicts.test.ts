import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../../src/core/config';
import { ReportBackend, type ReportSource } from '../../../src/core/report/backend';
import { compareChecks, HEAD_LIMITS_TTL_MS, HeadLimitsCache, headLimits } from '../../../src/core/report/verdicts';
import { ReportHost } from '../../../src/core/report/host';
import { openStore } from '../../../src/core/store';
import type { HostMessage, TrendsModel } from '../../../src/shared/protocol';
import type { StoreApi } from '../../../src/core/store/api';

const CONFIG = `{
  "baseline": { "referenceBranch": "main" },
  "metrics": {
    "size": { "type": "numeric", "command": "true", "unit": "bytes", "direction": "lower-is-better", "thresholds": { "max": "250 kB", "maxIncreasePercent": 10 } },
    "files": { "type": "numeric", "command": "true", "unit": "integer" }
  }
}`;

let dir: string;
let store: StoreApi;
let source: ReportSource;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();
}

async function commitAndRecord(name: string, branch: string, size: number, hoursAgo: number): Promise<void> {
  fs.writeFileSync(path.join(dir, name), name);
  git(dir, 'add', name);
  git(dir, 'commit', '-qm', name);
  await store.recordBuild({
    build: { commitSha: git(dir, 'rev-parse', 'HEAD'), branch, runId: name, event: 'ci', timestamp: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(), dirty: false },
    definitions: [
      { id: 'size', type: 'numeric', unit: 'bytes', direction: 'lower-is-better' },
      { id: 'files', type: 'numeric', unit: 'integer' },
    ],
    results: [
      { metric: 'size', status: 'ok', value: size, durationMs: 1 },
      { metric: 'files', status: 'ok', value: 3, durationMs: 1 },
    ],
  });
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
  git(dir, 'init', '-q', '-b', 'main');
  store = await openStore(path.join(dir, 'tidemark.db'));
  await commitAndRecord('a', 'main', 200_000, 3);
  await commitAndRecord('b', 'main', 210_000, 2);
  git(dir, 'checkout', '-qb', 'feature');
  await commitAndRecord('c', 'feature', 240_000, 1);
  const parsed = parseConfig(CONFIG);
  assert.ok(parsed.ok);
  source = { store, folderName: 'repo', cwd: dir, config: parsed.config, currentBranch: async () => 'feature', referenceBranch: async () => 'main' };
});

after(async () => {
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('headLimits: the budget from the config and the relative limit around the baseline, only for metrics with rules', async () => {
  const limits = await headLimits(source);
  assert.deepEqual(limits, [{ metric: 'size', budget: { min: null, max: 250_000 }, band: { lower: null, upper: 231_000 }, status: 'fail' }]);
  const model = await new ReportBackend(source).trends({ range: 'all', branches: [], includeDirty: false, width: 400 });
  assert.deepEqual(model.limits, limits);
});

test('compare: a Check verdict per metric with rules, explained; none for a metric without rules', async () => {
  const checks = await compareChecks(source, 'main', 'feature');
  assert.equal(checks?.get('size')?.status, 'fail');
  assert.match(checks!.get('size')!.explanation, /\+14\.3%/, 'the increase over the 10% limit is named');
  assert.equal(checks!.has('files'), false);
  const model = await new ReportBackend(source).compare('main', 'feature');
  assert.deepEqual(model.rows.find((r) => r.metric.id === 'size')?.check, checks!.get('size'));
  assert.equal(model.rows.find((r) => r.metric.id === 'files')?.check, undefined);
});

test('without a config nothing is judged: the verdict fields are absent, not guessed', async () => {
  const bare = { ...source, cwd: undefined, config: undefined };
  assert.equal(await headLimits(bare), undefined);
  assert.equal(await compareChecks(bare, 'main', 'feature'), undefined);
  const backend = new ReportBackend(bare);
  assert.equal('limits' in (await backend.trends({ range: 'all', branches: [], includeDirty: false, width: 400 })), false);
  assert.ok((await backend.compare('main', 'feature')).rows.every((r) => !('check' in r)));
});

test('outside a git checkout there is no HEAD to draw limits for; named refs are still judged from the store', async () => {
  const notGit = fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
  try {
    const elsewhere = { ...source, cwd: notGit };
    assert.equal(await headLimits(elsewhere), undefined);
    assert.equal('limits' in (await new ReportBackend(elsewhere).trends({ range: 'all', branches: [], includeDirty: false, width: 400 })), false);
    assert.equal((await compareChecks(elsewhere, 'main', 'feature'))?.get('size')?.status, 'fail');
  } finally {
    fs.rmSync(notGit, { recursive: true, force: true });
  }
});

test('HeadLimitsCache evaluates once per recorded state and branch, and again after its time to live', async () => {
  // Count the store reads evaluate() makes; the cache itself reads none.
  let reads = 0;
  const counting = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        reads++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  let now = 1_000_000;
  const cache = new HeadLimitsCache(() => now);
  const counted: ReportSource = { ...source, store: counting };

  const first = await cache.get(counted, await store.branches());
  assert.ok(first && first.length === 1, 'the metric with rules has limits');
  const afterFirst = reads;
  assert.ok(afterFirst > 0, 'the first call evaluates');
  const recorded = await store.branches();
  assert.deepEqual(await Promise.all([cache.get(counted, recorded), cache.get(counted, recorded)]), [first, first]);
  assert.equal(reads, afterFirst, 'nothing recorded, same branch: the evaluation is reused');

  now += HEAD_LIMITS_TTL_MS;
  await cache.get(counted, recorded);
  assert.ok(reads > afterFirst, 'an answer as old as the time to live is evaluated again');

  const beforeRun = reads;
  now += 1;
  await commitAndRecord('d', 'feature', 245_000, 0.5);
  await cache.get(counted, await store.branches());
  assert.ok(reads > beforeRun, 'a recorded run is evaluated again at once');
});

test('ReportHost keeps one backend per page: the Trends batches of a page reuse HEAD\'s limits; ready and a source change start over', async () => {
  let reads = 0;
  const counting = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        reads++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const posted: HostMessage[] = [];
  const host = new ReportHost({
    source: async () => ({ ...source, store: counting }),
    post: async (m) => posted.push(m),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: (m) => assert.fail(String(m)) },
    runAll: async () => {},
    copy: async () => {},
  });
  let id = 0;
  /** One Trends batch as the page asks for it while charts scroll into view; returns its store reads. */
  const trendsBatch = async (metrics: string[]) => {
    const before = reads;
    await host.receive({ type: 'request', id: ++id, request: { kind: 'trends', query: { range: 'all', branches: [], includeDirty: true, width: 400, metrics } } });
    const reply = posted.at(-1);
    assert.ok(reply?.type === 'reply' && reply.id === id && !reply.error, `trends reply ${id}`);
    assert.ok((reply.result as TrendsModel).limits?.length, 'the reply carries the limits');
    return reads - before;
  };

  await host.receive({ type: 'ready' });
  assert.equal(posted.at(-1)?.type, 'init');
  const first = await trendsBatch(['size']);
  const second = await trendsBatch(['size']);
  const third = await trendsBatch(['files', 'size']);
  assert.equal(host.backendsCreated, 1, 'one backend for the page');
  assert.ok(second < first, `the second batch reuses the limits (store reads: first ${first}, second ${second})`);
  assert.ok(third < first, `so does the third (${third})`);

  host.sourceChanged();
  assert.equal(await trendsBatch(['size']), first, 'a changed source evaluates again');
  assert.equal(host.backendsCreated, 2);
  await host.receive({ type: 'ready' });
  assert.equal(await trendsBatch(['size']), first, 'a reloaded page evaluates again');
  assert.equal(host.backendsCreated, 3);
});

test("a page load finds HEAD's baseline once: the header, the Overview and Compare against it share one answer", async () => {
  const backend = new ReportBackend(source);
  const meta = await backend.meta();
  assert.ok(meta.baseline, 'the header names a baseline run');
  assert.equal(meta.baseline.commitSha, git(dir, 'rev-parse', 'main'), "the baseline is main's run at the merge-base");
  const overview = await backend.overview();
  assert.equal(overview.baseline.build?.commitSha, meta.baseline.commitSha, 'the Overview judges against the same run');
  const compare = await backend.compare(meta.baseline.commitSha, 'feature');
  assert.equal(compare.base.build?.commitSha, meta.baseline.commitSha);
  const size = compare.rows.find((r) => r.metric.id === 'size');
  assert.match(size?.check?.explanation ?? '', /baseline/, `Compare judges against HEAD's baseline, in the tree's words: ${JSON.stringify(size?.check)}`);
  assert.equal(backend.baselinesFound, 1, 'meta, Overview and Compare found the baseline once');

  await commitAndRecord('e', 'feature', 246_000, 0.25);
  const after = await backend.meta();
  assert.equal(backend.baselinesFound, 2, 'a recorded run finds it again');
  assert.equal(after.baseline?.commitSha, meta.baseline.commitSha, 'the same merge-base');
});

test('HEAD moved: the open page gets the new head in its meta, then reloads, from a new backend', async () => {
  let current = 'feature';
  const posted: HostMessage[] = [];
  const host = new ReportHost({
    source: async () => ({ ...source, currentBranch: async () => current }),
    post: async (m) => posted.push(m),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: (m) => assert.fail(String(m)) },
    runAll: async () => {},
    copy: async () => {},
  });
  await host.receive({ type: 'ready' });
  const init = posted.at(-1);
  assert.ok(init?.type === 'init' && init.meta.currentBranch === 'feature' && init.meta.baseline?.head === 'feature', JSON.stringify(init));
  git(dir, 'checkout', '-q', 'main');
  try {
    current = 'main';
    await host.headMoved();
    const [meta, reload] = posted.slice(-2);
    assert.ok(meta.type === 'meta', `meta first: ${JSON.stringify(posted.slice(-2))}`);
    assert.equal(meta.meta.currentBranch, 'main');
    assert.equal(meta.meta.baseline?.head, 'main', "the header's baseline is main's own now");
    assert.match(meta.meta.baseline?.explanation ?? '', /previous commit on main/);
    assert.notEqual(meta.meta.baseline?.commitSha, init.meta.baseline?.commitSha);
    assert.deepEqual(reload, { type: 'headMoved' });
    assert.equal(host.backendsCreated, 2, 'the page starts over with a new backend (its caches belonged to the old head)');
  } finally {
    git(dir, 'checkout', '-q', 'feature');
  }
});
