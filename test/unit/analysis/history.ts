/**
 * Real git repositories and a real store for baseline tests: commits with chosen dates,
 * runs recorded against them like `tidemark collect` would.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore } from '../../../src/core/store';
import type { StoreApi } from '../../../src/core/store/api';
import type { BuildRecord, MetricConfig, RunEvent, TidemarkConfig } from '../../../src/core/types';

export const DAY = 24 * 60 * 60 * 1000;
/** A fixed "now" so dates in tests never depend on the wall clock. */
export const NOW = new Date('2026-06-01T12:00:00Z');

export function daysAgo(days: number): string {
  return new Date(NOW.getTime() - days * DAY).toISOString();
}

export class Repo {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
  store!: StoreApi;
  private clock = 0;

  static async create(): Promise<Repo> {
    const repo = new Repo();
    try {
      repo.git('init', '-q', '-b', 'main');
      repo.git('config', 'user.email', 'test@example.com');
      repo.git('config', 'user.name', 'Test');
      repo.git('config', 'commit.gpgsign', 'false');
      fs.mkdirSync(path.join(repo.dir, '.tidemark'));
      repo.store = await openStore(path.join(repo.dir, '.tidemark', 'tidemark.db'));
      return repo;
    } catch (error) {
      fs.rmSync(repo.dir, { recursive: true, force: true });
      throw error;
    }
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', env: { ...process.env, ...this.dates() } }).trim();
  }

  /** Commit dates run forward one hour per commit unless given. */
  private dates(at?: string): NodeJS.ProcessEnv {
    const when = at ?? new Date(NOW.getTime() - 60 * DAY + this.clock * 3600_000).toISOString();
    return { GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when };
  }

  commit(message: string, at?: string): string {
    this.clock++;
    // One file per commit, so branches merge and rebase without conflicts.
    const file = `${message}.txt`;
    fs.writeFileSync(path.join(this.dir, file), `${message}\n`);
    execFileSync('git', ['add', file], { cwd: this.dir });
    execFileSync('git', ['commit', '-q', '-m', message], { cwd: this.dir, env: { ...process.env, ...this.dates(at) } });
    return this.git('rev-parse', 'HEAD');
  }

  /**
   * `count` commits (no files) on `branch`, written by one `git fast-import`, an hour apart from
   * `from` on; their shas, oldest first. The branch starts from its tip, or is created.
   */
  commitMany(count: number, branch = 'main', from = new Date(NOW.getTime() - 300 * DAY)): string[] {
    const tip = this.tryGit('rev-parse', '--verify', '-q', `refs/heads/${branch}`);
    let script = '';
    for (let i = 0; i < count; i++) {
      const seconds = Math.floor(from.getTime() / 1000) + i * 3600;
      const parent = i > 0 ? `from :${i}\n` : tip ? `from ${tip}\n` : '';
      script += `commit refs/heads/${branch}\nmark :${i + 1}\ncommitter Test <test@example.com> ${seconds} +0000\ndata 3\nc${i % 10}\n${parent}\n`;
    }
    execFileSync('git', ['fast-import', '--quiet'], { cwd: this.dir, input: script });
    return this.git('rev-list', '--reverse', `--max-count=${count}`, branch).split('\n');
  }

  private tryGit(...args: string[]): string | null {
    try {
      return this.git(...args);
    } catch {
      return null;
    }
  }

  async record(
    sha: string,
    branch: string,
    values: Record<string, number>,
    options: { timestamp?: string; dirty?: boolean; event?: RunEvent } = {},
  ): Promise<BuildRecord> {
    const outcome = await this.store.recordBuild({
      build: {
        commitSha: sha,
        branch,
        runId: `test-${Math.random().toString(16).slice(2)}`,
        event: options.event ?? 'ci',
        timestamp: options.timestamp ?? new Date(NOW.getTime() - 30 * DAY + ++this.clock * 3600_000).toISOString(),
        dirty: options.dirty ?? false,
      },
      definitions: Object.keys(values).map((id) => ({ id, type: 'numeric', unit: 'bytes', direction: 'lower-is-better' })),
      results: Object.entries(values).map(([metric, value]) => ({ metric, status: 'ok', value, durationMs: 1 })),
    });
    assert(outcome.rejected.length === 0, JSON.stringify(outcome.rejected));
    return outcome.build;
  }

  async close(): Promise<void> {
    await this.store.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function assert(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

export function configWith(metrics: Record<string, Partial<MetricConfig>>, baseline: Partial<TidemarkConfig['baseline']> = {}): TidemarkConfig {
  const full: Record<string, MetricConfig> = {};
  for (const [id, m] of Object.entries(metrics)) {
    full[id] = { type: 'numeric', command: 'true', unit: 'bytes', direction: 'lower-is-better', timeout: 60000, onSave: false, ...m };
  }
  return { metrics: full, baseline: { referenceBranch: 'main', maxAgeDays: 90, ...baseline } };
}
