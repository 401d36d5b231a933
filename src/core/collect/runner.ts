/**
 * Runs the configured metrics, several at a time, and turns each run into a MetricResult.
 * A metric's failure is a result, never an exception: the other metrics carry on.
 */
import { realpathSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Logger, MetricConfig, MetricResult, TidemarkConfig } from '../types';
import { silentLogger } from '../types';
import { lastNonEmptyLine, parseValue } from '../units';
import { ArgvSyntaxError, splitArgv } from './argv';
import { CollectorError, runCollectorWithParts, type CollectorOutput } from './collectors';
import { runShellCommand, type ShellOutcome } from './process';
import { StalenessCheck } from './staleness';
import { RunSteps } from './steps';

export interface RunMetricsOptions {
  cwd: string;
  config: TidemarkConfig;
  /** Metric ids to run; absent = all. Unknown ids are a caller error (thrown). */
  only?: string[];
  signal?: AbortSignal;
  /** Overrides config.concurrency; default the number of available cores. */
  concurrency?: number;
  logger?: Logger;
  /** Base environment of the commands; default process.env. */
  env?: NodeJS.ProcessEnv;
  onStart?(metric: string, pid: number | undefined): void;
  onResult?(result: MetricResult): void;
}

const COLLECTOR_PREFIX = '@collect';
/** How much of the output (stdout and stderr as written) a failure message quotes. */
const OUTPUT_TAIL_CHARS = 2000;

export function isCollectorCommand(command: string): boolean {
  const trimmed = command.trimStart();
  return trimmed === COLLECTOR_PREFIX || /^@collect\s/.test(trimmed);
}

/** Metric ids selected by `only`, in config order. Throws for ids the config does not have. */
export function selectMetrics(config: TidemarkConfig, only?: string[]): string[] {
  const ids = Object.keys(config.metrics);
  if (!only) return ids;
  const unknown = only.filter((id) => !Object.hasOwn(config.metrics, id));
  if (unknown.length) {
    throw new RangeError(`unknown metric${unknown.length > 1 ? 's' : ''} ${unknown.map((id) => `"${id}"`).join(', ')} (known: ${ids.join(', ')})`);
  }
  return ids.filter((id) => only.includes(id));
}

export async function runMetrics(options: RunMetricsOptions): Promise<MetricResult[]> {
  const ids = selectMetrics(options.config, options.only);
  const limit = Math.max(1, options.concurrency ?? options.config.concurrency ?? availableParallelism());
  const results: MetricResult[] = new Array(ids.length);
  let next = 0;
  const runStart = Date.now();
  const steps = new RunSteps(options.config, { cwd: options.cwd, env: options.env, signal: options.signal, logger: options.logger ?? silentLogger });
  const stale = new StalenessCheck(options.cwd, options.config, runStart);
  const setupFailure = ids.length ? await steps.setup() : null;
  if (setupFailure) {
    // Nothing to measure in a workspace that could not be prepared.
    return ids.map((metric) => {
      const result: MetricResult = { metric, status: setupFailure.status, value: null, durationMs: 0, message: setupFailure.message };
      options.onResult?.(result);
      return result;
    });
  }

  const worker = async () => {
    while (next < ids.length) {
      const index = next++;
      const id = ids[index];
      const result = await prepared(id, options.config.metrics[id], options, steps, stale);
      results[index] = result;
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, ids.length) }, worker));
  return results;
}

/** The metric's steps, then the stale-report rules, then the metric itself. */
async function prepared(metric: string, config: MetricConfig, options: RunMetricsOptions, steps: RunSteps, stale: StalenessCheck): Promise<MetricResult> {
  const started = performance.now();
  const failure = await steps.forMetric(config);
  const elapsed = () => Math.round(performance.now() - started);
  if (failure) return { metric, status: failure.status, value: null, durationMs: elapsed(), message: failure.message };
  const reason = await stale.reason(config);
  if (reason) {
    (options.logger ?? silentLogger).warn(`metric ${metric}: ${reason}`);
    return { metric, status: 'failed', value: null, durationMs: elapsed(), message: reason };
  }
  return runOne(metric, config, options);
}

async function runOne(metric: string, config: MetricConfig, options: RunMetricsOptions): Promise<MetricResult> {
  const logger = options.logger ?? silentLogger;
  if (options.signal?.aborted) {
    return { metric, status: 'cancelled', value: null, durationMs: 0, message: 'cancelled before it started' };
  }
  const result = isCollectorCommand(config.command)
    ? await runCollectorMetric(metric, config, options)
    : await runShellMetric(metric, config, options);
  const exit = result.exitCode === undefined ? '' : `, exit ${result.exitCode ?? 'none'}`;
  const line = `metric ${metric}: pid ${result.pid ?? '-'}, ${result.durationMs} ms${exit}, ${result.status}`;
  if (result.status === 'ok') logger.info(line);
  else logger.warn(`${line}: ${result.message ?? ''}`);
  return result;
}

async function runShellMetric(metric: string, config: MetricConfig, options: RunMetricsOptions): Promise<MetricResult> {
  const env = { ...(options.env ?? process.env), TIDEMARK_METRIC: metric, TIDEMARK_WORKSPACE: options.cwd };
  const run = await runShellCommand(config.command, {
    cwd: options.cwd,
    env,
    timeoutMs: config.timeout,
    signal: options.signal,
    onSpawn: (pid) => options.onStart?.(metric, pid),
  });
  const base = { metric, durationMs: run.durationMs, pid: run.pid };
  switch (run.end.kind) {
    case 'timeout':
      return { ...base, status: 'timeout', value: null, exitCode: null, message: `timed out after ${formatMs(config.timeout)}` };
    case 'cancelled':
      return { ...base, status: 'cancelled', value: null, exitCode: null, message: 'cancelled' };
    case 'spawn-error':
      return { ...base, status: 'failed', value: null, exitCode: null, message: `could not start: ${run.end.message}` };
    case 'exited': {
      const { exitCode, signal } = run.end;
      if (exitCode !== 0) {
        const how = exitCode === null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
        return { ...base, status: 'failed', value: null, exitCode, message: withOutput(how, run) };
      }
      return { ...base, exitCode, ...valueFrom(run.stdout, config) };
    }
  }
}

async function runCollectorMetric(metric: string, config: MetricConfig, options: RunMetricsOptions): Promise<MetricResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  options.onStart?.(metric, undefined);
  let argv: string[];
  try {
    argv = splitArgv(config.command.trimStart()).slice(1);
  } catch (error) {
    if (!(error instanceof ArgvSyntaxError)) throw error;
    return { metric, status: 'failed', value: null, durationMs: elapsed(), message: `cannot read the @collect command: ${error.message}` };
  }

  // The collector sees one signal for both ways of stopping; the race below makes sure a
  // collector that ignores it still cannot hold the run.
  const controller = new AbortController();
  let stopped: 'timeout' | 'cancelled' | undefined;
  let wake: () => void = () => undefined;
  const stoppedPromise = new Promise<void>((resolve) => (wake = resolve));
  const stop = (reason: 'timeout' | 'cancelled') => {
    if (stopped) return;
    stopped = reason;
    controller.abort(new Error(reason));
    wake();
  };
  const timer = setTimeout(() => stop('timeout'), config.timeout);
  const onAbort = () => stop('cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const work = runCollectorWithParts(argv, { cwd: options.cwd, signal: controller.signal, config: options.config, metric });
    work.catch(() => undefined); // settled after a stop: nobody is listening any more
    const output: CollectorOutput | undefined = await Promise.race([work, stoppedPromise.then(() => undefined)]);
    if (stopped === 'timeout') return { metric, status: 'timeout', value: null, durationMs: elapsed(), message: `timed out after ${formatMs(config.timeout)}` };
    if (stopped === 'cancelled') return { metric, status: 'cancelled', value: null, durationMs: elapsed(), message: 'cancelled' };
    const result: MetricResult = { metric, durationMs: elapsed(), ...valueFrom(output?.text ?? '', config, false) };
    if (result.status === 'ok' && output?.parts && Object.keys(output.parts).length) result.parts = output.parts;
    return result;
  } catch (error) {
    if (stopped) return { metric, status: stopped, value: null, durationMs: elapsed(), message: stopped === 'timeout' ? `timed out after ${formatMs(config.timeout)}` : 'cancelled' };
    // Outcomes travel (git notes, exports) to other machines: no absolute path of this one.
    const message = workspaceRelative(error instanceof Error ? error.message : String(error), options.cwd);
    if (error instanceof CollectorError) return { metric, status: 'invalid-output', value: null, durationMs: elapsed(), message };
    return { metric, status: 'failed', value: null, durationMs: elapsed(), message: `collector failed: ${message}` };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function valueFrom(stdout: string, config: MetricConfig, showText = true): Pick<MetricResult, 'status' | 'value' | 'message'> {
  const line = lastNonEmptyLine(stdout);
  if (line === undefined) return { status: 'invalid-output', value: null, message: 'printed nothing' };
  const parsed = parseValue(line, config.type, config.unit);
  if (!parsed.ok && !showText) return { status: 'invalid-output', value: null, message: `the collected value: ${withoutText(parsed.reason, line)}` };
  if (!parsed.ok) return { status: 'invalid-output', value: null, message: `last line of output: ${parsed.reason}` };
  return { status: 'ok', value: parsed.value };
}

/** A parse failure's reason with the quoted value replaced (units.ts quotes the text it could not read). */
function withoutText(reason: string, text: string): string {
  const trimmed = text.trim();
  const quoted = JSON.stringify(trimmed.length > 60 ? `${trimmed.slice(0, 57)}...` : trimmed);
  return reason.split(quoted).join('the value');
}

/**
 * The failure and the tail of what the command printed on both streams, in the order written:
 * compilers (tsc, go build) report errors on stdout, others on stderr.
 */
/** A built-in collector's failure message with the workspace folder's absolute path made relative ("." for the folder itself). */
export function workspaceRelative(message: string, cwd: string): string {
  const roots = new Set([path.resolve(cwd)]);
  try {
    roots.add(realpathSync(cwd));
  } catch {
    // a folder that is gone has no other spelling
  }
  let shown = message;
  // Longest first: one spelling may contain the other (/private/tmp/x and /tmp/x).
  for (const root of [...roots].sort((a, b) => b.length - a.length)) {
    if (root === path.parse(root).root) continue;
    const escaped = root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const sep = path.sep.replace(/\\/g, '\\\\');
    shown = shown.replace(new RegExp(`${escaped}${sep}`, 'g'), '').replace(new RegExp(`${escaped}(?![\\w-]|\\.\\w)`, 'g'), '.');
  }
  return shown;
}

export function withOutput(what: string, run: Pick<ShellOutcome, 'output'>): string {
  const output = run.output.trim();
  if (output === '') return what;
  const tail = output.length > OUTPUT_TAIL_CHARS ? `…${output.slice(-OUTPUT_TAIL_CHARS)}` : output;
  return `${what}: ${tail}`;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
