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

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
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
