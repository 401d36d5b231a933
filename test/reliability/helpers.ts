/**
 * Helpers of the reliability suite (issue 17): the built CLI as a child process, real git
 * repositories in temp folders, tmpfs mounts and PID namespaces (root only), and the figures
 * the suite prints (runs acknowledged vs found, processes left, max RSS and time).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';

export const root = path.resolve(__dirname, '../../..');
export const cli = path.join(root, 'dist', 'cli.js');
const figuresFile = path.join(root, 'test-results', 'reliability-figures.txt');

/** Prints one figure of the closing note and keeps it in test-results/reliability-figures.txt. */
export function figure(item: number, text: string): void {
  const line = `FIGURE #${item}: ${text}`;
  console.log(line);
  fs.mkdirSync(path.dirname(figuresFile), { recursive: true });
  fs.appendFileSync(figuresFile, `${line}\n`);
}

export function tempDir(prefix = 'tidemark-rel-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const cleanEnv = { CI: '', GITHUB_HEAD_REF: '', GITHUB_REF_NAME: '', TIDEMARK_LOCK_TIMEOUT_MS: '' };

/** Runs `node dist/cli.js ARGS` and waits for it. */
export function tidemark(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Run {
  const started = Date.now();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...cleanEnv, ...env }, timeout: timeoutMs });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

/**
 * Runs the CLI with a preload that writes the process's peak RSS to `rssFile` on exit, so the
 * cost of a hostile input is measured, not guessed.
 */
export function tidemarkMeasured(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Run & { maxRssMiB: number } {
  const dir = tempDir('tidemark-rss-');
  const rssFile = path.join(dir, 'rss');
  const preload = path.join(dir, 'rss.js');
  fs.writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--require', preload, cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...cleanEnv, ...env }, timeout: timeoutMs });
  const ms = Date.now() - started;
  const kib = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) : NaN;
  removeDir(dir);
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms, maxRssMiB: Math.round((kib / 1024) * 10) / 10 };
}

/** Starts the CLI without waiting; output is collected on the returned object. */
export function startTidemark(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; output: { stdout: string; stderr: string }; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, ...cleanEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => (output.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output.stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output, exited };
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
}

/** A git repository on `main` with tidemark.json committed. */
export function newRepo(parent: string, name: string, config: object): string {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, '.gitignore'), '.tidemark/\n');
  fs.writeFileSync(path.join(dir, 'tidemark.json'), JSON.stringify(config, null, 2));
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

export function json<T = unknown>(run: Run): T {
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

export function runCount(cwd: string, db?: string): number {
  const r = tidemark(cwd, ['stats', '--json', ...(db ? ['--db', db] : [])]);
  return json<{ builds: number }>(r).builds;
}

/**
 * Tests that need root (tmpfs mounts, PID namespaces) fail with a clear reason when it is
 * missing. TIDEMARK_RELIABILITY_WITHOUT_ROOT=1 lets them end early instead, printing a NOT RUN
 * line (and a figure) for each, so a run without root says what it did not prove.
 */
export function needsRoot(t: TestContext, what: string): boolean {
  const isRoot = process.getuid?.() === 0;
  const mountOk = isRoot && spawnSync('unshare', ['--mount', 'true']).status === 0;
  if (mountOk) return true;
  const reason = `NEEDS ROOT: ${what} needs root (mount a tmpfs / unshare a PID namespace); CI runs as root`;
  if (process.env.TIDEMARK_RELIABILITY_WITHOUT_ROOT === '1') {
    console.log(`NOT RUN — ${t.name}: ${reason}`);
    fs.mkdirSync(path.dirname(figuresFile), { recursive: true });
    fs.appendFileSync(figuresFile, `NOT RUN — ${t.name}: ${reason}\n`);
    return false;
  }
  assert.fail(`${reason}. Run as root, or set TIDEMARK_RELIABILITY_WITHOUT_ROOT=1 to leave these parts out explicitly.`);
}

/** A tmpfs of `size` mounted at a new temp folder; unmount() removes it again. */
export function tmpfs(size: string): { dir: string; unmount(): void } {
  const dir = tempDir('tidemark-tmpfs-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  return {
    dir,
    unmount() {
      spawnSync('umount', ['-l', dir]);
      removeDir(dir);
    },
  };
}

/** Pids whose command line contains `marker` (processes a test started and must not outlive it). */
export function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const state = /^\S+ \(.*\) (\S)/.exec(fs.readFileSync(`/proc/${entry}/stat`, 'utf8'))?.[1];
      if (cmdline.includes(marker) && state !== 'Z') pids.push(Number(entry));
    } catch {
      // It exited while we looked.
    }
  }
  return pids;
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
