/**
 * The host end of the report's message channel, without VS Code: validates what the webview
 * sends, answers requests from the store and pushes updates. The extension's panel wires it
 * to a webview; tests wire it to a page in Chromium.
 */
import type { Logger } from '../types';
import { describeIssues, reportL10nSchema, webviewMessageSchema, type HostMessage, type Navigation, type ReportL10n, type ReportMeta, type WebviewMessage } from '../../shared/protocol';
import { ReportBackend, type ReportSource } from './backend';

export interface ReportHostOptions {
  source: () => Promise<ReportSource>;
  post: (message: HostMessage) => PromiseLike<unknown>;
  logger: Logger;
  /** Extra metadata merged into every ReportMeta (the panel adds the folder URI). */
  folderUri?: string;
  runAll: () => PromiseLike<unknown>;
  copy: (text: string) => PromiseLike<unknown>;
  /** Shows a commit (the Changes list); absent: the request is logged and ignored. */
  openCommit?: (commitSha: string) => PromiseLike<unknown>;
  /** The page's translations (VS Code's bundle and display language), sent before it shows anything; absent: English. */
  l10n?: ReportL10n;
}

export class ReportHost {
  private ready = false;
  /** The page shows "not available" (no history yet); a later retry may still open the report. */
  private unavailable = false;
  /** Counts ready handshakes, so a retry that finishes after the page was replaced sends nothing. */
  private pageGeneration = 0;
  private pendingNavigation: Navigation = {};
  /** Runs this page already holds (trend replies share most of their runs; each is sent once per page). */
  private readonly sentRuns = new Set<number>();
  /**
   * One backend per page, so its caches (HEAD's limits for the Trends bands) serve every request
   * of the page; a new one on `ready`, `retry()` and `sourceChanged()`.
   */
  private backend: Promise<ReportBackend> | undefined;
  /** How many backends this host made (the bench and tests read it). */
  backendsCreated = 0;

  /** The translations the page gets; a bundle beyond the protocol's limits is left out (English) rather than the page refusing to start. */
  private readonly translations: ReportL10n | undefined;

  constructor(private readonly options: ReportHostOptions) {
    this.translations = options.l10n && checkedL10n(options.l10n, options.logger);
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Shows a view (after the handshake, or as soon as it happens). */
  navigate(navigate: Navigation): void {
    if (Object.keys(navigate).length === 0) return;
    if (this.ready) void this.send({ type: 'navigate', navigate });
    else this.pendingNavigation = { ...this.pendingNavigation, ...navigate };
  }

  /** The folder's config, store or trust changed: the next request builds a new backend. */
  sourceChanged(): void {
    this.backend = undefined;
  }

  /** The webview went away (hidden without retained context, or reloaded): wait for its next ready. */
  reset(): void {
    this.ready = false;
    this.unavailable = false;
  }

  async receive(raw: unknown): Promise<void> {
    const parsed = webviewMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.options.logger.warn(`report: rejected a malformed message from the webview: ${describeIssues(parsed.error)}`);
      return;
    }
    try {
      await this.handle(parsed.data);
    } catch (error) {
      this.options.logger.error(`report: handling a ${parsed.data.type} message failed: ${(error as Error).message}`);
    }
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.sentRuns.clear();
        this.backend = undefined;
        this.ready = false;
        this.unavailable = false;
        const generation = ++this.pageGeneration;
        let meta: ReportMeta;
        try {
          meta = await this.meta();
        } catch (error) {
          if (generation !== this.pageGeneration) return;
          this.unavailable = true;
          await this.send({ type: 'unavailable', message: (error as Error).message, ...this.l10n() });
          return;
        }
        if (generation === this.pageGeneration) await this.init(meta);
        return;
      }
      case 'request': {
        const started = Date.now();
        try {
          const result = await (await this.currentBackend()).handle(message.request);
          if ('runs' in result) {
            result.runs = result.runs.filter((r) => !this.sentRuns.has(r.id));
            for (const r of result.runs) this.sentRuns.add(r.id);
          }
          await this.send({ type: 'reply', id: message.id, result });
          this.options.logger.debug(`report: ${message.request.kind} answered in ${Date.now() - started} ms`);
        } catch (error) {
          this.options.logger.error(`report: ${message.request.kind} failed: ${(error as Error).message}`);
          await this.send({ type: 'reply', id: message.id, error: (error as Error).message });
        }
        return;
      }
      case 'runAll':
        await this.options.runAll();
        return;
      case 'copy':
        await this.options.copy(message.text);
        return;
      case 'openCommit':
        if (this.options.openCommit) await this.options.openCommit(message.commitSha);
        else this.options.logger.info(`report: opening commit ${message.commitSha.slice(0, 10)} is not available here`);
        return;
    }
  }

  /**
   * The folder's history may have appeared (trust granted, store opened, first run recorded):
   * a page showing "not available" gets the report without being reopened.
   */
  async retry(): Promise<void> {
    if (!this.unavailable) return;
    this.unavailable = false;
    this.backend = undefined;
    const generation = this.pageGeneration;
    let meta: ReportMeta;
    try {
      meta = await this.meta();
    } catch {
      // Still no history: the page keeps its message.
      if (generation === this.pageGeneration && !this.ready) this.unavailable = true;
      return;
    }
    if (generation === this.pageGeneration && !this.ready) await this.init(meta);
  }

  /** A run was recorded in this folder's store: the open report refreshes in place (or appears). */
  async runRecorded(buildId: number): Promise<void> {
    return this.update({ type: 'runRecorded', buildId });
  }

  /**
   * HEAD moved in this folder: its head, baseline and judgements may differ, so the page's
   * backend (and what it cached) starts over and the open report shows the new head in place.
   */
  async headMoved(): Promise<void> {
    this.backend = undefined;
    return this.update({ type: 'headMoved' });
  }

  /** The open page gets the new meta, then `change` (it reloads what it shows); a page showing "not available" is retried. */
  private async update(change: Extract<HostMessage, { type: 'runRecorded' | 'headMoved' }>): Promise<void> {
    if (this.unavailable) return this.retry();
    if (!this.ready) return;
    try {
      await this.send({ type: 'meta', meta: await this.meta() });
      await this.send(change);
    } catch (error) {
      this.options.logger.error(`report: could not update the open panel: ${(error as Error).message}`);
    }
  }

  private async init(meta: ReportMeta): Promise<void> {
    await this.send({ type: 'init', meta, navigate: this.pendingNavigation, ...this.l10n() });
    this.pendingNavigation = {};
    this.ready = true;
  }

  private l10n(): { l10n?: ReportL10n } {
    return this.translations ? { l10n: this.translations } : {};
  }

  /** Posts to the page; a page that went away (closed, reloading) is not an error worth throwing. */
  private async send(message: HostMessage): Promise<void> {
    try {
      await this.options.post(message);
    } catch (error) {
      this.options.logger.debug(`report: could not post ${message.type} (the page went away?): ${(error as Error).message}`);
    }
  }

  private currentBackend(): Promise<ReportBackend> {
    if (!this.backend) {
      const backend = this.options.source().then((source) => {
        this.backendsCreated++;
        return new ReportBackend(source);
      });
      this.backend = backend;
      // A source that failed (no history yet) is asked again next time.
      backend.catch(() => {
        if (this.backend === backend) this.backend = undefined;
      });
    }
    return this.backend;
  }

  private async meta(): Promise<ReportMeta> {
    const meta = await (await this.currentBackend()).meta();
    return this.options.folderUri ? { ...meta, folderUri: this.options.folderUri } : meta;
  }
}

/** The translations as the page will validate them; what does not fit is dropped with a warning. */
function checkedL10n(l10n: ReportL10n, logger: Logger): ReportL10n | undefined {
  const parsed = reportL10nSchema.safeParse(l10n);
  if (parsed.success) return parsed.data;
  logger.warn(`report: the page is shown in English, its translations do not fit the protocol: ${describeIssues(parsed.error)}`);
  const language = reportL10nSchema.shape.language.safeParse(l10n.language);
  return language.success ? { language: language.data } : undefined;
}
