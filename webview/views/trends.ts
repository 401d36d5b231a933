/**
 * Trends: one chart per metric over time. Numeric metrics are lines per branch (with a
 * min–max band when the host bucketed a long range); label metrics are stacked bars of
 * their values' counts. Charts are created when they scroll near the viewport and updated in
 * place when new data arrives, so a new run never rebuilds the page.
 */
import { l10n, plural } from '../../src/shared/l10n';
import type { AxisCommit, MetricChangeRow, MetricInfo, MetricLimits, NumericLine, RunRow, TrendAxis, TrendOrigin, TrendSeries, TrendsModel, TrendsQuery } from '../../src/shared/protocol';
import { Chart } from '../charts';
import type { AppContext } from '../context';
import { el, labelled, metricTitle, replaceChildren } from '../dom';
import { formatPercentChange, formatTime, formatValue, shortSha } from '../format';
import { overlayPlugin, setMarkers, type OverlayState } from './chartOverlay';
import { commitLabel, labelChart, limitsText, numericChart, type ChartConfig, type ChartInputs, type DatasetInfo } from './trendCharts';

interface Card {
  root: HTMLElement;
  canvas: HTMLCanvasElement;
  box: HTMLElement;
  empty: HTMLElement;
  caption: HTMLElement;
  metric: MetricInfo;
  /** Absent until this card's data first arrives. */
  series?: TrendSeries;
  chart?: Chart;
  info: DatasetInfo[];
  active: number;
  /** The query key its data belongs to, and the one it was last requested for. */
  loadedKey?: string;
  requestedKey?: string;
}

/** Charts requested per message: the first row right away, then a few at a time as they scroll in. */
const FIRST_BATCH = 2;
const BATCH = 4;

/** The chips' values, words and hovers, in the display language. */
function rangeLabels(): [TrendsQuery['range'], string, string][] {
  return [
    ['7d', l10n.t('7d'), l10n.t('Last 7 days')],
    ['30d', l10n.t('30d'), l10n.t('Last 30 days')],
    ['90d', l10n.t('90d'), l10n.t('Last 90 days')],
    ['all', l10n.t('All'), l10n.t('All of the history')],
    ['custom', l10n.t('Custom…'), l10n.t('Pick the dates')],
  ];
}

function axisLabels(): [TrendAxis, string, string][] {
  return [
    ['commit', l10n.t('Commits'), l10n.t('One point per commit, in the order of the reference branch')],
    ['time', l10n.t('Time'), l10n.t('Runs at the time they were recorded')],
  ];
}

function originLabels(): [TrendOrigin, string, string][] {
  return [
    ['all', l10n.t('All'), l10n.t('Every run, wherever it was recorded')],
    ['here', l10n.t('This machine'), l10n.t('Runs recorded here (editor, terminal, hooks)')],
    ['team', l10n.t('Team'), l10n.t("Runs from the team's history (git notes): CI and teammates' publishes")],
  ];
}

/** A row of toggle buttons, one pressed. */
function chips<T extends string>(label: string, items: [T, string, string][], onPick: (value: T) => void): { root: HTMLElement; set(value: T): void } {
  const buttons = items.map(([value, text, title]) =>
    el('button', { class: 'chip', text, attrs: { type: 'button', title, 'data-value': value, 'aria-pressed': 'false' }, on: { click: () => onPick(value) } }),
  );
  const root = el('div', { class: 'chips', attrs: { role: 'group', 'aria-label': label } }, ...buttons);
  return {
    root,
    set(value: T) {
      for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.value === value));
    },
  };
}

export class TrendsView {
  readonly root = el('section', { class: 'view trends', attrs: { 'aria-label': l10n.t('Trends') } });
  private readonly toolbar = el('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': l10n.t('Trend filters') } });
  private readonly list = el('div', { class: 'charts' });
  private readonly note = el('p', { class: 'muted note', attrs: { role: 'status' } });
  private readonly cards = new Map<string, Card>();
  private readonly observer: IntersectionObserver;
  private readonly range = chips(l10n.t('Time range'), rangeLabels(), (value) => this.pickRange(value));
  private readonly axis = chips(l10n.t('X axis'), axisLabels(), (value) => {
    this.ctx.updateState({ axis: value });
    this.axis.set(value);
    this.reload();
  });
  private readonly origin = chips(l10n.t('Runs from'), originLabels(), (value) => {
    this.ctx.updateState({ origin: value === 'all' ? undefined : value });
    this.origin.set(value);
    this.reload();
  });
  private readonly resetZoom = el('button', {
    class: 'chip reset-zoom',
    text: l10n.t('Reset zoom'),
    attrs: { type: 'button', title: l10n.t('Show the whole range again (or double-click a chart)') },
    on: { click: () => this.setZoom(undefined) },
  });
  private readonly changesList = el('section', { class: 'changes', attrs: { 'aria-label': l10n.t('Changes') } });
  private changes: MetricChangeRow[] = [];
  private changesKey = '';
  private changesNote: string | null = null;
  private zoom: { from: number; to: number } | undefined;
  private zoomedAt = -Infinity;
  private readonly commitsByX = new Map<number, AxisCommit>();
  private readonly commitsBySha = new Map<string, AxisCommit>();
  private axisNote = '';
  private readonly overlay: OverlayState = { crosshair: null, selection: null, theme: () => this.ctx.theme() };
  private readonly plugin = overlayPlugin(this.overlay);
  private readonly since = el('input', { class: 'date', attrs: { type: 'date', 'aria-label': l10n.t('From date') } });
  private readonly until = el('input', { class: 'date', attrs: { type: 'date', 'aria-label': l10n.t('To date') } });
  private readonly custom = el('span', { class: 'custom-range' }, this.since, el('span', { class: 'muted', text: '–' }), this.until);
  private readonly branches = el('vscode-multi-select', { attrs: { label: l10n.t('Branches'), combobox: true } });
  private readonly dirty = el('vscode-checkbox', { attrs: { label: l10n.t('Include on-save (dirty) runs') } });
  private window: { from: number; to: number } | undefined;
  private readonly runs = new Map<number, RunRow>();
  /** Threshold limits per metric for the current head, from the last reply. */
  private limits = new Map<string, MetricLimits>();
  private readonly visible = new Set<Card>();
  private generation = 0;
  private key = '';
  private requestScheduled = false;
  private requestedWidth = 0;

  constructor(private readonly ctx: AppContext) {
    this.resetZoom.hidden = true;
    for (const input of [this.since, this.until]) input.addEventListener('change', () => this.changed());
    this.branches.addEventListener('change', () => this.changed());
    this.dirty.addEventListener('change', () => this.changed());
    this.toolbar.append(
      labelled(l10n.t('Range'), this.range.root),
      this.custom,
      labelled(l10n.t('X axis'), this.axis.root),
      labelled(l10n.t('Branches'), this.branches),
      labelled(l10n.t('Runs from'), this.origin.root),
      this.dirty,
      this.resetZoom,
    );
    this.root.append(this.toolbar, this.note, this.changesList, this.list);
    new ResizeObserver(() => this.onResize()).observe(this.list);
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const card = [...this.cards.values()].find((c) => c.root === entry.target);
          if (!card) continue;
          if (!entry.isIntersecting) {
            this.visible.delete(card);
            continue;
          }
          this.visible.add(card);
          if (card.series && !card.chart) this.draw(card);
        }
        this.requestNeeded();
      },
      { rootMargin: '300px 0px' },
    );
  }

  /** Fills the controls from the saved state and the folder's branches. */
  setControls(branches: string[], selected: string[]): void {
    const s = this.ctx.state();
    this.range.set(s.range);
    this.axis.set(this.axisChoice());
    this.origin.set(s.origin ?? 'all');
    this.custom.hidden = s.range !== 'custom';
    if (s.since !== undefined) this.since.valueAsNumber = s.since;
    if (s.until !== undefined) this.until.valueAsNumber = s.until;
    replaceChildren(this.branches, ...branches.map((b) => el('vscode-option', { attrs: { value: b, selected: selected.includes(b) }, text: b })));
    this.branches.value = selected;
    this.dirty.checked = s.includeDirty;
  }

  /** The user's axis, else commits (a backfilled history is readable by commit; without git the host falls back to time). */
  private axisChoice(): TrendAxis {
    return this.ctx.state().axis ?? 'commit';
  }

  private pickRange(range: TrendsQuery['range']): void {
    this.range.set(range);
    this.custom.hidden = range !== 'custom';
    if (range === 'custom' && !this.since.value) {
      const to = this.ctx.meta().generatedAt;
      this.since.valueAsNumber = to - 30 * 86_400_000;
      this.until.valueAsNumber = to;
    }
    this.ctx.updateState({ range });
    this.changed();
  }

  private changed(): void {
    const range = this.ctx.state().range;
    const dayEnd = 86_400_000 - 1;
    this.ctx.updateState({
      range,
      since: range === 'custom' && !Number.isNaN(this.since.valueAsNumber) ? this.since.valueAsNumber : undefined,
      until: range === 'custom' && !Number.isNaN(this.until.valueAsNumber) ? this.until.valueAsNumber + dayEnd : undefined,
      branches: this.branches.value,
      includeDirty: this.dirty.checked,
    });
    this.reload();
  }

  /** The width a chart's plot gets, which bounds how many points the host sends. */
  plotWidth(): number {
    const width = this.list.clientWidth || document.documentElement.clientWidth || 800;
    const columns = width >= 1100 ? 2 : 1;
    return Math.max(120, Math.floor(width / columns) - 80);
  }

  query(): TrendsQuery {
    const s = this.ctx.state();
    return { range: s.range, since: s.since, until: s.until, branches: s.branches ?? [], includeDirty: s.includeDirty, width: this.plotWidth(), axis: this.axisChoice(), ...(s.origin && { origin: s.origin }) };
  }

  /** Lays out one card per metric (in the host's order); data arrives per card as it scrolls in. */
  setMetrics(metrics: MetricInfo[]): void {
    const seen = new Set<string>();
    let previous: HTMLElement | null = null;
    for (const metric of metrics) {
      seen.add(metric.id);
      let card = this.cards.get(metric.id);
      if (!card) {
        card = this.createCard(metric);
        this.cards.set(metric.id, card);
        this.observer.observe(card.root);
      }
      card.metric = metric;
      const expected: ChildNode | null = previous ? previous.nextSibling : this.list.firstChild;
      if (expected !== card.root) this.list.insertBefore(card.root, expected);
      previous = card.root;
    }
    for (const [id, card] of this.cards) {
      if (seen.has(id)) continue;
      card.chart?.destroy();
      this.observer.unobserve(card.root);
      this.visible.delete(card);
      card.root.remove();
      this.cards.delete(id);
    }
    this.note.textContent = metrics.length === 0 ? l10n.t('No metrics recorded yet.') : this.note.textContent;
  }

  /** New query or new data: visible charts reload now (in place), the others when they scroll in. */
  reload(): void {
    this.generation++;
    this.requestedWidth = this.plotWidth();
    this.key = `${this.generation}:${JSON.stringify(this.query())}`;
    this.zoom = undefined;
    this.resetZoom.hidden = true;
    void this.loadChanges(this.key);
    this.requestNeeded();
  }

  /** The change points (once per reload): the Changes list and the charts' markers. */
  private async loadChanges(key: string): Promise<void> {
    try {
      const model = await this.ctx.source.request({ kind: 'changes' });
      if (key !== this.key) return;
      this.changes = model.changes;
      this.changesKey = key;
      this.changesNote = model.note;
      this.renderChanges();
      for (const card of this.cards.values()) if (card.chart && card.series) this.fill(card);
    } catch (error) {
      this.ctx.showError((error as Error).message);
    }
  }

  private renderChanges(): void {
    const note = this.changesNote;
    const metrics = new Map(this.ctx.meta().metrics.map((m) => [m.id, m]));
    const rows = this.changes.map((c) => {
      const metric = metrics.get(c.metric);
      const commit = this.commitsBySha.get(c.commitSha);
      const label = commit?.tag ? `${commit.tag} (${shortSha(c.commitSha)})` : shortSha(c.commitSha);
      const worse = metric?.direction === 'lower-is-better' ? c.after > c.before : metric?.direction === 'higher-is-better' ? c.after < c.before : null;
      const open = el('button', {
        class: 'link',
        text: label,
        attrs: { type: 'button', title: this.ctx.source.standalone ? c.commitSha : l10n.t('Show commit {0} in VS Code', c.commitSha) },
        on: { click: () => this.ctx.source.openCommit(c.commitSha) },
      });
      const change = c.relativeChange === null ? (c.before === 0 ? l10n.t('from 0') : '—') : formatPercentChange(c.relativeChange * 100);
      return el(
        'tr',
        { attrs: { 'data-metric': c.metric, 'data-sha': c.commitSha } },
        el('th', { attrs: { scope: 'row' } }, el('button', { class: 'link', text: metric ? metricTitle(metric) : c.metric, attrs: { type: 'button', title: l10n.t('Show its trend') }, on: { click: () => this.focusMetric(c.metric) } })),
        el('td', {}, open),
        el('td', { class: 'subject', text: c.subject ?? '' }),
        el('td', { text: c.author ?? '' }),
        el('td', { text: formatTime(c.time) }),
        el('td', { class: 'num', text: `${formatValue(c.before, c.unit)} → ${formatValue(c.after, c.unit)}` }),
        el('td', { class: `num ${worse === null ? '' : worse ? 'change-worse' : 'change-better'}`, text: change }),
      );
    });
    const columns = [l10n.t('Metric'), l10n.t('Commit'), l10n.t('Subject'), l10n.t('Author'), l10n.t('Date'), l10n.t('Before → after'), l10n.t('Change')];
    const head = el('tr', {}, ...columns.map((t) => el('th', { text: t, attrs: { scope: 'col' } })));
    replaceChildren(
      this.changesList,
      el('h2', { text: l10n.t('Changes ({0})', this.changes.length) }),
      this.changes.length
        ? el('div', { class: 'table-wrap' }, el('table', { class: 'changes-table' }, el('thead', {}, head), el('tbody', {}, ...rows)))
        : el('p', { class: 'muted', text: note ?? l10n.t('No lasting change found.') }),
    );
  }

  /** Drag-to-zoom: every chart shows the same part of the x axis. */
  private setZoom(zoom: { from: number; to: number } | undefined): void {
    this.zoom = zoom;
    this.resetZoom.hidden = zoom === undefined;
    for (const card of this.cards.values()) if (card.chart && card.series) this.fill(card);
  }

  /** The data's resolution follows the chart width: a much wider (or narrower) panel reloads it. */
  private onResize(): void {
    if (!this.key || this.list.clientWidth === 0) return;
    const width = this.plotWidth();
    if (Math.abs(width - this.requestedWidth) / this.requestedWidth > 0.3) this.reload();
  }

  private requestNeeded(): void {
    if (this.requestScheduled) return;
    this.requestScheduled = true;
    queueMicrotask(() => {
      this.requestScheduled = false;
      const key = this.key;
      if (!key) return;
      const order = [...this.cards.values()];
      // Charts drawn earlier (also below the fold) follow a new range or branch choice at once.
      const needed = order.filter((c) => (this.visible.has(c) || c.chart) && c.loadedKey !== key && c.requestedKey !== key);
      if (needed.length === 0) return;
      const first = order.every((c) => c.loadedKey !== key && c.requestedKey !== key);
      const batches: string[][] = [];
      for (let i = 0; i < needed.length; ) {
        const size = first && i === 0 ? FIRST_BATCH : BATCH;
        batches.push(needed.slice(i, i + size).map((c) => c.metric.id));
        i += size;
      }
      for (const c of needed) c.requestedKey = key;
      void this.fetchInTurn(batches, key);
    });
  }

  /** One batch at a time, so the first chart's data is not held up by the ones below it. */
  private async fetchInTurn(batches: string[][], key: string): Promise<void> {
    for (const batch of batches) {
      if (key !== this.key) return;
      await this.fetch(batch, key);
    }
  }

  private async fetch(metrics: string[], key: string): Promise<void> {
    try {
      const model = await this.ctx.source.request({ kind: 'trends', query: { ...this.query(), metrics } });
      if (key === this.key) this.apply(model, key);
    } catch (error) {
      for (const id of metrics) {
        const card = this.cards.get(id);
        if (card?.requestedKey === key) card.requestedKey = undefined;
      }
      this.ctx.showError((error as Error).message);
    }
  }

  private apply(model: TrendsModel, key: string): void {
    this.window = { from: model.from, to: model.to };
    this.limits = new Map((model.limits ?? []).map((l) => [l.metric, l]));
    for (const run of model.runs) this.runs.set(run.id, run);
    const byCommit = model.commits !== undefined;
    if (byCommit) {
      for (const c of model.commits!) {
        this.commitsBySha.set(c.sha, c);
        const there = this.commitsByX.get(c.x);
        if (!there || c.branch === this.ctx.meta().referenceBranch) this.commitsByX.set(c.x, c);
      }
    }
    this.axisNote = model.axisNote ?? '';
    this.root.dataset.axis = byCommit ? 'commit' : 'time';
    // The chip shows the axis drawn (the choice is kept for when git history is there).
    this.axis.set(byCommit ? 'commit' : 'time');
    const span = byCommit
      ? l10n.t('{0} – {1} by commit ({2} in first-parent order)', commitLabel(this.commitsByX.get(model.from)), commitLabel(this.commitsByX.get(model.to)), this.ctx.meta().referenceBranch)
      : `${formatTime(model.from)} – ${formatTime(model.to)}`;
    const shown = this.axisNote ? `${span} · ${this.axisNote}` : span;
    this.note.textContent = l10n.t("{0} · drag across a chart to zoom; click a point (or focus a chart and press Enter) for that run's details", shown);
    if (this.changesKey === this.key) this.renderChanges();
    for (const series of model.series) {
      const card = this.cards.get(series.metric.id);
      if (!card) continue;
      card.series = series;
      card.loadedKey = key;
      this.caption(card);
      if (card.chart) this.fill(card);
      else if (this.visible.has(card)) this.draw(card);
    }
    this.root.dataset.loadedCharts = String([...this.cards.values()].filter((c) => c.loadedKey === key).length);
  }

  focusMetric(id: string): void {
    const card = this.cards.get(id);
    if (!card) return;
    // The tab panel becomes visible on the next frame; scroll once it has a layout.
    requestAnimationFrame(() => {
      card.root.scrollIntoView({ block: 'start' });
      card.canvas.focus({ preventScroll: true });
    });
  }

  retheme(): void {
    for (const card of this.cards.values()) if (card.chart) this.fill(card);
  }

  private createCard(metric: MetricInfo): Card {
    const title = metricTitle(metric);
    const canvas = el('canvas', { attrs: { tabindex: 0, role: 'img' } });
    const caption = el('span', { class: 'muted chart-caption' });
    const box = el('div', { class: 'chart-box' }, canvas);
    const empty = el('div', { class: 'chart-empty muted', text: l10n.t('No values in this range. Widen the range or pick other branches; the Overview shows why a metric never succeeded.') });
    const root = el(
      'article',
      { class: 'chart-card', attrs: { 'data-metric': metric.id, 'aria-label': l10n.t('{0} trend', title) } },
      el('header', { class: 'chart-head' }, el('h3', { text: title, attrs: { title: metric.description ?? metric.id } }), caption),
      box,
      empty,
    );
    empty.hidden = true;
    caption.textContent = l10n.t('loading…');
    const card: Card = { root, canvas, box, empty, caption, metric, info: [], active: -1 };
    canvas.addEventListener('keydown', (e) => this.onKey(card, e));
    return card;
  }

  private caption(card: Card): void {
    const s = card.series!;
    const bucketed = s.kind === 'numeric' && s.lines.some((l) => l.bucketed);
    const count = s.points.toLocaleString('en-US');
    const parts = [plural(s.points, l10n.t('{0} value', count), l10n.t('{0} values', count))];
    if (bucketed) parts.push(l10n.t('min–max band per bucket'));
    if (s.kind === 'label') parts.push(this.root.dataset.axis === 'commit' ? l10n.t('label counts by time') : l10n.t('label counts'));
    const text = s.points === 0 ? l10n.t('no values in this range') : parts.join(' · ');
    card.caption.textContent = text;
    card.box.hidden = s.points === 0;
    card.empty.hidden = s.points > 0;
    const last = s.kind === 'numeric' ? lastValue(s.lines) : undefined;
    const found = this.limits.get(s.metric.id);
    const limits = found && s.kind === 'numeric' ? limitsText(found, s.metric.unit) : '';
    card.canvas.setAttribute(
      'aria-label',
      l10n.t('{0}: {1}. Arrow keys move between runs, Enter opens the run.', metricTitle(s.metric), [text, ...(last !== undefined ? [l10n.t('latest {0}', formatValue(last, s.metric.unit))] : []), ...(limits ? [limits] : [])].join(', ')),
    );
  }

  private config(card: Card): ChartConfig {
    const series = card.series!;
    const inputs: ChartInputs = {
      window: this.window!,
      runs: this.runs,
      theme: this.ctx.theme(),
      branchOrder: this.branchOrder(series.kind === 'numeric' ? series.lines.map((l) => l.branch) : []),
      openPoint: (line, index) => this.openPoint(line, index),
      limits: this.limits.get(series.metric.id),
      zoom: this.zoom,
      commits: this.root.dataset.axis === 'commit' ? { byX: this.commitsByX, bySha: this.commitsBySha } : undefined,
      changes: this.changes.filter((c) => c.metric === series.metric.id),
    };
    const config = series.kind === 'numeric' ? numericChart(series, inputs) : labelChart(series, inputs);
    card.info = config.info;
    return config;
  }

  private draw(card: Card): void {
    const { type, data, options } = this.config(card);
    card.chart = new Chart(card.canvas, { type, data, options, plugins: [this.plugin] } as never);
    this.markers(card);
    card.chart.update('none');
    card.root.classList.add('drawn');
    if (type === 'line') this.listen(card);
  }

  /** Replaces a drawn chart's data and colours without recreating it. */
  private fill(card: Card): void {
    const chart = card.chart!;
    const { data, options } = this.config(card);
    chart.data = data as never;
    chart.options = options as never;
    this.markers(card);
    chart.update('none');
  }

  /** The metric's change points at their commit (commit axis) or their run's time. */
  private markers(card: Card): void {
    const theme = this.ctx.theme();
    const metric = card.metric;
    const byCommit = this.root.dataset.axis === 'commit';
    const list = card.series?.kind === 'numeric' ? this.changes.filter((c) => c.metric === metric.id) : [];
    const markers = list.flatMap((c) => {
      const x = byCommit ? this.commitsBySha.get(c.commitSha)?.x : Date.parse(c.time);
      if (x === undefined) return [];
      const worse = metric.direction === 'lower-is-better' ? c.after > c.before : metric.direction === 'higher-is-better' ? c.after < c.before : null;
      return [{ x, sha: c.commitSha, colour: worse === null ? theme.foreground : worse ? theme.worse : theme.better }];
    });
    setMarkers(card.chart!, markers);
    card.canvas.dataset.changes = markers.map((m) => m.sha).join(',');
  }

  /** Crosshair synced across charts, and drag-to-zoom (double-click resets). */
  private listen(card: Card): void {
    const canvas = card.canvas;
    const valueAt = (event: PointerEvent | MouseEvent) => card.chart!.scales.x.getValueForPixel(event.offsetX) ?? null;
    let dragging = false;
    canvas.addEventListener('pointerdown', (event) => {
      if (event.button !== 0 || !card.chart) return;
      const v = valueAt(event);
      if (v === null) return;
      dragging = true;
      this.overlay.selection = { chart: card.chart, from: v, to: v };
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener('pointermove', (event) => {
      if (!card.chart) return;
      const v = valueAt(event);
      this.overlay.crosshair = v;
      if (dragging && this.overlay.selection && v !== null) this.overlay.selection.to = v;
      for (const c of this.cards.values()) if (c.chart && c.series?.kind === 'numeric') c.chart.draw();
    });
    const end = (event: PointerEvent) => {
      if (!dragging) return;
      dragging = false;
      const sel = this.overlay.selection;
      this.overlay.selection = null;
      if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
      if (!sel || !card.chart) return;
      const x = card.chart.scales.x;
      // A click is not a zoom: the drag must cover a few pixels.
      if (Math.abs(x.getPixelForValue(sel.to) - x.getPixelForValue(sel.from)) < 8) {
        card.chart.draw();
        return;
      }
      // The click that ends a drag is not a click on a point.
      this.zoomedAt = event.timeStamp;
      this.setZoom({ from: Math.min(sel.from, sel.to), to: Math.max(sel.from, sel.to) });
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
    canvas.addEventListener('pointerleave', () => {
      if (dragging) return;
      this.overlay.crosshair = null;
      for (const c of this.cards.values()) if (c.chart && c.series?.kind === 'numeric') c.chart.draw();
    });
    canvas.addEventListener('dblclick', () => {
      if (this.zoom) this.setZoom(undefined);
    });
  }

  private branchOrder(branches: string[]): string[] {
    const meta = this.ctx.meta();
    const first = [meta.currentBranch, meta.referenceBranch];
    return [...new Set([...first.filter((b) => branches.includes(b)), ...[...branches].sort()])];
  }

  private openPoint(line: NumericLine, index: number): void {
    if (performance.now() - this.zoomedAt < 500) return;
    const run = this.runs.get(line.run[index]);
    if (run) this.ctx.openRun(run);
  }

  /** Arrow keys walk the first value series' points (showing the tooltip); Enter opens the run. */
  private onKey(card: Card, event: KeyboardEvent): void {
    const chart = card.chart;
    if (!chart || card.series?.kind !== 'numeric') return;
    const datasetIndex = card.info.findIndex((i) => i.role === 'value');
    if (datasetIndex < 0) return;
    const line = card.info[datasetIndex].line!;
    const count = line.y.length;
    if (count === 0) return;
    if (event.key === 'Enter' && card.active >= 0) {
      event.preventDefault();
      this.openPoint(line, card.active);
      return;
    }
    const step = { ArrowRight: 1, ArrowLeft: -1, End: count, Home: -count }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    card.active = Math.max(0, Math.min(count - 1, (card.active < 0 ? count : card.active) + step));
    const active = [{ datasetIndex, index: card.active }];
    chart.setActiveElements(active);
    const point = chart.getDatasetMeta(datasetIndex).data[card.active];
    chart.tooltip?.setActiveElements(active, { x: point?.x ?? 0, y: point?.y ?? 0 });
    chart.update('none');
  }

  dispose(): void {
    this.observer.disconnect();
    for (const card of this.cards.values()) card.chart?.destroy();
  }
}

/** The value of the newest run across a chart's lines (bucket order equals time order). */
function lastValue(lines: NumericLine[]): number | undefined {
  let best: { run: number; y: number } | undefined;
  for (const l of lines) {
    const i = l.y.length - 1;
    if (i >= 0 && (!best || l.run[i] > best.run)) best = { run: l.run[i], y: l.last?.[i] ?? l.y[i] };
  }
  return best?.y;
}
