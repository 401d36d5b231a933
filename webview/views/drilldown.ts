/** A run's details and every metric's value, in a dialog over the current view. */
import { l10n } from '../../src/shared/l10n';
import type { RunDetail } from '../../src/shared/protocol';
import { EVENT_WORDS } from '../../src/core/analysis/vocabulary';
import type { AppContext } from '../context';
import { button, el, metricTitle, replaceChildren } from '../dom';
import { formatTime, formatValue, shortSha } from '../format';

export class DrillDown {
  readonly root = el('div', { class: 'drawer-backdrop', attrs: { hidden: true } });
  private readonly panel = el('section', { class: 'drawer', attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'drill-title', tabindex: -1 } });
  private returnFocus: HTMLElement | null = null;

  constructor(private readonly ctx: AppContext) {
    this.root.append(this.panel);
    this.root.addEventListener('click', (e) => {
      if (e.target === this.root) this.close();
    });
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.close();
      } else if (e.key === 'Tab') {
        this.keepFocusInside(e);
      }
    });
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  show(detail: RunDetail): void {
    const b = detail.build;
    if (!this.isOpen) this.returnFocus = document.activeElement as HTMLElement | null;
    const field = (label: string, value: string) => [el('dt', { text: label }), el('dd', { text: value })];
    const compare = () => {
      this.close();
      this.ctx.navigate({ view: 'compare', base: this.ctx.meta().referenceBranch, head: b.commitSha });
    };
    replaceChildren(
      this.panel,
      el(
        'header',
        { class: 'drawer-head' },
        el('h2', { attrs: { id: 'drill-title' }, text: l10n.t('Run #{0} · {1}', b.runNumber, shortSha(b.commitSha)) }),
        button(l10n.t('Close'), () => this.close(), { icon: 'close', secondary: true, title: l10n.t('Close run details') }),
      ),
      el(
        'dl',
        { class: 'run-fields' },
        ...field(l10n.t('Commit'), b.commitSha),
        ...field(l10n.t('Branch'), b.branch),
        ...field(l10n.t('Time'), formatTime(b.timestamp)),
        ...field(l10n.t('Event'), EVENT_WORDS[b.event]),
        ...field(l10n.t('Working tree'), b.dirty ? l10n.t('dirty (uncommitted changes)') : l10n.t('clean')),
        ...field(l10n.t('Run id'), b.runId),
      ),
      el(
        'div',
        { class: 'actions' },
        button(l10n.t('Copy SHA'), () => void this.ctx.source.copy(b.commitSha).catch((e: Error) => this.ctx.showError(l10n.t('Could not copy: {0}', e.message))), { icon: 'copy' }),
        // An exported file only holds comparisons between branches, not of single commits.
        this.ctx.source.standalone ? null : button(l10n.t('Compare with {0}', this.ctx.meta().referenceBranch), compare, { icon: 'git-compare', secondary: true }),
      ),
      el(
        'table',
        { class: 'run-values' },
        el('thead', {}, el('tr', {}, el('th', { attrs: { scope: 'col' }, text: l10n.t('Metric') }), el('th', { class: 'num', attrs: { scope: 'col' }, text: l10n.t('Value') }), el('th', { attrs: { scope: 'col' }, text: l10n.t('Status') }))),
        el(
          'tbody',
          {},
          ...detail.outcomes.map((o) =>
            el(
              'tr',
              {},
              el('th', { attrs: { scope: 'row' }, text: metricTitle(o.metric) }),
              el('td', { class: 'num', text: formatValue(o.value, o.metric.unit) }),
              el('td', { class: o.status && o.status !== 'ok' ? 'error-text' : 'muted', text: o.status === null ? l10n.t('not run') : o.message ? l10n.t('{0}: {1}', o.status, o.message) : o.status }),
            ),
          ),
        ),
      ),
    );
    this.root.hidden = false;
    this.panel.focus();
  }

  /** A modal dialog: Tab and Shift+Tab cycle through its own controls. */
  private keepFocusInside(e: KeyboardEvent): void {
    const focusable = [...this.panel.querySelectorAll<HTMLElement>('vscode-button, button, [tabindex="0"]')];
    if (focusable.length === 0) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = document.activeElement;
    if (e.shiftKey && (active === first || active === this.panel)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  }

  close(): void {
    this.root.hidden = true;
    this.returnFocus?.focus();
    this.returnFocus = null;
  }
}
