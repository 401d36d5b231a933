import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MetricConfig, TidemarkConfig } from '../../../src/core/types';

export type MetricSpec = Partial<MetricConfig> & { command: string };

export function makeConfig(metrics: Record<string, MetricSpec>, concurrency?: number): TidemarkConfig {
  const full: Record<string, MetricConfig> = {};
  for (const [id, spec] of Object.entries(metrics)) full[id] = { type: 'numeric', timeout: 20_000, onSave: false, ...spec };
  return { metrics: full, baseline: { maxAgeDays: 30 }, ...(concurrency === undefined ? {} : { concurrency }) };
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Whether a process still runs. An orphan that died but was not reaped (a container's init
 * may not reap) still answers kill(pid, 0); on Linux its state tells it is a zombie.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Waits until `condition` holds, failing after `ms`. */
export async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
