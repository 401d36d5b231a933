/**
 * A real store on disk with a small, varied history for the report tests: two ordinary
 * branches, one branch with a hostile name, every unit, a label metric whose values are
 * markup, a metric that never succeeded and dirty on-save runs.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MetricDefinitionInput, StoreApi } from '../../src/core/store/api';
import { openStore } from '../../src/core/store';
import type { MetricResult, RunEvent } from '../../src/core/types';
import type { ReportSource } from '../../src/core/report/backend';

export const HOSTILE = {
  label: '<img src=x onerror=alert(1)>',
  branch: '"><script>alert(2)</script>',
  metricName: '<b onmouseover=alert(3)>Hostile & "quoted"</b>',
  error: '</script><script>alert(4)</script>\u2028',
  folder: '<svg onload=alert(5)>',
};

export const DEFINITIONS: MetricDefinitionInput[] = [
  { id: 'bundle-size', type: 'numeric', unit: 'bytes', direction: 'lower-is-better', name: 'Bundle size', description: 'dist/ in bytes' },
  { id: 'coverage', type: 'numeric', unit: 'percent', direction: 'higher-is-better', name: 'Coverage' },
  { id: 'build-time', type: 'numeric', unit: 'duration', direction: 'lower-is-better', name: 'Build time' },
  { id: 'loc', type: 'numeric', unit: 'integer', name: 'Lines of code' },
  { id: 'node-version', type: 'label', name: 'Node version' },
  { id: 'hostile', type: 'label', name: HOSTILE.metricName },
  { id: 'lint-warnings', type: 'numeric', unit: 'integer', direction: 'lower-is-better', name: 'Lint warnings' },
];

export function sha(n: number): string {
  return createHash('sha1').update(`commit ${n}`).digest('hex');
}

export interface Fixture {
  dir: string;
  dbPath: string;
  store: StoreApi;
  source: ReportSource;
  now: number;
  close(): Promise<void>;
}

const HOUR = 3_600_000;

/** Records `runs` runs spread over the last ~20 days before `now`. */
export async function createFixture(options: { runs?: number; now?: number } = {}): Promise<Fixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidemark-'));
  const dbPath = path.join(dir, 'tidemark.db');
  const store = await openStore(dbPath);
  const now = options.now ?? Date.UTC(2026, 0, 31, 12);
  const runs = options.runs ?? 40;
  for (let i = 0; i < runs; i++) {
    const branch = i % 5 === 3 ? 'feature/faster' : i === runs - 3 ? HOSTILE.branch : 'main';
    const dirty = i % 7 === 6;
    const event: RunEvent = dirty ? 'save' : i % 4 === 0 ? 'ci' : 'manual';
    const feature = branch === 'feature/faster';
    const results: MetricResult[] = [
      { metric: 'bundle-size', status: 'ok', value: 1_200_000 + i * 3_500 + (feature ? -90_000 : 0) + (i === 25 ? 400_000 : 0), durationMs: 40 },
      { metric: 'coverage', status: 'ok', value: 71 + (i % 9) * 0.6 + (feature ? 2.5 : 0), durationMs: 900 },
      { metric: 'build-time', status: 'ok', value: 42 + ((i * 7) % 13) - (feature ? 8 : 0), durationMs: 42_000 },
      i === runs - 2
        ? { metric: 'loc', status: 'failed', value: null, durationMs: 5, message: 'cloc: command not found (exit 127)', exitCode: 127 }
        : { metric: 'loc', status: 'ok', value: 18_000 + i * 37, durationMs: 300 },
      { metric: 'node-version', status: 'ok', value: i < runs / 2 ? 'v20.11.0' : 'v22.3.0', durationMs: 20 },
      { metric: 'hostile', status: 'ok', value: i % 2 ? HOSTILE.label : 'plain', durationMs: 5 },
      { metric: 'lint-warnings', status: 'failed', value: null, durationMs: 700, message: i === runs - 2 ? HOSTILE.error : 'eslint exited with 2', exitCode: 2 },
    ];
    await store.recordBuild({
      build: {
        commitSha: sha(dirty ? i - 1 : i),
        branch,
        runId: `run-${i}`,
        event,
        timestamp: new Date(now - (runs - i) * 12 * HOUR).toISOString(),
        dirty,
      },
      definitions: DEFINITIONS,
      results,
    });
  }
  const source: ReportSource = {
    store,
    folderName: HOSTILE.folder,
    currentBranch: async () => 'feature/faster',
    referenceBranch: async () => 'main',
    now: () => now,
  };
  return {
    dir,
    dbPath,
    store,
    source,
    now,
    async close() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
