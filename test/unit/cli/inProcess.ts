/**
 * Runs the `tidemark` command line in this process through runCli: the same argv, exit codes
 * and output as dist/cli.js, without a node start-up per call. The few tests that need a real
 * process (signals, pipes, the bundle itself) spawn dist/cli.js instead.
 */
import { runCli } from '../../../src/cli/cli';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a test run sees: CI variables cleared unless given. */
export function testEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, CI: '', GITHUB_HEAD_REF: '', GITHUB_REF_NAME: '', ...env };
}

export async function tidemarkInProcess(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, signal = new AbortController().signal): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    cwd,
    env: testEnv(env),
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    signal,
  });
  return { code, stdout, stderr };
}
