/** Shared helpers for the store tests: temp stores and build inputs. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MetricDefinitionInput, RecordBuildInput } from '../../../src/core/store/api';
import type { MetricResult, RunEvent } from '../../../src/core/types';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A deterministic, realistic 40-hex sha for a small number. */
export function sha(n: number): string {
  return createHash('sha1').update(`commit ${n}`).digest('hex');
}

export const DEFS: MetricDefinitionInput[] = [
  { id: 'bundle-size', type: 'numeric', unit: 'bytes', direction: 'lower-is-better', description: 'dist size' },
  { id: 'coverage', type: 'numeric', unit: 'percent', direction: 'higher-is-better' },
  { id: 'loc', type: 'numeric', unit: 'integer' },
  { id: 'node-version', type: 'label' },
];

export interface BuildSpec {
  commit: number;
  branch?: string;
  runId?: string;
  runNumber?: number;
  event?: RunEvent;
  /** Day of January 2025. */
  day: number;
  dirty?: boolean;
  values: Record<string, number | string | { status: MetricResult['status']; message: string }>;
}

export function buildInput(spec: BuildSpec, definitions: MetricDefinitionInput[] = DEFS): RecordBuildInput {
  return {
    build: {
      commitSha: sha(spec.commit),
      branch: spec.branch ?? 'main',
      runId: spec.runId ?? `run-${spec.commit}-${spec.day}`,
      runNumber: spec.runNumber,
      event: spec.event ?? 'manual',
      timestamp: new Date(Date.UTC(2025, 0, spec.day, 12)).toISOString(),
      dirty: spec.dirty ?? false,
    },
    definitions,
    results: Object.entries(spec.values).map(([metric, v]): MetricResult =>
      typeof v === 'object'
        ? { metric, status: v.status, value: null, durationMs: 12, message: v.message }
        : { metric, status: 'ok', value: v, durationMs: 12 },
    ),
  };
}

/** Waits for a condition with a deadline instead of sleeping a fixed time. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
