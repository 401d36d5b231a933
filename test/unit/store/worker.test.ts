import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StoreApi, StoreProblem } from '../../../src/core/store/api';
import { openStore } from '../../../src/core/store/sqlStore';
import { openStoreInWorker } from '../../../src/core/store/workerClient';
import { buildInput, removeDir, sha, tempDir } from './fixtures';

/** The tsc-compiled worker entry (the bundle's is dist/storeWorker.js). */
const WORKER = path.resolve(__dirname, '../../../src/core/store/worker.js');

async function fill(store: StoreApi): Promise<void> {
  await store.recordBuild(buildInput({ commit: 1, day: 1, values: { 'bundle-size': 1000, coverage: 80, 'node-version': 'v18' } }));
  await store.recordBuild(buildInput({ commit: 2, day: 2, branch: 'feature', dirty: true, values: { 'bundle-size': 900, coverage: { status: 'timeout', message: 'killed after 60 s' } } }));
}

async function answers(store: StoreApi, dir: string, name: string) {
  const out = path.join(dir, `${name}.jsonl`);
  const exported = await store.exportJsonl(out);
  const stats = await store.stats();
  return {
    definitions: await store.definitions(),
    series: await store.series({ metric: 'bundle-size' }),
    latest: await store.latest({ ref: 'main' }),
    builds: await store.builds(),
    byId: await store.buildsById([2, 99, 1, 2]),
    resolved: await store.resolveRef(sha(2).slice(0, 6)),
    compare: await store.compare('main', 'feature'),
    branches: await store.branches(),
    exported,
    exportText: fs.readFileSync(out, 'utf8'),
    stats: { ...stats, path: undefined, fileBytes: undefined, journalBytes: undefined },
  };
}

test('the worker client gives the same answers as the in-process store', async () => {
  const dir = tempDir();
  try {
    const local = await openStore(path.join(dir, 'local.db'));
    const remote = await openStoreInWorker(path.join(dir, 'remote.db'), { workerScript: WORKER });
    await fill(local);
    await fill(remote);
    const a = await answers(local, dir, 'local');
    const b = await answers(remote, dir, 'remote');
    assert.deepEqual(b, a);
    assert.equal(a.exported, 4);
    assert.deepEqual(a.byId.map((b) => b.id), [1, 2], 'buildsById: each stored run once, unknown ids left out');

    const input = path.join(dir, 'local.jsonl');
    const fresh = await openStoreInWorker(path.join(dir, 'fresh.db'), { workerScript: WORKER });
    assert.deepEqual(await fresh.importJsonl(input), { imported: 4, skipped: 0, builds: 2, problems: [] });
    assert.equal(await fresh.clearHistory(), 2);
    await fresh.compact();
    await fresh.close();
    await local.close();
    await remote.close();
  } finally {
    removeDir(dir);
  }
});

test('errors cross the worker boundary with their message; problems and logs are forwarded', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'metrics.db');
    fs.writeFileSync(file, 'definitely not SQLite, but long enough to have a header of 100 bytes.........................................');
    // The (empty) journal beside it says this damaged file is a Tidemark store's snapshot.
    fs.writeFileSync(`${file}.journal`, '');
    const problems: StoreProblem[] = [];
    const errors: string[] = [];
    const logger = { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string | Error) => errors.push(String(m)) };
    const store = await openStoreInWorker(file, { workerScript: WORKER, logger, onProblem: (p) => problems.push(p) });
    await store.recordBuild(buildInput({ commit: 1, day: 1, values: { loc: 1 } }));
    await assert.rejects(store.recordBuild(buildInput({ commit: 1, day: 1, values: { loc: 1 } })), {
      message: `run run-1-1 of commit ${sha(1)} is already recorded`,
    });
    await assert.rejects(store.series({ metric: 'loc', until: 'soon' }), { message: 'until: "soon" is not an ISO 8601 timestamp' });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].kind, 'corrupt-snapshot');
    assert.ok(fs.existsSync(problems[0].movedTo!));
    assert.ok(errors.some((e) => e.includes('is damaged')), 'the problem reached the caller logger');
    await store.close();
    await assert.rejects(store.stats(), /closed/);
  } finally {
    removeDir(dir);
  }
});

test('a worker that cannot open its store rejects openStoreInWorker with the reason', async () => {
  const dir = tempDir();
  try {
    await assert.rejects(
      openStoreInWorker(path.join(dir, 'metrics.db'), { workerScript: WORKER, wasmPath: path.join(dir, 'missing.wasm') }),
      /cannot read sql.js WebAssembly at .*missing\.wasm/,
    );
  } finally {
    removeDir(dir);
  }
});

test('the bundled dist/storeWorker.js (built by `npm run build`) runs with the wasm shipped beside it', async () => {
  const bundled = path.resolve(__dirname, '../../../../dist/storeWorker.js');
  assert.ok(fs.existsSync(bundled), `${bundled} is missing: run npm run build first`);
  assert.ok(fs.existsSync(path.join(path.dirname(bundled), 'sql-wasm.wasm')));
  const dir = tempDir();
  try {
    const store = await openStoreInWorker(path.join(dir, 'metrics.db'), { workerScript: bundled });
    await fill(store);
    assert.deepEqual((await store.series({ metric: 'coverage' })).map((p) => p.value), [80]);
    await store.close();
  } finally {
    removeDir(dir);
  }
});

test('a long import in the worker leaves the calling thread responsive', async () => {
  const dir = tempDir();
  try {
    const input = path.join(dir, 'big.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      lines.push(JSON.stringify({ metric_id: `m${i % 20}`, timestamp: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(), value_numeric: i, commit_sha: sha(Math.floor(i / 20)), branch: 'main' }));
    }
    fs.writeFileSync(input, lines.join('\n') + '\n');
    const store = await openStoreInWorker(path.join(dir, 'metrics.db'), { workerScript: WORKER });
    let worstGap = 0;
    let last = Date.now();
    const ticker = setInterval(() => {
      const now = Date.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
    }, 5);
    const started = Date.now();
    let outcome;
    try {
      outcome = await store.importJsonl(input);
    } finally {
      clearInterval(ticker);
    }
    const took = Date.now() - started;
    assert.equal(outcome.imported, 60_000);
    assert.ok(took > 300, `the import is long enough to matter (${took} ms)`);
    // Blocking the calling thread would show as one gap as long as the import; a loaded 2-core
    // machine alone delays timers by up to ~150 ms, so the bound leaves room for that.
    assert.ok(worstGap < Math.min(250, took / 3), `the calling thread never stalled for long (worst timer gap ${worstGap} ms during a ${took} ms import)`);
    await store.close();
  } finally {
    removeDir(dir);
  }
});
