/**
 * Setup commands and named steps of one run. Setup runs once, in order, before any metric; a
 * named step runs at most once per run, when the first metric that depends on it starts, and
 * every dependant waits for it. A failed, timed-out or cancelled step fails its dependants
 * with the step's output tail. Steps run through runShellCommand, so timeouts and cancellation
 * kill their whole process tree like any metric command.
 */
import type { Logger, MetricConfig, MetricResult, StepConfig, TidemarkConfig } from '../types';
import { DEFAULT_STEP_TIMEOUT_MS } from '../config/schema';
import { runShellCommand, type ShellOutcome } from './process';

const OUTPUT_TAIL_CHARS = 2000;

export interface StepFailure {
  status: Extract<MetricResult['status'], 'failed' | 'timeout' | 'cancelled'>;
  message: string;
}

/** The setup commands of a config, as steps. */
export function setupSteps(config: TidemarkConfig): StepConfig[] {
  const setup = config.setup;
  if (setup === undefined) return [];
  const list = typeof setup === 'string' ? [setup] : setup;
  return list.map((s) => (typeof s === 'string' ? { command: s, timeout: DEFAULT_STEP_TIMEOUT_MS } : s));
}

export function dependsOnOf(metric: MetricConfig): string[] {
  const d = metric.dependsOn;
  return d === undefined ? [] : typeof d === 'string' ? [d] : d;
}

export interface StepRunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  logger: Logger;
}

export class RunSteps {
  private readonly started = new Map<string, Promise<StepFailure | null>>();

  constructor(
    private readonly config: TidemarkConfig,
    private readonly options: StepRunOptions,
  ) {}

  /** Runs the setup commands in order; the first failure stops them. */
  async setup(): Promise<StepFailure | null> {
    const steps = setupSteps(this.config);
    for (const [i, step] of steps.entries()) {
      const failure = await this.run(`setup${steps.length > 1 ? ` ${i + 1}/${steps.length}` : ''}`, step);
      if (failure) return failure;
    }
    return null;
  }

  /** Runs (once) the metric's steps in order; the first failure is the metric's. */
  async forMetric(metric: MetricConfig): Promise<StepFailure | null> {
    for (const id of dependsOnOf(metric)) {
      const step = this.config.steps?.[id];
      if (!step) return { status: 'failed', message: `step "${id}" is not defined in "steps"` };
      let run = this.started.get(id);
      if (!run) {
        run = this.run(`step "${id}"`, step);
        this.started.set(id, run);
      }
      const failure = await run;
      if (failure) return failure;
    }
    return null;
  }

  private async run(name: string, step: StepConfig): Promise<StepFailure | null> {
    const { logger } = this.options;
    if (this.options.signal?.aborted) return { status: 'cancelled', message: `${name} was cancelled before it started` };
    const env = { ...(this.options.env ?? process.env), TIDEMARK_STEP: name, TIDEMARK_WORKSPACE: this.options.cwd };
    logger.info(`${name}: ${step.command}`);
    const run = await runShellCommand(step.command, { cwd: this.options.cwd, env, timeoutMs: step.timeout, signal: this.options.signal });
    const line = `${name}: pid ${run.pid ?? '-'}, ${run.durationMs} ms`;
    switch (run.end.kind) {
      case 'timeout':
        logger.warn(`${line}, timed out`);
        return { status: 'timeout', message: withTail(`${name} (${step.command}) timed out after ${step.timeout / 1000} s`, run) };
      case 'cancelled':
        return { status: 'cancelled', message: `${name} (${step.command}) was cancelled` };
      case 'spawn-error':
        return { status: 'failed', message: `${name} (${step.command}) could not start: ${run.end.message}` };
      case 'exited': {
        const { exitCode, signal } = run.end;
        if (exitCode === 0) {
          logger.info(`${line}, ok`);
          return null;
        }
        logger.warn(`${line}, exit ${exitCode ?? signal}`);
        const how = exitCode === null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
        return { status: 'failed', message: withTail(`${name} (${step.command}) ${how}`, run) };
      }
    }
  }
}

function withTail(what: string, run: ShellOutcome): string {
  const output = (run.stderr.trim() ? run.stderr : run.stdout).trimEnd();
  if (output === '') return what;
  const tail = output.length > OUTPUT_TAIL_CHARS ? `…${output.slice(-OUTPUT_TAIL_CHARS)}` : output;
  return `${what}: ${tail}`;
}
