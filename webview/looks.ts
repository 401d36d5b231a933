/**
 * The status language on the page: one element per channel (collection status, judgement,
 * direction of change) with the core vocabulary's codicon and words. The theme colour goes on
 * the icon only; the words keep the normal foreground so they read in every theme.
 */
import type { Look } from '../src/core/analysis/vocabulary';
import { el, icon } from './dom';

/** Theme colours VS Code may not define in a webview or an export, with the variable to use instead. */
const FALLBACK: Record<string, string> = {
  'testing.iconPassed': '--vscode-charts-green',
  'testing.iconFailed': '--vscode-errorForeground',
  'testing.iconErrored': '--vscode-errorForeground',
  'testing.iconSkipped': '--vscode-descriptionForeground',
  'list.warningForeground': '--vscode-editorWarning-foreground',
  'list.errorForeground': '--vscode-errorForeground',
  disabledForeground: '--vscode-descriptionForeground',
};

/** `testing.iconPassed` → `var(--vscode-testing-iconPassed, var(--vscode-charts-green))`. */
export function themeColor(id: string): string {
  const own = `--vscode-${id.replace(/\./g, '-')}`;
  const fallback = FALLBACK[id];
  return fallback ? `var(${own}, var(${fallback}))` : `var(${own})`;
}

/** A codicon in its look's colour (decorative: the words beside it say the same). */
export function lookIcon(look: Look): HTMLElement {
  const glyph = icon(look.icon);
  glyph.classList.add('look-icon');
  if (look.color) glyph.style.color = themeColor(look.color);
  return glyph;
}

export type Channel = 'collection' | 'judgement' | 'change';

/**
 * One channel of a metric's status: `<span data-channel="judgement" data-status="warn">⚠ warns on a threshold</span>`.
 * `text` defaults to the look's words; `title` explains it on hover.
 */
export function channel(kind: Channel, status: string, look: Look, options: { tag?: 'span' | 'td' | 'div'; text?: string; title?: string; class?: string } = {}): HTMLElement {
  return el(
    options.tag ?? 'span',
    { class: `channel channel-${kind}${options.class ? ` ${options.class}` : ''}`, attrs: { 'data-channel': kind, 'data-status': status, title: options.title } },
    lookIcon(look),
    el('span', { class: 'channel-text', text: options.text ?? look.text }),
  );
}
