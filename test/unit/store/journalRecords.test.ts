/**
 * What a journal record carries: definitions only when the snapshot or an earlier record of the
 * journal lacks them unchanged (operations.ts, CarriedDefinitions), and ok outcomes without the
 * duration that is not stored. Each test checks the records on disk and what a reopened store,
 * or one rebuilt from the journal alone, holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MetricDefinitionInput, StoreApi, StoreProblem } from '../../../src/core/store/api';
import type { BuildOp } from '../../../src/core/store/operations';
import { openStore } from '../../../src/core/store/sqlStore';
import { readJournal } from '../../../src/core/store/journal';
import { DEFS, buildInput, removeDir, tempDir } from './fixtures';

const NO_COMPACTION = { compactThresholdBytes: 64 << 20 };

function journalBuilds(file: string): BuildOp[] {
  return readJournal(`${file}.journal`, 0).records.map((r) => r.op as BuildOp);
}

const definitionIds = (op: BuildOp) => op.definitions.map((d) => d.id);

/** Runs `body` on a store file in a temp folder, removed afterwards. */
async function inTempStore(body: (file: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  try {
    await body(path.join(dir, 'metrics.db'));
  } finally {
    removeDir(dir);
  }
}

/** A store whose snapshot holds run 1 (loc, with `definitions`) and whose journal is empty. */
async function snapshotted(file: string, definitions: MetricDefinitionInput[] = DEFS): Promise<StoreApi> {
  const store = await openStore(file, NO_COMPACTION);
  await store.recordBuild(buildInput({ commit: 1, day: 1, values: { loc: 1 } }, definitions));
  await store.compact();
  return store;
}

test('a record leaves out the definitions that the snapshot and an earlier record both hold unchanged, and carries a changed one until a snapshot holds it', async () => {
  await inTempStore(async (file) => {
    const store = await snapshotted(file);
    await store.recordBuild(buildInput({ commit: 2, day: 2, values: { loc: 2 } }));
    await store.recordBuild(buildInput({ commit: 3, day: 3, values: { loc: 3 } }));
    const changed = DEFS.map((d) => (d.id === 'loc' ? { ...d, description: 'lines of TypeScript' } : d));
    await store.recordBuild(buildInput({ commit: 4, day: 4, values: { loc: 4 } }, changed));
    await store.recordBuild(buildInput({ commit: 5, day: 5, values: { loc: 5 } }, changed));
    await store.close();

    const records = journalBuilds(file);
    const all = DEFS.map((d) => d.id);
    // The first record after a snapshot has no earlier record to lean on; the snapshot holds the old loc.
    assert.deepEqual(records.map(definitionIds), [all, [], ['loc'], ['loc']]);
    for (const op of records) {
      for (const outcome of op.outcomes) assert.deepEqual(Object.keys(outcome).sort(), ['metric', 'status', 'value'], 'an ok outcome carries no duration');
    }

    const reopened = await openStore(file);
    assert.deepEqual((await reopened.series({ metric: 'loc' })).map((p) => p.value), [1, 2, 3, 4, 5]);
    const defs = await reopened.definitions();
    assert.equal(defs.find((d) => d.id === 'loc')?.description, 'lines of TypeScript');
    assert.equal(defs.find((d) => d.id === 'bundle-size')?.description, 'dist size');
    await reopened.close();
  });
});

test('rebuilt from the journal alone (a damaged snapshot), every journaled run keeps its values and definitions', async () => {
  await inTempStore(async (file) => {
    const store = await snapshotted(file);
    for (let i = 2; i <= 4; i++) await store.recordBuild(buildInput({ commit: i, day: i, values: { loc: i, coverage: 50 + i } }));
    await store.close();
    assert.deepEqual(journalBuilds(file).map((op) => op.definitions.length), [DEFS.length, 0, 0]);

    // The snapshot's pages past its header are garbage: SQLite reports it malformed.
    const bytes = fs.readFileSync(file);
    bytes.fill(0xa5, 100);
    fs.writeFileSync(file, bytes);
    const problems: StoreProblem[] = [];
    const rebuilt = await openStore(file, { onProblem: (p) => problems.push(p) });
    await rebuilt.definitions().catch(() => undefined);
    assert.deepEqual(problems.map((p) => p.kind), ['corrupt-snapshot']);
    assert.deepEqual((await rebuilt.series({ metric: 'coverage' })).map((p) => p.value), [52, 53, 54]);
    const defs = await rebuilt.definitions();
    assert.deepEqual(defs.map((d) => d.id).sort(), DEFS.map((d) => d.id).sort());
    assert.equal(defs.find((d) => d.id === 'coverage')?.unit, 'percent');
    await rebuilt.close();
  });
});

test('a damaged journal line costs no other run its definitions: a metric the snapshot lacks is carried until a snapshot holds it', async () => {
  await inTempStore(async (file) => {
    const before = DEFS.filter((d) => d.id !== 'coverage');
    const store = await snapshotted(file, before);
    // coverage is new: the snapshot does not hold it, so each record carries it.
    await store.recordBuild(buildInput({ commit: 2, day: 2, values: { loc: 2, coverage: 60 } }));
    await store.recordBuild(buildInput({ commit: 3, day: 3, values: { loc: 3, coverage: 61 } }));
    await store.close();
    assert.deepEqual(journalBuilds(file).map(definitionIds), [DEFS.map((d) => d.id), ['coverage']]);

    const journal = `${file}.journal`;
    const lines = fs.readFileSync(journal, 'utf8').split('\n');
    lines[0] = lines[0].replace('"coverage"', '"COVERAGE"');
    fs.writeFileSync(journal, lines.join('\n'));
    const problems: StoreProblem[] = [];
    const reopened = await openStore(file, { onProblem: (p) => problems.push(p) });
    assert.deepEqual(problems.map((p) => p.kind), ['damaged-journal']);
    assert.deepEqual((await reopened.series({ metric: 'coverage' })).map((p) => p.value), [61]);
    assert.deepEqual((await reopened.series({ metric: 'loc' })).map((p) => p.value), [1, 3]);
    await reopened.close();
  });
});

test('two stores on one file: each leaves out what the other journaled, and carries everything again after the other one snapshotted', async () => {
  await inTempStore(async (file) => {
    await (await snapshotted(file)).close();
    const a = await openStore(file, NO_COMPACTION);
    const b = await openStore(file, NO_COMPACTION);
    await a.recordBuild(buildInput({ commit: 2, day: 2, values: { loc: 2 } }));
    await b.recordBuild(buildInput({ commit: 3, day: 3, values: { loc: 3 } }));
    assert.deepEqual(journalBuilds(file).map((op) => op.definitions.length), [DEFS.length, 0], 'b read a\'s record before appending its own');
    await a.compact();
    await b.recordBuild(buildInput({ commit: 4, day: 4, values: { loc: 4 } }));
    assert.deepEqual(journalBuilds(file).map((op) => op.definitions.length), [DEFS.length], 'the journal a emptied carries nothing');
    await a.close();
    await b.close();
    const reopened = await openStore(file);
    assert.deepEqual((await reopened.series({ metric: 'loc' })).map((p) => p.value), [1, 2, 3, 4]);
    await reopened.close();
  });
});

test('a pulled record carries a definition once: its later runs, and a replay of it, lean on the first', async () => {
  await inTempStore(async (file) => {
    const store = await snapshotted(file);
    const defs = await store.definitions();
    const loc = defs.find((d) => d.id === 'loc')!;
    const run = (n: number) => ({
      commitSha: `${n}`.repeat(40).slice(0, 40),
      branch: 'main',
      runId: `ci-${n}`,
      runNumber: n,
      event: 'manual' as const,
      timestamp: `2025-01-0${n}T12:00:00.000Z`,
      definitions: [loc],
      outcomes: [{ metric: 'loc', status: 'ok' as const, value: 100 + n, durationMs: 5, message: null }],
    });
    const outcome = await store.importShared({ ref: 'refs/notes/tidemark', tip: null, runs: [run(2), run(3), run(4)] });
    assert.equal(outcome.imported, 3);
    await store.close();

    const [record] = readJournal(`${file}.journal`, 0).records;
    assert.equal(record.op.kind, 'pulled');
    if (record.op.kind !== 'pulled') return;
    assert.deepEqual(record.op.runs.map(definitionIds), [['loc'], [], []]);
    const reopened = await openStore(file);
    assert.deepEqual((await reopened.series({ metric: 'loc' })).map((p) => p.value), [1, 102, 103, 104]);
    await reopened.close();
  });
});
