/** Overview: a summary line and one tile per metric (latest value, delta vs baseline, sparkline, status). */
import { l10n, plural } from '../../src/shared/l10n';
import type { OverviewModel, OverviewTile } from '../../src/shared/protocol';
import type { AppContext } from '../context';
import { CHANGE_WORDS, changeLook, changePhrase, COLLECTION_LOOK, JUDGEMENT_LOOK } from '../../src/core/analysis/vocabulary';
import { button, el, icon, metricTitle, replaceChildren } from '../dom';
import { channel } from '../looks';
import { formatDate, formatTime, formatValue, relativeTime, shortSha } from '../format';
import type { ChartTheme } from '../theme';

/**
 * What the Overview compares, in words: "feature-x against main at abc1234"; without a baseline,
 * what to do to get one. The title carries how the baseline was chosen.
 */
export function comparedWith(model: { headRef: string; baseline: { ref: string; build: { commitSha: string } | null; explanation: string; fallback?: boolean } }): { text: string; title: string } {
  const { headRef, baseline } = model;
  if (!baseline.build) {
    // The reference branch has no clean run at all (otherwise its latest one stands in, as in the Metrics view).
    return { text: l10n.t('{0}, no baseline yet: record a run of {1} without uncommitted changes to compare with it', headRef, baseline.ref), title: baseline.explanation };
  }
  const at = shortSha(baseline.build.commitSha);
  if (baseline.fallback && headRef === baseline.ref) {
    // No earlier commit has a clean run: the reference branch's latest clean run (often HEAD's own) stands in, as in the Metrics view.
    return { text: l10n.t('{0} against its latest clean run at {1}: no earlier commit of {0} has one; Measure History… records some', headRef, at), title: baseline.explanation };
  }
  const text = headRef === baseline.ref ? l10n.t('the latest run of {0} against its run at {1}', headRef, at) : l10n.t('{0} against {1} at {2}', headRef, baseline.ref, at);
  return { text, title: baseline.explanation };
}

export class OverviewView {
  readonly root = el('section', { class: 'view overview', attrs: { 'aria-label': l10n.t('Overview') } });
  private readonly summary = el('div', { class: 'summary', attrs: { role: 'group', 'aria-label': l10n.t('Summary') } });
  private readonly tiles = el('div', { class: 'tiles' });
  private readonly sparklines = new Map<HTMLCanvasElement, { values: number[]; baseline: number | null }>();
  private model: OverviewModel | undefined;

  constructor(private readonly ctx: AppContext) {
    this.root.append(this.summary, this.tiles);
  }

  update(model: OverviewModel): void {
    this.model = model;
    this.sparklines.clear();
    if (model.summary.runs === 0) {
      replaceChildren(this.summary);
      replaceChildren(this.tiles, this.emptyState());
      return;
    }
    replaceChildren(this.summary, ...this.summaryLine(model));
    const focusedMetric = (document.activeElement as HTMLElement | null)?.dataset?.metric;
    replaceChildren(this.tiles, ...model.tiles.map((t) => this.tile(t, model)));
    if (focusedMetric) this.tiles.querySelector<HTMLElement>(`[data-metric="${CSS.escape(focusedMetric)}"]`)?.focus();
    this.drawSparklines(this.ctx.theme());
  }

  /** "3 days ago" in the panel; an exported file keeps absolute times (a relative one would freeze at export). */
  private when(iso: string, short = false): string {
    if (!this.ctx.source.standalone) return relativeTime(iso, this.ctx.meta().generatedAt);
    return short ? formatDate(iso) : formatTime(iso);
  }

  retheme(theme: ChartTheme): void {
    this.drawSparklines(theme);
  }

  private emptyState(): HTMLElement {
    const standalone = this.ctx.source.standalone;
    return el(
      'div',
      { class: 'empty', attrs: { role: 'status' } },
      icon('graph-line'),
      el('h2', { text: l10n.t('No runs recorded yet') }),
      el('p', {
        text: standalone
          ? l10n.t('This history is empty. Record runs with `tidemark collect` and export again.')
          : l10n.t('Tidemark keeps a history of the metrics in tidemark.json. Run them once to start it.'),
      }),
      standalone ? null : button(l10n.t('Run All Metrics'), () => this.ctx.source.runAll(), { icon: 'play' }),
    );
  }

  private summaryLine(model: OverviewModel): (HTMLElement | string)[] {
    const s = model.summary;
    const part = (label: string, value: string, title?: string) =>
      el('span', { class: 'summary-item', attrs: { title } }, el('span', { class: 'summary-label', text: label }), el('span', { class: 'summary-value', text: value }));
    const comparing = comparedWith(model);
    const collected = (kind: 'ok' | 'failed' | 'never-run') =>
      model.tiles.filter((t) => (kind === 'failed' ? t.collection !== 'ok' && t.collection !== 'never-run' : t.collection === kind)).length;
    return [
      part(l10n.t('Runs'), s.runs.toLocaleString('en-US')),
      part(l10n.t('Branches'), String(s.branches)),
      part(l10n.t('Last run'), s.lastRun ? this.when(s.lastRun) : '—'),
      // Counted by the tiles' collection status, so the summary and the tiles say the same.
      part(l10n.t('Metrics'), l10n.t('{0} ran ok · {1} last run failed · {2} never ran', collected('ok'), collected('failed'), collected('never-run'))),
      ...(s.recent
        ? [
            part(
              plural(s.recent.days, l10n.t('Last {0} day', s.recent.days), l10n.t('Last {0} days', s.recent.days)),
              l10n.t('{0} ok · {1} partial · {2} missing', s.recent.ok, s.recent.partial, s.recent.missing),
              s.recent.problems ?? undefined,
            ),
          ]
        : []),
      part(l10n.t('Comparing'), comparing.text, comparing.title),
    ];
  }

  private tile(tile: OverviewTile, model: OverviewModel): HTMLElement {
    const unit = tile.metric.unit;
    const title = metricTitle(tile.metric);
    const open = () => this.ctx.navigate({ view: 'trends', metric: tile.metric.id });
    const collection = COLLECTION_LOOK[tile.collection];
    const judgement = tile.judgement ? JUDGEMENT_LOOK[tile.judgement.status] : undefined;
    // The value's own run is the baseline (the reference branch's first measured commit): it is
    // not "unchanged" against anything, as `tidemark check` says there.
    const ownBaseline = tile.valueBuild !== null && tile.valueBuild.id === model.baseline.build?.id;
    const direction = ownBaseline ? 'unknown' : tile.change.direction;
    const change = changeLook(ownBaseline ? { ...tile.change, direction } : tile.change);
    const against = model.baseline.build ? ` ${l10n.t('vs {0}', model.baseline.ref)}` : '';
    const changeText = ownBaseline
      ? l10n.t('no earlier run to compare with')
      : direction === 'unknown'
        ? tile.collection === 'never-run'
          ? ' '
          : model.baseline.build
            ? l10n.t('no baseline value')
            : l10n.t('no baseline yet')
        : typeof tile.value === 'string' && direction === 'changed'
          ? l10n.t('changed, was {0}', String(tile.baseline))
          : changePhrase(tile.change, unit);
    const changeChannel = channel('change', direction, change, { text: changeText });
    if (direction !== 'unknown') changeChannel.querySelector('.channel-text')!.append(el('span', { class: 'muted', text: against }));
    const channels = el(
      'div',
      { class: 'channels' },
      changeChannel,
      judgement ? channel('judgement', tile.judgement!.status, judgement, { title: tile.judgement!.explanation }) : null,
      channel('collection', tile.collection, collection, { title: tile.lastError ?? undefined }),
    );
    const spark = el('canvas', { class: 'sparkline', attrs: { 'aria-hidden': 'true', height: 32 } });
    if (tile.sparkline.length > 1) this.sparklines.set(spark, { values: tile.sparkline, baseline: tile.sparklineBaseline ?? null });
    if (typeof tile.sparklineBaseline === 'number') spark.dataset.baseline = String(tile.sparklineBaseline);
    const footer =
      tile.lastError !== null
        ? // What failed; that it failed is the collection channel's to say.
          el('div', { class: `tile-error ${tile.status}`, attrs: { title: tile.lastError }, text: tile.lastError })
        : el('div', { class: 'muted tile-foot', text: tile.valueBuild ? `${tile.valueBuild.branch} · ${shortSha(tile.valueBuild.commitSha)} · ${this.when(tile.valueBuild.timestamp, true)}` : '' });
    const spoken = [formatValue(tile.value, unit), collection.text, ...(judgement ? [judgement.text] : []), ownBaseline ? changeText : direction === 'unknown' ? CHANGE_WORDS.unknown : `${changeText}${against}`];
    const article = el(
      'article',
      {
        class: `tile status-${tile.status}`,
        attrs: { role: 'button', tabindex: 0, 'data-metric': tile.metric.id, 'aria-label': l10n.t('{0}: {1}. Open trend.', title, spoken.join(', ')) },
        on: {
          click: open,
          keydown: (e) => {
            const key = (e as KeyboardEvent).key;
            if (key === 'Enter' || key === ' ') {
              e.preventDefault();
              open();
            }
          },
        },
      },
      // The collection status is the channel below, once: no status icon in the header.
      el('header', { class: 'tile-head' }, el('span', { class: 'tile-title', text: title, attrs: { title: tile.metric.description ?? tile.metric.id } })),
      el('div', { class: 'tile-value', text: formatValue(tile.value, unit) }),
      channels,
      spark,
      footer,
    );
    return article;
  }

  private drawSparklines(theme: ChartTheme): void {
    if (!this.model) return;
    for (const [canvas, line] of this.sparklines) drawSparkline(canvas, line.values, line.baseline, theme);
  }
}

/**
 * The tile's path: with a baseline, the reference branch up to it in the muted colour, a
 * marker at the baseline, then the branch in the series colour.
 */
function drawSparkline(canvas: HTMLCanvasElement, values: number[], baseline: number | null, theme: ChartTheme): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 160;
  const height = canvas.clientHeight || 32;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  if (!g) return;
  g.scale(ratio, ratio);
  g.clearRect(0, 0, width, height);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const x = (i: number) => (i / (values.length - 1)) * (width - 8) + 4;
  const y = (v: number) => (max === min ? height / 2 : height - 4 - ((v - min) / span) * (height - 8));
  g.lineWidth = theme.kind === 'high-contrast' ? 2 : 1.5;
  g.lineJoin = 'round';
  const stroke = (from: number, to: number, color: string) => {
    if (to <= from) return;
    g.strokeStyle = color;
    g.beginPath();
    for (let i = from; i <= to; i++) {
      if (i === from) g.moveTo(x(i), y(values[i]));
      else g.lineTo(x(i), y(values[i]));
    }
    g.stroke();
  };
  if (baseline === null) {
    stroke(0, values.length - 1, theme.palette[0]);
    return;
  }
  stroke(0, baseline, theme.muted);
  stroke(baseline, values.length - 1, theme.palette[0]);
  // The baseline: a dotted vertical rule and a ring on its value.
  g.strokeStyle = theme.muted;
  g.lineWidth = 1;
  g.setLineDash([2, 2]);
  g.beginPath();
  g.moveTo(x(baseline), 1);
  g.lineTo(x(baseline), height - 1);
  g.stroke();
  g.setLineDash([]);
  g.fillStyle = theme.background;
  g.strokeStyle = theme.foreground;
  g.beginPath();
  g.arc(x(baseline), y(values[baseline]), 3, 0, Math.PI * 2);
  g.fill();
  g.stroke();
}
