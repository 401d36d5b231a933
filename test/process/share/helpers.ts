/** Real git repositories and real `tidemark` processes for the sharing tests. */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { cli, ensureBuilt, root } from '../../unit/builtCli';

export { cli, ensureBuilt, root };

/** `tidemark publish --json`. */
export interface PublishJson {
  published: number;
  pushed: boolean;
  pushAttempts: number;
}

/** `tidemark pull --json`. */
export interface PullJson {
  imported: number;
  skipped: number;
  notesRead: number;
  problems: { commit: string; line: number; message: string }[];
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const CLEAN_ENV = { CI: '', GITHUB_HEAD_REF: '', GITHUB_REF_NAME: '', GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };

export function tidemark(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync('node', [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...CLEAN_ENV, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, as a child process (for running several at once). */
export function tidemarkAsync(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('node', [cli, ...args], { cwd, env: { ...process.env, ...CLEAN_ENV, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += String(b)));
    child.stderr.on('data', (b) => (stderr += String(b)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function json<T = unknown>(run: Run): T {
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...CLEAN_ENV }, maxBuffer: 256 * 1024 * 1024 }).trim();
}

export const CONFIG = {
  metrics: {
    size: { type: 'numeric', command: 'cat size.txt', unit: 'bytes', direction: 'lower-is-better' },
    pid: { type: 'numeric', command: 'echo $$', unit: 'integer' },
    status: { type: 'label', command: 'echo green' },
    broken: { type: 'numeric', command: 'echo nope >&2; exit 3' },
  },
};

/** A bare `origin.git` (default branch main) with one commit holding tidemark.json. */
export function newOrigin(dir: string, config: object = CONFIG): string {
  mkdirSync(dir, { recursive: true });
  const origin = path.join(dir, 'origin.git');
  git(dir, 'init', '-q', '--bare', '-b', 'main', origin);
  const seed = path.join(dir, 'seed');
  git(dir, 'clone', '-q', origin, seed);
  writeFileSync(path.join(seed, '.gitignore'), '.tidemark/\n');
  writeFileSync(path.join(seed, 'tidemark.json'), JSON.stringify(config, null, 2));
  writeFileSync(path.join(seed, 'size.txt'), '100\n');
  git(seed, 'add', '-A');
  git(seed, 'commit', '-q', '-m', 'seed');
  git(seed, 'push', '-q', 'origin', 'main');
  return origin;
}

export function clone(origin: string, dir: string): string {
  mkdirSync(path.dirname(dir), { recursive: true });
  git(path.dirname(dir), 'clone', '-q', origin, dir);
  return dir;
}

/** Every note line in a repository's notes ref, as parsed JSON. */
export function noteLines(repo: string, ref = 'refs/notes/tidemark'): Record<string, unknown>[] {
  const list = git(repo, 'notes', `--ref=${ref}`, 'list');
  const lines: Record<string, unknown>[] = [];
  for (const row of list.split('\n').filter(Boolean)) {
    const [blob] = row.split(' ');
    for (const line of git(repo, 'cat-file', 'blob', blob).split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  return lines;
}

/** A store's history as sorted canonical JSONL lines (tidemark export). */
export function exported(repo: string, file: string): string[] {
  const r = tidemark(repo, ['export', '--jsonl', '--out', file]);
  assert.equal(r.code, 0, r.stderr);
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).sort();
}
