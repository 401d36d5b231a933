// The `tidemark` executable: runs the CLI against the real process.
import { runCli } from './cli';
import { EXIT_INTERRUPTED } from './errors';

const controller = new AbortController();
process.on('SIGINT', () => {
  // First Ctrl-C: stop running commands (their process trees are killed) and record nothing.
  // Second: leave now.
  if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
  controller.abort();
});

// SIGTERM (CI cancelling a job): stop the same way, then exit 143.
let terminated = false;
process.on('SIGTERM', () => {
  if (terminated) process.exit(128 + 15);
  terminated = true;
  controller.abort();
});

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
    process.exitCode = terminated && code === EXIT_INTERRUPTED ? 128 + 15 : code;
  },
  (error: unknown) => {
    process.stderr.write(`tidemark: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
