// Runs a command in the background with its output held back (stdout and stderr in the order
// they came), for scripts that print it whole when the command ends instead of interleaving it.
import { spawn } from 'node:child_process';

/** Resolves with the exit code (null when it could not start or was killed) and the output. */
export function runCaptured(cmd, args, { cwd } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (d) => output.push(d));
    child.stderr.on('data', (d) => output.push(d));
    child.on('error', (err) => output.push(Buffer.from(`${err.message}\n`)));
    child.on('close', (code) => resolve({ code, text: Buffer.concat(output).toString('utf8') }));
  });
}
