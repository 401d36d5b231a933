/**
 * Compare: two refs (branches or commits) side by side. The numbers are store.compare's,
 * the same as `tidemark compare --json`; this view only formats and sorts them.
 */
import { l10n } from '../../src/shared/l10n';
import type { CompareModel } from '../../src/shared/protocol';
import { Chart, themeChartOptions, type ChartOptions } from '../charts';
import type { Plugin } from 'chart.js';
import type { AppContext } from '../context';
import { button, el, icon, labelled, metricTitle, replaceChildren } from '../dom';
import { formatDelta, formatValue, shortSha } from '../format';
import { changeLook, changePhrase, formatDifference, formatPercent, JUDGEMENT_LOOK, JUDGEMENT_WORDS, type ChangeDirection } from '../../src/core/analysis/vocabulary';
import { channel } from '../looks';
import type { ChartTheme } from '../theme';

type Row = CompareModel['rows'][number];
interface Column {
  key: string;
  label: string;
  numeric: boolean;
}
/** The table's columns, in the display language; the judgement (threshold rules) only when some row has one (the folder has rules). */
function tableColumns(withChecks: boolean): Column[] {
  return [
    { key: 'metric', label: l10n.t('Metric'), numeric: false },
    { key: 'base', label: l10n.t('Base'), numeric: true },
    { key: 'head', label: l10n.t('Head'), numeric: true },
    { key: 'change', label: l10n.t('Change'), numeric: true },
    { key: 'changePercent', label: l10n.t('Change %'), numeric: true },
    { key: 'direction', label: l10n.t('Direction'), numeric: false },
    ...(withChecks ? [{ key: 'check', label: l10n.t('Thresholds'), numeric: false }] : []),
  ];
}
const DIRECTION_RANK: Record<ChangeDirection, number> = { worse: 0, changed: 1, better: 2, unchanged: 3, unknown: 4 };
const CHECK_RANK: Record<string, number> = { fail: 0, warn: 1, unknown: 2, pass: 3 };

export class CompareView {
  readonly root = el('section', { class: 'view compare', attrs: { 'aria-label': l10n.t('Compare') } });
  private readonly base = el('vscode-single-select', { attrs: { combobox: true, creatable: true, label: l10n.t('Base branch or commit') } });
  private readonly head = el('vscode-single-select', { attrs: { combobox: true, creatable: true, label: l10n.t('Head branch or commit') } });
  private readonly sides = el('p', { class: 'muted sides', attrs: { role: 'status' } });
  private readonly canvas = el('canvas', { attrs: { role: 'img', 'aria-label': l10n.t('Relative change per metric') } });
  private readonly chartBox = el('div', { class: 'chart-box compare-chart' }, this.canvas);
  private readonly table = el('table', { class: 'compare-table' });
  private chart: Chart<'bar', number[], string> | undefined;
  private model: CompareModel | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly onChange: () => void,
  ) {
    for (const select of [this.base, this.head]) select.addEventListener('change', () => this.changed());
    const swap = button(l10n.t('Swap'), () => this.swap(), { icon: 'arrow-swap', secondary: true, title: l10n.t('Swap base and head') });
    this.root.append(
      el('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': l10n.t('Compare refs') } }, labelled(l10n.t('Base'), this.base), labelled(l10n.t('Head'), this.head), swap),
      this.sides,
      this.chartBox,
      el('div', { class: 'table-wrap' }, this.table),
    );
  }

  setRefs(branches: string[], base: string, head: string): void {
    for (const [select, value] of [
      [this.base, base],
      [this.head, head],
    ] as const) {
      const options = branches.includes(value) ? branches : [...branches, value];
      replaceChildren(select, ...options.map((b) => el('vscode-option', { attrs: { value: b, selected: b === value }, text: this.refLabel(b) })));
      select.value = value;
    }
  }

  /**
   * The refs compared. By default the head is the current branch (never "main vs main": on the
   * reference branch, the most recent other branch) and the base is the run the Overview and the
   * tree judge that head against (the reference branch's run at the merge-base), so the change
   * Compare shows is the change they show. On the reference branch with no other branch, base and
   * head are both that branch and the view says what to pick.
   */
  refs(): { base: string; head: string } {
    const s = this.ctx.state();
    const meta = this.ctx.meta();
    const reference = s.base ?? meta.referenceBranch;
    const other = [...meta.branches].filter((b) => b.branch !== reference).sort((a, b) => b.lastRun.localeCompare(a.lastRun))[0];
    const head = s.head ?? (meta.currentBranch === reference && other ? other.branch : meta.currentBranch);
    const baseline = meta.baseline;
    const base = s.base ?? (baseline && baseline.head === head && baseline.head !== baseline.ref ? baseline.commitSha : meta.referenceBranch);
    return { base, head };
  }

  /** A ref as the user reads it: the baseline's sha as "main at 5f88c6f (baseline)". */
  private refLabel(ref: string): string {
    const baseline = this.ctx.meta().baseline;
    return baseline && ref === baseline.commitSha ? l10n.t('{0} at {1} (baseline)', baseline.ref, shortSha(ref)) : ref;
  }

  private changed(): void {
    const base = this.base.value.trim();
    const head = this.head.value.trim();
    if (!base || !head) return;
    this.ctx.updateState({ base, head });
    this.onChange();
  }

  private swap(): void {
    const { base, head } = this.refs();
    this.ctx.updateState({ base: head, head: base });
    this.setRefs(this.ctx.meta().branches.map((b) => b.branch), head, base);
    this.onChange();
  }

  update(model: CompareModel): void {
    this.model = model;
    const side = (s: CompareModel['base']) => {
      if (!s.build) return l10n.t('{0} (no runs)', this.refLabel(s.ref));
      const label = this.refLabel(s.ref);
      const named = label === s.ref ? `${s.ref} @ ${shortSha(s.build.commitSha)}` : label;
      return s.build.dirty ? l10n.t('{0} (dirty)', named) : named;
    };
    this.sides.textContent =
      model.base.ref === model.head.ref
        ? l10n.t('Base and head are both {0}: pick another branch or commit (a sha, a tag) as head to see what changed.', model.base.ref)
        : `${side(model.base)} → ${side(model.head)}`;
    const baseline = this.ctx.meta().baseline;
    this.sides.title = baseline && model.base.ref === baseline.commitSha ? baseline.explanation : '';
    this.renderTable();
    this.renderChart(this.ctx.theme());
  }

  retheme(theme: ChartTheme): void {
    if (this.model) this.renderChart(theme);
  }

  private sorted(): Row[] {
    const rows = [...(this.model?.rows ?? [])];
    const sort = this.ctx.state().sort;
    if (!sort) return rows;
    const key = (r: Row): number | string | null => {
      switch (sort.column) {
        case 'metric':
          return metricTitle(r.metric).toLowerCase();
        case 'direction':
          return DIRECTION_RANK[r.change.direction];
        case 'check':
          return r.check ? CHECK_RANK[r.check.status] : null;
        case 'base':
        case 'head':
          return r[sort.column];
        case 'change':
          return r.change.delta;
        default:
          return r.change.points ? null : r.change.percent;
      }
    };
    return rows.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return sort.descending ? -order : order;
    });
  }

  private renderTable(): void {
    const sort = this.ctx.state().sort;
    const withChecks = (this.model?.rows ?? []).some((r) => r.check);
    const columns = tableColumns(withChecks);
    const head = el(
      'tr',
      {},
      ...columns.map((c) => {
        const active = sort?.column === c.key;
        const direction = active ? (sort!.descending ? 'descending' : 'ascending') : 'none';
        return el(
          'th',
          { class: c.numeric ? 'num' : '', attrs: { scope: 'col', 'aria-sort': direction } },
          el(
            'button',
            {
              class: 'sort',
              attrs: { type: 'button', 'aria-label': l10n.t('Sort by {0}', c.label) },
              on: { click: () => this.sortBy(c.key) },
            },
            c.label,
            icon(active ? (sort!.descending ? 'triangle-down' : 'triangle-up') : 'blank'),
          ),
        );
      }),
    );
    const rows = this.sorted().flatMap((r) => {
      const unit = r.metric.unit;
      const row = el(
        'tr',
        { attrs: { 'data-metric': r.metric.id } },
        el('th', { attrs: { scope: 'row', title: r.metric.description ?? r.metric.id }, text: metricTitle(r.metric) }),
        el('td', { class: 'num', text: formatValue(r.base, unit) }),
        el('td', { class: 'num', text: formatValue(r.head, unit) }),
        el('td', { class: 'num', text: r.change.delta === null ? '—' : formatDifference(r.change.delta, unit) }),
        el('td', { class: 'num', text: r.change.percent === null ? '—' : formatPercent(r.change.percent) }),
        channel('change', r.change.direction, changeLook(r.change), { tag: 'td', class: 'direction' }),
        ...(withChecks ? [checkCell(r.check)] : []),
      );
      return r.parts?.length ? [row, partsRow(r, columns.length)] : [row];
    });
    replaceChildren(
      this.table,
      el('caption', { class: 'visually-hidden', text: l10n.t('Every metric, base against head') }),
      el('thead', {}, head),
      el('tbody', {}, ...(rows.length ? rows : [el('tr', {}, el('td', { attrs: { colspan: columns.length }, class: 'muted', text: l10n.t('No metrics to compare.') }))])),
    );
  }

  private sortBy(column: string): void {
    const current = this.ctx.state().sort;
    const descending = current?.column === column ? !current.descending : false;
    this.ctx.updateState({ sort: { column, descending } });
    this.renderTable();
    this.table.querySelector<HTMLButtonElement>(`th:nth-child(${tableColumns(true).findIndex((c) => c.key === column) + 1}) button`)?.focus();
  }

  private renderChart(theme: ChartTheme): void {
    // Relative changes, and percentage points for percent metrics (a percent of a percent misleads).
    const amount = (r: Row): number | null => (r.change.points ? r.change.delta : r.change.percent);
    // One ref on both sides changes nothing: no empty chart, the line above says what to pick.
    const same = this.model !== undefined && this.model.base.ref === this.model.head.ref;
    const rows = same ? [] : (this.model?.rows ?? []).filter((r) => amount(r) !== null);
    this.chartBox.hidden = rows.length === 0;
    this.chartBox.style.height = `${Math.max(120, rows.length * 26 + 60)}px`;
    // Only a judgement's fail / warn is an alarm colour; a better change is green, every other change neutral.
    const color = (r: Row) =>
      r.check?.status === 'fail' ? theme.worse : r.check?.status === 'warn' ? theme.warn : r.change.direction === 'better' ? theme.better : theme.neutral;
    const data = {
      labels: rows.map((r) => metricTitle(r.metric)),
      datasets: [{ label: l10n.t('Change'), data: rows.map((r) => amount(r)!), backgroundColor: rows.map(color), borderColor: rows.map(color), borderWidth: 1, barThickness: 14 }],
    };
    const options: ChartOptions<'bar'> = {
      indexAxis: 'y',
      animation: false,
      scales: { x: { ticks: { callback: (v, _i, ticks) => percentTick(Number(v), ticks) } }, y: { ticks: { autoSkip: false } } },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item) => {
              const r = rows[item.dataIndex];
              const phrase = changePhrase(r.change, r.metric.unit);
              return r.check ? l10n.t('{0} · {1}', phrase, JUDGEMENT_WORDS[r.check.status]) : phrase;
            },
          },
        },
      },
    };
    themeChartOptions(options as ChartOptions, theme);
    if (this.chart) {
      this.chart.data = data as never;
      this.chart.options = options as never;
      this.chart.update('none');
    } else if (rows.length) {
      this.chart = new Chart(this.canvas, { type: 'bar', data, options, plugins: [TICK_LABELS] });
    }
  }
}

/** The x-axis labels Chart.js drew, on the canvas (for assistive checks and tests). */
const TICK_LABELS: Plugin<'bar'> = {
  id: 'compareTickLabels',
  afterDraw(chart) {
    chart.canvas.dataset.xTicks = JSON.stringify((chart.scales.x?.ticks ?? []).map((t) => String(t.label ?? '')));
  },
};

/** "+20%", "−0.5%", "0%": as many decimals as the step between ticks needs, the same on every tick. */
function percentTick(value: number, ticks: { value: number }[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1].value - ticks[0].value) : Math.abs(value) || 1;
  const decimals = Math.max(0, Math.min(3, -Math.floor(Math.log10(step) + 1e-9)));
  const text = Math.abs(value).toFixed(decimals);
  if (Number(text) === 0) return '0%';
  return `${value > 0 ? '+' : '−'}${text}%`;
}

/** Parts shown under a metric (the model carries up to 20). */
const SHOWN_PARTS = 5;

/** The files that moved the metric: "dist/chunk-charts.js +1.04 kB (new)", coverage with both sides. */
function partsRow(r: Row, colspan: number): HTMLElement {
  const unit = r.metric.unit;
  const parts = r.parts ?? [];
  const worse = (delta: number): boolean => (r.metric.direction === 'higher-is-better' ? delta < 0 : r.metric.direction === 'lower-is-better' ? delta > 0 : false);
  const items = parts.slice(0, SHOWN_PARTS).map((p) => {
    const delta = formatDelta(p.delta, unit);
    const how =
      p.base === null
        ? l10n.t('{0} (new)', delta)
        : p.head === null
          ? l10n.t('{0} (removed)', delta)
          : unit === 'percent'
            ? l10n.t('{0} ({1} → {2})', delta, formatValue(p.base, unit), formatValue(p.head, unit))
            : delta;
    return el('li', { class: worse(p.delta) ? 'change-worse' : 'change-better' }, el('code', { text: p.name }), ` ${how}`);
  });
  const more = parts.length > SHOWN_PARTS ? [el('li', { class: 'muted', text: l10n.t('and {0} more', parts.length - SHOWN_PARTS) })] : [];
  const label = unit === 'percent' ? l10n.t('Files whose coverage changed (drops first)') : l10n.t('Files that moved it');
  return el(
    'tr',
    { class: 'parts-row', attrs: { 'data-parts-of': r.metric.id } },
    el('td', { attrs: { colspan } }, el('span', { class: 'muted', text: l10n.t('{0}: ', label) }), el('ul', { class: 'parts', attrs: { 'aria-label': l10n.t('{0} for {1}', label, metricTitle(r.metric)) } }, ...items, ...more)),
  );
}

function checkCell(check: Row['check']): HTMLElement {
  if (!check) return el('td', { class: 'check muted', text: '—', attrs: { title: l10n.t('No thresholds for this metric') } });
  const cell = channel('judgement', check.status, JUDGEMENT_LOOK[check.status], { tag: 'td', class: 'check', title: check.explanation });
  cell.setAttribute('aria-label', l10n.t('{0}: {1}', JUDGEMENT_LOOK[check.status].text, check.explanation));
  return cell;
}
