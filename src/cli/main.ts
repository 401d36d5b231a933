// The `tidemark` executable: runs the CLI against the real process.
import { constants } from 'node:os';
import { runCli } from './cli';
import { EXIT_INTERRUPTED } from './errors';

const controller = new AbortController();
/** The first stopping signal received; the exit code is 128 + its number, as shells report it. */
let caught: NodeJS.Signals | undefined;
const exitCodeOf = (signal: NodeJS.Signals) => 128 + (constants.signals[signal] ?? 2);

// Ctrl-C, CI cancellation / `timeout` / `docker stop` (SIGTERM) and a closed terminal (SIGHUP)
// all stop the same way: running commands are stopped (their whole process trees are
// killed), worktrees are cleaned up and nothing is recorded. A second signal leaves now.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(exitCodeOf(caught ?? signal));
    caught = signal;
    controller.abort(new Error(`interrupted by ${signal}`));
  });
}

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code === EXIT_INTERRUPTED && caught ? exitCodeOf(caught) : code;
  },
  (error: unknown) => {
    process.stderr.write(`tidemark: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
