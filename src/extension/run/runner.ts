/**
 * Runs metrics for a folder and records them: one run per folder at a time, requests made
 * during a run coalesce into a single follow-up run, and stop() (or disposal) aborts the
 * running commands, whose process trees the engine kills.
 */
import * as vscode from 'vscode';
import { collectAndRecord } from '../../core/engine';
import type { BuildRecord, MetricResult } from '../../core/types';
import { Disposable } from '../common/disposable';
import type { FolderModelImpl } from '../folders/folderModel';
import type { FolderRegistry } from '../folders/folderRegistry';
import { countOf } from '../common/plural';
import { folderSettings } from '../folders/settings';

export type RunTrigger = 'manual' | 'save';

export interface RunRequest {
  /** Absent: every metric of the config. */
  metrics?: readonly string[];
  trigger: RunTrigger;
}

/** How a run request ended: recorded, refused or cancelled (a metric's stored outcome in a run is the store's RunOutcome). */
export type RefusalCause = 'restricted' | 'config-problems';

export type RunCompletion =
  | { kind: 'recorded'; build: BuildRecord; results: MetricResult[]; rejected: { metric: string; message: string }[] }
  /** `cause` says which button the refusal's toast offers (Manage Workspace Trust, Show Problems). */
  | { kind: 'refused'; reason: string; cause?: RefusalCause }
  | { kind: 'cancelled' };

interface Queued {
  metrics: Set<string> | 'all';
  trigger: RunTrigger;
  waiters: ((outcome: RunCompletion) => void)[];
}

interface Active {
  controller: AbortController;
  metricCount: number;
}

export class Runner extends Disposable {
  private readonly active = new Map<FolderModelImpl, Active>();
  private readonly queued = new Map<FolderModelImpl, Queued>();
  private readonly runningChanged = this.register(new vscode.EventEmitter<void>());
  private readonly stopped = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeRunning = this.runningChanged.event;
  /** The user stopped everything: scheduled runs (e.g. pending saves) are dropped too. */
  readonly onDidStop = this.stopped.event;

  constructor(private readonly registry: FolderRegistry) {
    super();
  }

  get isRunning(): boolean {
    return this.active.size > 0;
  }

  isRunningIn(model: FolderModelImpl): boolean {
    return this.active.has(model);
  }

  /** Resolves when the requested metrics have been run and recorded (possibly in a follow-up run). */
  run(model: FolderModelImpl, request: RunRequest): Promise<RunCompletion> {
    const refusal = this.refusal(model);
    if (refusal) return Promise.resolve({ kind: 'refused', ...refusal });
    if (this.active.has(model)) return this.enqueue(model, request);
    return this.start(model, request.metrics ? new Set(request.metrics) : 'all', request.trigger);
  }

  /** Aborts every running run and drops the queued follow-ups. */
  stop(): void {
    this.stopped.fire();
    for (const [model, queued] of this.queued) {
      this.queued.delete(model);
      for (const resolve of queued.waiters) resolve({ kind: 'cancelled' });
    }
    for (const [model, active] of this.active) {
      this.registry.log.info(`${model.folder.name}: stopping ${countOf(active.metricCount, 'running metric', 'running metrics')}`);
      active.controller.abort();
    }
  }

  private refusal(model: FolderModelImpl): { reason: string; cause?: RefusalCause } | undefined {
    if (!vscode.workspace.isTrusted) return { reason: vscode.l10n.t('Restricted Mode: Tidemark runs no command.'), cause: 'restricted' };
    if (!model.hasConfigFile) return { reason: vscode.l10n.t('{0} has no tidemark.json.', model.folder.name) };
    if (!model.config) return { reason: vscode.l10n.t("Fix the problems in {0}'s tidemark.json first.", model.folder.name), cause: 'config-problems' };
    return undefined;
  }

  private enqueue(model: FolderModelImpl, request: RunRequest): Promise<RunCompletion> {
    const queued = this.queued.get(model) ?? { metrics: new Set<string>(), trigger: request.trigger, waiters: [] };
    if (!request.metrics || queued.metrics === 'all') queued.metrics = 'all';
    else for (const m of request.metrics) queued.metrics.add(m);
    // A manual request makes the follow-up manual: the user asked for it.
    if (request.trigger === 'manual') queued.trigger = 'manual';
    this.queued.set(model, queued);
    return new Promise((resolve) => queued.waiters.push(resolve));
  }

  private async start(model: FolderModelImpl, metrics: Set<string> | 'all', trigger: RunTrigger): Promise<RunCompletion> {
    const controller = new AbortController();
    const config = model.config;
    const log = this.registry.log;
    const only = metrics === 'all' || !config ? undefined : [...metrics].filter((m) => m in config.metrics);
    const count = only?.length ?? Object.keys(config?.metrics ?? {}).length;
    this.active.set(model, { controller, metricCount: count });
    this.runningChanged.fire();
    const started = performance.now();
    let outcome: RunCompletion;
    try {
      const refusal = this.refusal(model);
      if (refusal || !config) {
        outcome = { kind: 'refused', ...(refusal ?? { reason: 'no config' }) };
      } else if (only && only.length === 0) {
        outcome = { kind: 'refused', reason: vscode.l10n.t('None of the requested metrics is in tidemark.json any more.') };
      } else {
        log.info(`${model.folder.name}: ${trigger} run of ${only ? only.join(', ') : `all ${count} metrics`}`);
        const store = await model.store();
        const settings = folderSettings(model.folder);
        const result = await collectAndRecord({
          cwd: model.cwd,
          config,
          store,
          event: trigger,
          only,
          signal: controller.signal,
          concurrency: settings.concurrency || config.concurrency,
          logger: log,
          // The engine logs each result (pid, duration, exit, status) through `logger`.
          onStart: (metric, pid) => log.info(`${model.folder.name}: ${metric} started (pid ${pid ?? '—'})`),
        });
        for (const r of result.rejected) log.warn(`${model.folder.name}: ${r.metric} not stored: ${r.message}`);
        log.info(`${model.folder.name}: run #${result.build.runNumber} recorded in ${Math.round(performance.now() - started)} ms`);
        this.registry.notifyRecorded(model, result.build);
        outcome = controller.signal.aborted ? { kind: 'cancelled' } : { kind: 'recorded', ...result };
      }
    } catch (error) {
      if (controller.signal.aborted) {
        log.info(`${model.folder.name}: run stopped`);
        outcome = { kind: 'cancelled' };
      } else {
        log.error(`${model.folder.name}: run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        outcome = { kind: 'refused', reason: error instanceof Error ? error.message : String(error) };
      }
    } finally {
      this.active.delete(model);
    }
    this.startQueued(model);
    this.runningChanged.fire();
    return outcome;
  }

  private startQueued(model: FolderModelImpl): void {
    const queued = this.queued.get(model);
    if (!queued || this.isDisposed) return;
    this.queued.delete(model);
    void this.start(model, queued.metrics, queued.trigger).then((outcome) => queued.waiters.forEach((resolve) => resolve(outcome)));
  }

  override dispose(): void {
    this.stop();
    super.dispose();
  }
}
