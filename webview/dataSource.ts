/**
 * Where the report gets its data. One interface, two implementations: the VS Code panel asks
 * the extension host over the webview message channel; the standalone HTML export answers
 * from the JSON inlined in the file.
 */
import {
  describeIssues,
  hostMessageSchema,
  replySchemas,
  webviewStateSchema,
  type Navigation,
  type ReportL10n,
  type ReportMeta,
  type ReportReplies,
  type ReportRequest,
  type WebviewMessage,
  type WebviewState,
} from '../src/shared/protocol';
import { StandaloneBackend, readInlinedSnapshot } from './standaloneBackend';

export interface DataSourceEvents {
  /** `l10n`: the page's translations (absent: English), installed before anything is shown. */
  init(meta: ReportMeta, navigate: Navigation, l10n: ReportL10n | undefined): void;
  meta(meta: ReportMeta): void;
  runRecorded(buildId: number): void;
  headMoved(): void;
  navigate(navigate: Navigation): void;
  unavailable(message: string, l10n: ReportL10n | undefined): void;
}

export interface DataSource {
  readonly standalone: boolean;
  start(events: DataSourceEvents): void;
  request<K extends ReportRequest['kind']>(request: ReportRequest & { kind: K }): Promise<ReportReplies[K]>;
  runAll(): void;
  copy(text: string): Promise<void>;
  /** Asks VS Code to show a commit (the exported file has no editor: it does nothing). */
  openCommit(commitSha: string): void;
  loadState(): WebviewState | undefined;
  saveState(state: WebviewState): void;
}

interface VsCodeApi {
  /** Typed by the protocol; the host validates it again (webviewMessageSchema). */
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

class PanelDataSource implements DataSource {
  readonly standalone = false;
  private readonly api = acquireVsCodeApi();
  private nextId = 1;
  private readonly pending = new Map<number, { kind: ReportRequest['kind']; resolve(v: unknown): void; reject(e: Error): void }>();

  start(events: DataSourceEvents): void {
    window.addEventListener('message', (event: MessageEvent) => {
      const parsed = hostMessageSchema.safeParse(event.data);
      if (!parsed.success) {
        console.error(`tidemark: rejected a malformed message from the host: ${describeIssues(parsed.error)}`);
        return;
      }
      const message = parsed.data;
      switch (message.type) {
        case 'init':
          return events.init(message.meta, message.navigate, message.l10n);
        case 'meta':
          return events.meta(message.meta);
        case 'runRecorded':
          return events.runRecorded(message.buildId);
        case 'headMoved':
          return events.headMoved();
        case 'navigate':
          return events.navigate(message.navigate);
        case 'unavailable':
          return events.unavailable(message.message, message.l10n);
        case 'reply':
          return this.settle(message.id, message.result, message.error);
      }
    });
    this.api.postMessage({ type: 'ready' });
  }

  private settle(id: number, result: unknown, error: string | undefined): void {
    const waiting = this.pending.get(id);
    if (!waiting) {
      console.error(`tidemark: reply to unknown request ${id}`);
      return;
    }
    this.pending.delete(id);
    if (error !== undefined) return waiting.reject(new Error(error));
    const parsed = replySchemas[waiting.kind].safeParse(result);
    if (parsed.success) waiting.resolve(parsed.data);
    else {
      const reason = `malformed ${waiting.kind} reply: ${describeIssues(parsed.error)}`;
      console.error(`tidemark: ${reason}`);
      waiting.reject(new Error(reason));
    }
  }

  request<K extends ReportRequest['kind']>(request: ReportRequest & { kind: K }): Promise<ReportReplies[K]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { kind: request.kind, resolve: resolve as (v: unknown) => void, reject });
      this.api.postMessage({ type: 'request', id, request });
    });
  }

  runAll(): void {
    this.api.postMessage({ type: 'runAll' });
  }

  openCommit(commitSha: string): void {
    this.api.postMessage({ type: 'openCommit', commitSha });
  }

  async copy(text: string): Promise<void> {
    this.api.postMessage({ type: 'copy', text });
  }

  loadState(): WebviewState | undefined {
    const parsed = webviewStateSchema.safeParse(this.api.getState());
    return parsed.success ? parsed.data : undefined;
  }

  saveState(state: WebviewState): void {
    this.api.setState(state);
  }
}

class StandaloneDataSource implements DataSource {
  readonly standalone = true;
  private state: WebviewState | undefined;
  constructor(private readonly backend: StandaloneBackend) {}

  start(events: DataSourceEvents): void {
    // An exported file is English (it is read outside VS Code, in no display language of its own).
    queueMicrotask(() => events.init(this.backend.snapshot.meta, this.backend.snapshot.navigate, undefined));
  }

  request<K extends ReportRequest['kind']>(request: ReportRequest & { kind: K }): Promise<ReportReplies[K]> {
    return Promise.resolve().then(() => this.backend.handle(request as ReportRequest) as ReportReplies[K]);
  }

  runAll(): void {}

  openCommit(): void {}

  async copy(text: string): Promise<void> {
    await navigator.clipboard.writeText(text);
  }

  loadState(): WebviewState | undefined {
    return this.state;
  }

  saveState(state: WebviewState): void {
    this.state = state;
  }
}

export function createDataSource(): DataSource {
  const snapshot = readInlinedSnapshot();
  return snapshot ? new StandaloneDataSource(new StandaloneBackend(snapshot)) : new PanelDataSource();
}
