// The `tidemark` CLI against the real process (dist/cli-main.js, loaded by launch.ts).
import { constants } from 'node:os';
import { runCli } from './cli';
import { EXIT_INTERRUPTED } from './errors';

// Loaded by launch.ts (dist/cli.js), which has set V8's flags for this command.

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

/**
 * A reader that goes away (`tidemark export --jsonl | head -1`) closes our stdout: writes then
 * fail with EPIPE, asynchronously, as an 'error' event that would crash the process. The rest
 * of the output has no reader, so it is dropped; the command finishes (a run it records is
 * still recorded whole) and exits with its own code, 0 when it succeeded.
 */
function writer(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    closed = true;
  });
  return (text) => {
    if (!closed && !stream.destroyed) stream.write(text);
  };
}

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: writer(process.stdout),
  stderr: writer(process.stderr),
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
