import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../../src/cli/cli';
import { commands } from '../../../src/cli/registry';

function io() {
  const out: string[] = [];
  return { out, io: { cwd: process.cwd(), env: {}, stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), signal: new AbortController().signal } };
}

const loaded = (fragment: string) => Object.keys(require.cache).filter((file) => file.replace(/\\/g, '/').includes(fragment));

// First in this file (each test file runs in its own process): nothing else has loaded them yet.
test('`tidemark --help` loads no command, no config schema and no store', async () => {
  const { out, io: streams } = io();
  assert.equal(await runCli(['--help'], streams), 0);
  assert.match(out.join(''), /Commands:/);
  assert.deepEqual(loaded('/src/cli/commands/'), []);
  assert.deepEqual(loaded('/src/core/config/schema'), []);
  assert.deepEqual(loaded('/src/core/store/sqlStore'), []);
  assert.deepEqual(loaded('node_modules/zod/'), []);
  assert.deepEqual(loaded('node_modules/sql.js/'), []);
});

test('`tidemark history --help` loads that command only', async () => {
  const { io: streams } = io();
  assert.equal(await runCli(['history', '--help'], streams), 0);
  assert.deepEqual(loaded('/src/cli/commands/').map((f) => f.replace(/.*\/commands\//, '')).filter((f) => f !== 'history.js'), []);
});

test('every registry line names and summarizes the command it loads', async () => {
  const names = commands.map((c) => c.name);
  assert.equal(new Set(names).size, names.length, 'no name twice');
  for (const entry of commands) {
    const { command } = await entry.load();
    assert.equal(command.name, entry.name);
    assert.equal(command.summary, entry.summary, `summary of ${entry.name} in registry.ts`);
  }
});
