/**
 * Child process for the crash and concurrency tests: records builds into a store and prints
 * `ack <runId> <buildId>` after each one the store acknowledged (i.e. made durable).
 *   node recordLoop.js <storePath> <prefix> <count | forever> [compactThresholdBytes]
 */
import { openStore } from '../../../../src/core/store/sqlStore';
import { buildInput, DEFS } from '../fixtures';

async function main(): Promise<void> {
  const [storePath, prefix, countArg, thresholdArg] = process.argv.slice(2);
  if (!storePath || !prefix || !countArg) throw new Error('usage: recordLoop <storePath> <prefix> <count|forever> [threshold]');
  const count = countArg === 'forever' ? Infinity : Number(countArg);
  const store = await openStore(storePath, { compactThresholdBytes: thresholdArg ? Number(thresholdArg) : undefined });
  for (let i = 0; i < count; i++) {
    const runId = `${prefix}-${i}`;
    const outcome = await store.recordBuild(
      buildInput({ commit: i, runId, day: 1 + (i % 28), branch: prefix, values: { 'bundle-size': 1000 + i, coverage: 50 + (i % 50), 'node-version': `v${i}` } }, DEFS),
    );
    process.stdout.write(`ack ${runId} ${outcome.build.id}\n`);
  }
  await store.close();
  process.stdout.write('done\n');
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
