/** Temp folders, git repos and collector contexts for the collector tests. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CollectorContext } from '../../../src/core/collect/collectors';
import type { TidemarkConfig } from '../../../src/core/types';

export const repoRoot = path.resolve(__dirname, '../../../..');
export const binOf = (name: string): string => path.join(repoRoot, 'node_modules', '.bin', name);

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes files (relative path -> content) under dir, creating folders. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
  });
}

export function initGitRepo(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
}

export function config(extra: Partial<TidemarkConfig> = {}): TidemarkConfig {
  return { metrics: {}, baseline: { maxAgeDays: 30 }, ...extra };
}

export function context(cwd: string, extra: Partial<TidemarkConfig> = {}, signal: AbortSignal = new AbortController().signal): CollectorContext {
  return { cwd, signal, config: config(extra), metric: 'test' };
}
