import { collectAndRecord } from '../../core/engine';
import { formatValue } from '../../core/units';
import type { MetricResult, RunEvent, TidemarkConfig } from '../../core/types';
import { booleanFlag, stringFlag, type CliCommand, type CliContext } from '../context';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_STRICT_FAILURES, UsageError } from '../errors';
import { formatTable } from '../table';

const COLLECT_EVENTS: RunEvent[] = ['manual', 'save', 'ci'];

/** CI=true (or 1) marks runs as `ci` unless --event says otherwise. */
function defaultEvent(env: NodeJS.ProcessEnv): RunEvent {
  return /^(true|1)$/i.test(env.CI ?? '') ? 'ci' : 'manual';
}

function parseEvent(ctx: CliContext): RunEvent {
  const given = stringFlag(ctx, 'event');
  if (given === undefined) return defaultEvent(ctx.env);
  if (!(COLLECT_EVENTS as string[]).includes(given)) throw new UsageError(`--event must be one of ${COLLECT_EVENTS.join(', ')} (got "${given}")`);
  return given as RunEvent;
}

function parseOnly(ctx: CliContext, config: TidemarkConfig): string[] | undefined {
  const given = stringFlag(ctx, 'only');
  if (given === undefined) return undefined;
  const ids = given.split(',').map((s) => s.trim());
  if (ids.some((id) => id === '')) throw new UsageError(`--only: empty metric name in "${given}"`);
  const unknown = ids.filter((id) => !Object.hasOwn(config.metrics, id));
  if (unknown.length) {
    throw new UsageError(`--only: unknown metric ${unknown.map((id) => `"${id}"`).join(', ')} (configured: ${Object.keys(config.metrics).join(', ')})`);
  }
  return ids;
}

function durationText(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function humanReport(ctx: CliContext, config: TidemarkConfig, results: MetricResult[]): string {
  const rows = results.map((r) => [
    r.metric,
    r.status,
    r.status === 'ok' ? formatValue(r.value, config.metrics[r.metric].unit) : '',
    durationText(r.durationMs),
    (r.message ?? '').replace(/\s*\n\s*/g, ' ⏎ '),
  ]);
  return formatTable(['Metric', 'Status', 'Value', 'Time', 'Message'], rows, ['left', 'left', 'right', 'right', 'left']);
}

export const command: CliCommand = {
  name: 'collect',
  summary: 'Run the configured metrics and record the results as one run.',
  usage: 'tidemark collect [--event manual|save|ci] [--branch B] [--only a,b] [--strict]',
  details: [
    'Options:',
    '  --event E       what triggered the run (default: ci when CI=true, else manual)',
    '  --branch B      branch to record (default: the current branch, else GITHUB_HEAD_REF/GITHUB_REF_NAME, else HEAD)',
    '  --only a,b      run only these metrics',
    '  --strict        exit 3 if any metric did not produce a value',
    '',
    'The run is recorded even when some metrics fail (their failure is recorded, not a value).',
    'Ctrl-C stops the running commands (their whole process trees) and records nothing.',
    'JSON: {"build":{"id","commitSha","branch","runId","runNumber","event","timestamp","dirty"},',
    '       "results":[{"metric","status","value","durationMs","message"}],"rejected":[{"metric","message"}]}',
  ],
  options: { event: 'string', branch: 'string', only: 'string', strict: 'boolean' },
  async run(ctx) {
    const event = parseEvent(ctx);
    const config = await ctx.loadConfig();
    const only = parseOnly(ctx, config);
    // Opened while git reads the context (loading sql.js overlaps that process); collectAndRecord
    // awaits it before any metric command runs.
    const store = ctx.openStore();
    store.catch(() => undefined); // awaited (and its error reported) by collectAndRecord
    let outcome;
    try {
      outcome = await collectAndRecord({
        cwd: ctx.cwd,
        config,
        store,
        event,
        branch: stringFlag(ctx, 'branch'),
        only,
        signal: ctx.signal,
        logger: ctx.logger,
        env: ctx.env,
      });
    } catch (error) {
      if (!ctx.signal.aborted) throw error;
      ctx.err('tidemark collect: interrupted; running commands were stopped and nothing was recorded');
      return EXIT_INTERRUPTED;
    }
    const { build, results, rejected } = outcome;
    if (ctx.json) {
      ctx.out(
        JSON.stringify({
          build: {
            id: build.id,
            commitSha: build.commitSha,
            branch: build.branch,
            runId: build.runId,
            runNumber: build.runNumber,
            event: build.event,
            timestamp: build.timestamp,
            dirty: build.dirty,
          },
          results: results.map((r) => ({ metric: r.metric, status: r.status, value: r.value, durationMs: r.durationMs, message: r.message ?? null })),
          rejected,
        }),
      );
    } else {
      ctx.out(humanReport(ctx, config, results));
      const ok = results.filter((r) => r.status === 'ok').length;
      const where = `${build.branch} @ ${build.commitSha.slice(0, 8)}${build.dirty ? ' (uncommitted changes)' : ''}`;
      ctx.out(`\nRecorded run #${build.runNumber} on ${where}, event ${build.event}: ${ok} of ${results.length} metrics ok.`);
    }
    for (const r of rejected) ctx.err(`not stored: ${r.metric}: ${r.message}`);
    const incomplete = results.some((r) => r.status !== 'ok') || rejected.length > 0;
    return booleanFlag(ctx, 'strict') && incomplete ? EXIT_STRICT_FAILURES : EXIT_OK;
  },
};
