import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runShellCommand } from '../../../src/core/collect/process';
import { supportsPipefail } from '../../../src/core/collect/shell';
import { tempDir } from './helpers';

let workspace: { dir: string; cleanup(): void };
before(() => (workspace = tempDir()));
after(() => workspace.cleanup());

const bash = ['/bin/bash', '/usr/bin/bash'].find((p) => existsSync(p));
const posix = process.platform !== 'win32';

/** A shell that rejects `-o pipefail` the way dash before pipefail does, and otherwise is /bin/sh. */
function oldShell(): string {
  const file = path.join(workspace.dir, 'old-sh');
  writeFileSync(file, '#!/bin/sh\nif [ "$1" = "-o" ]; then echo "old-sh: 0: Illegal option -o $2" >&2; exit 2; fi\nexec /bin/sh "$@"\n');
  chmodSync(file, 0o755);
  return file;
}

const run = (command: string, shell: string) => runShellCommand(command, { cwd: workspace.dir, env: process.env, timeoutMs: 10_000, shell });

describe('pipefail', { skip: !posix }, () => {
  test('a shell that supports it runs pipelines with it: a failing build before `| tail` fails the run', { skip: !bash && 'no bash here' }, async () => {
    assert.equal(await supportsPipefail(bash!), true);
    const r = await run('(echo 20; exit 7) | tail -1', bash!);
    assert.equal(r.pipefail, true);
    assert.deepEqual(r.end, { kind: 'exited', exitCode: 7, signal: null });
    const ok = await run('echo 20 | tail -1', bash!);
    assert.deepEqual(ok.end, { kind: 'exited', exitCode: 0, signal: null });
    assert.equal(ok.stdout, '20\n');
  });

  test('a shell without it is detected, not assumed, and runs the command as before', async () => {
    const shell = oldShell();
    assert.equal(await supportsPipefail(shell), false);
    const r = await run('(echo 20; exit 7) | tail -1', shell);
    assert.equal(r.pipefail, false);
    assert.deepEqual(r.end, { kind: 'exited', exitCode: 0, signal: null });
    assert.equal(r.stdout, '20\n');
  });

  test('/bin/sh: detection agrees with what the shell does', async () => {
    // The independent check: does `set -o pipefail` inside /bin/sh make `false | true` fail?
    const probe = await run("set -o pipefail 2>/dev/null && { false | true; echo status=$?; } || echo unsupported", '/bin/sh');
    const expected = probe.stdout.trim() === 'status=1';
    assert.equal(await supportsPipefail('/bin/sh'), expected);
  });
});
