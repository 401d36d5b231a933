/**
 * The report app: header, the three views in tabs, the drill-down, state persistence and
 * live updates. Data comes from a DataSource (the VS Code host or the inlined export).
 */
import { l10n } from '../src/shared/l10n';
import { VIEWS, type Navigation, type ReportMeta, type ReportView, type RunRow, type WebviewState } from '../src/shared/protocol';
import type { AppContext } from './context';
import type { DataSource } from './dataSource';
import { button, el, replaceChildren } from './dom';
import { formatTime } from './format';
import { installTranslations } from './translations';
import { onThemeChange, readTheme, type ChartTheme } from './theme';
import { CompareView } from './views/compare';
import { DrillDown } from './views/drilldown';
import { comparedWith, OverviewView } from './views/overview';
import { TrendsView } from './views/trends';

function tabLabel(view: ReportView): string {
  return view === 'overview' ? l10n.t('Overview') : view === 'trends' ? l10n.t('Trends') : l10n.t('Compare');
}

export class ReportApp implements AppContext {
  private metaValue: ReportMeta | undefined;
  private stateValue: WebviewState;
  private themeValue = readTheme();
  private readonly title = el('h1', { class: 'title' });
  private readonly subtitle = el('p', { class: 'muted subtitle' });
  private readonly status = el('div', { class: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  private readonly tabs = el('vscode-tabs');
  // The views write their controls' words when built: they are built on init, after the translations are installed.
  private overview!: OverviewView;
  private trends!: TrendsView;
  private compare!: CompareView;
  private drill!: DrillDown;
  /** Views whose data is older than the store's latest run. */
  private readonly stale = new Set<ReportView>(VIEWS);
  /** Latest request per view; an older reply arriving late is dropped. */
  private readonly generation: Record<ReportView, number> = { overview: 0, trends: 0, compare: 0 };

  constructor(
    private readonly root: HTMLElement,
    readonly source: DataSource,
  ) {
    // 'all': the default range fits the data (a history all older than 90 days, or all from today, is never an empty grid).
    this.stateValue = source.loadState() ?? { view: 'overview', range: 'all', includeDirty: false };
  }

  start(): void {
    this.source.start({
      init: (meta, navigate, translations) => {
        installTranslations(translations);
        this.init(meta, navigate);
      },
      meta: (meta) => this.updateMeta(meta),
      runRecorded: () => this.refresh(),
      headMoved: () => this.refresh(),
      navigate: (to) => this.navigate(to),
      unavailable: (message, translations) => {
        installTranslations(translations);
        replaceChildren(this.root, el('div', { class: 'empty', attrs: { role: 'status' } }, el('h2', { text: l10n.t('The report is not available') }), el('p', { text: message })));
      },
    });
    onThemeChange((theme) => {
      this.themeValue = theme;
      if (!this.metaValue) return;
      this.overview.retheme(theme);
      this.trends.retheme();
      this.compare.retheme(theme);
    });
  }

  meta(): ReportMeta {
    return this.metaValue!;
  }
  theme(): ChartTheme {
    return this.themeValue;
  }
  state(): WebviewState {
    return this.stateValue;
  }
  updateState(patch: Partial<WebviewState>): void {
    this.stateValue = { ...this.stateValue, ...patch };
    this.source.saveState(this.stateValue);
  }

  showError(message: string): void {
    console.error(`tidemark: ${message}`);
    replaceChildren(this.status, el('span', { class: 'error-text', text: message }));
  }

  private init(meta: ReportMeta, navigate: Navigation): void {
    this.overview = new OverviewView(this);
    this.trends = new TrendsView(this);
    this.compare = new CompareView(this, () => void this.load('compare'));
    this.drill = new DrillDown(this);
    this.setMeta(meta);
    if (meta.folderUri) this.updateState({ folder: meta.folderUri });
    const branchNames = meta.branches.map((b) => b.branch);
    if (this.stateValue.branches === undefined) {
      this.updateState({ branches: [meta.currentBranch, meta.referenceBranch].filter((b, i, all) => branchNames.includes(b) && all.indexOf(b) === i) });
    }
    const headerActions = el('div', { class: 'header-actions' }, this.source.standalone ? null : button(l10n.t('Run All Metrics'), () => this.source.runAll(), { icon: 'play', title: l10n.t('Run every metric now') }));
    const panels = VIEWS.map((v) => el('vscode-tab-panel', {}, this.viewOf(v).root));
    replaceChildren(this.tabs, ...VIEWS.map((v) => el('vscode-tab-header', { attrs: { slot: 'header' }, text: tabLabel(v) })), ...panels);
    this.tabs.addEventListener('vsc-tabs-select', (e) => this.show(VIEWS[e.detail.selectedIndex]));
    replaceChildren(
      this.root,
      el('header', { class: 'report-head' }, el('div', {}, this.title, this.subtitle), headerActions),
      this.status,
      this.tabs,
      this.drill.root,
    );
    // The select elements read their options once connected, so fill them after attaching.
    this.trends.setControls(branchNames, this.stateValue.branches ?? []);
    const refs = this.compare.refs();
    this.compare.setRefs(branchNames, refs.base, refs.head);
    this.navigate({ view: this.stateValue.view, ...navigate });
  }

  /** New metadata while running (a run may have added a branch): controls keep their selection. */
  private updateMeta(meta: ReportMeta): void {
    this.setMeta(meta);
    const branchNames = meta.branches.map((b) => b.branch);
    this.trends.setControls(branchNames, this.stateValue.branches ?? []);
    const refs = this.compare.refs();
    this.compare.setRefs(branchNames, refs.base, refs.head);
  }

  private setMeta(meta: ReportMeta): void {
    this.metaValue = meta;
    this.trends.setMetrics(meta.metrics);
    this.title.textContent = l10n.t('Tidemark · {0}', meta.folderName);
    // The run the views judge against, as the Overview says it; without one, the branches (never "main vs main").
    const b = meta.baseline;
    this.setSubtitle(
      b
        ? comparedWith({ headRef: b.head, baseline: { ref: b.ref, build: { commitSha: b.commitSha }, explanation: b.explanation, fallback: b.fallback } }).text
        : meta.currentBranch === meta.referenceBranch
          ? meta.currentBranch
          : l10n.t('{0} against {1}', meta.currentBranch, meta.referenceBranch),
    );
  }

  /** The header's line: what is compared, in words, and when an exported file was made. */
  private setSubtitle(compared: string): void {
    const meta = this.meta();
    this.subtitle.textContent = meta.standalone ? l10n.t('{0} · exported {1}', compared, formatTime(meta.generatedAt)) : compared;
  }

  private viewOf(view: ReportView): { root: HTMLElement } {
    return view === 'overview' ? this.overview : view === 'trends' ? this.trends : this.compare;
  }

  navigate(to: Navigation): void {
    if (!this.metaValue) return;
    if (to.base !== undefined || to.head !== undefined) {
      const refs = this.compare.refs();
      const base = to.base ?? refs.base;
      const head = to.head ?? refs.head;
      this.updateState({ base, head });
      this.compare.setRefs(this.meta().branches.map((b) => b.branch), base, head);
      this.stale.add('compare');
    }
    if (to.metric !== undefined) this.updateState({ metric: to.metric });
    this.show(to.view ?? this.stateValue.view, to.metric);
  }

  private show(view: ReportView, focusMetric?: string): void {
    this.updateState({ view });
    const index = VIEWS.indexOf(view);
    if (this.tabs.selectedIndex !== index) this.tabs.selectedIndex = index;
    if (this.stale.has(view)) void this.load(view);
    if (view === 'trends' && focusMetric) this.trends.focusMetric(focusMetric);
  }

  /** Loads a view's data and updates it in place. */
  private async load(view: ReportView): Promise<void> {
    const generation = ++this.generation[view];
    this.stale.delete(view);
    this.root.setAttribute('aria-busy', 'true');
    try {
      if (view === 'overview') {
        const model = await this.source.request({ kind: 'overview' });
        if (generation === this.generation[view]) {
          this.overview.update(model);
          if (model.summary.runs > 0) this.setSubtitle(comparedWith(model).text);
        }
      } else if (view === 'trends') {
        this.trends.reload();
      } else {
        const model = await this.source.request({ kind: 'compare', ...this.compare.refs() });
        if (generation === this.generation[view]) this.compare.update(model);
      }
      replaceChildren(this.status);
    } catch (error) {
      this.showError((error as Error).message);
    } finally {
      this.root.removeAttribute('aria-busy');
    }
  }

  /** A run was recorded: the shown view reloads in place, the others when next shown. */
  private refresh(): void {
    for (const v of VIEWS) this.stale.add(v);
    void this.load(this.stateValue.view);
  }

  openRun(run: Pick<RunRow, 'id' | 'sha'>): void {
    this.source
      .request({ kind: 'run', buildId: run.id, commitSha: run.sha })
      .then((detail) => this.drill.show(detail))
      .catch((error: Error) => this.showError(error.message));
  }
}
