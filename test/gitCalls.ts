/**
 * Counts the git processes a piece of code starts: a `git` shim first on PATH logs each call's
 * arguments and runs the real git. Tests in one file run one at a time, so PATH is theirs.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Writes into `dir` a `git` that appends its arguments as one line to `log`, then runs the real
 * git found on PATH now; put `dir` first on a PATH to count.
 */
export function writeGitShim(dir: string, log: string): void {
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  fs.writeFileSync(log, '');
  fs.writeFileSync(path.join(dir, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
}

/** The lines of a shim's log that Tidemark's git runner wrote (it starts every git with these arguments). */
export function tidemarkCalls(log: string): string[] {
  return fs.readFileSync(log, 'utf8').split('\n').filter((line) => line.startsWith('-c core.quotepath=off '));
}

export async function gitCalls<T>(body: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-git-shim-'));
  const log = path.join(dir, 'calls.log');
  writeGitShim(dir, log);
  const savedPath = process.env.PATH;
  process.env.PATH = `${dir}${path.delimiter}${savedPath ?? ''}`;
  try {
    const result = await body();
    return { result, calls: fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  } finally {
    process.env.PATH = savedPath;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
