import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CollectorCommandFailed, CollectorError, runCollector } from '../../../src/core/collect/collectors';
import { shellCommandOf } from '../../../src/core/collect/collectors/time';
import { context, removeDir, tempDir } from './helpers';

let dir: string;
before(() => {
  dir = tempDir();
});
after(() => removeDir(dir));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, what: string, deadlineMs = 5000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

test('time runs the command through the shell in cwd and returns its wall time in seconds', async () => {
  const started = Date.now();
  const out = await runCollector(['time', '--', 'sleep 0.3 && echo built > out.txt'], context(dir));
  const elapsed = (Date.now() - started) / 1000;
  const seconds = Number(out);
  assert.match(out, /^\d+\.\d{3}$/);
  assert.ok(seconds >= 0.3 && seconds <= elapsed + 0.01, `${seconds} within [0.3, ${elapsed}]`);
  assert.equal(fs.readFileSync(path.join(dir, 'out.txt'), 'utf8'), 'built\n');
});

test('time: a failing command is a failure with its exit code and stderr', async () => {
  await assert.rejects(runCollector(['time', '--', 'echo broken >&2; exit 3'], context(dir)), (e: unknown) => {
    assert.ok(e instanceof CollectorCommandFailed);
    assert.equal(e.exitCode, 3);
    assert.match(e.message, /exited with code 3: broken/);
    return true;
  });
  await assert.rejects(runCollector(['time'], context(dir)), CollectorError);
});

test('time: aborting kills the whole process group, grandchildren included', async () => {
  const controller = new AbortController();
  const pidFile = path.join(dir, 'grandchild.pid');
  const run = runCollector(['time', '--', `sleep 30 & echo $! > ${pidFile}; wait`], context(dir, {}, controller.signal));
  await waitFor(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '', 'the grandchild pid');
  const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
  assert.ok(isAlive(grandchild));
  controller.abort(new Error('timeout after 1s'));
  await assert.rejects(run, /timeout after 1s/);
  await waitFor(() => !isAlive(grandchild), 'the grandchild to be killed');
});

test('several words after -- are re-quoted for the shell; one word is the command as written', () => {
  assert.equal(shellCommandOf(['npm', 'run', 'build']), 'npm run build');
  assert.equal(shellCommandOf(['echo', "it's a b"]), `echo 'it'\\''s a b'`);
  assert.equal(shellCommandOf(['npm run build && echo "x"']), 'npm run build && echo "x"');
});
