/**
 * DOM building for the report. Every piece of data reaches the page as a text node or an
 * attribute value set through the DOM API, never as markup, so metric names, labels, branch
 * names and messages are shown literally whatever they contain.
 */
type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  text?: string;
  on?: Partial<Record<string, (event: Event) => void>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): HTMLElementTagNameMap[K];
export function el(tag: string, props?: Props, ...children: Child[]): HTMLElement;
export function el(tag: string, props: Props = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  if (props.text !== undefined) node.textContent = props.text;
  for (const [type, handler] of Object.entries(props.on ?? {})) if (handler) node.addEventListener(type, handler);
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces a node's children in one step (no intermediate empty state is painted). */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  const fragment = document.createDocumentFragment();
  append(fragment, ...children);
  parent.replaceChildren(fragment);
}

/** A codicon glyph; decorative unless given a label. */
export function icon(name: string, label?: string): HTMLElement {
  return el('span', { class: `codicon codicon-${name}`, attrs: label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': 'true' } });
}

/** A vscode-elements button with an optional codicon in its light DOM. */
export function button(label: string, onClick: () => void, options: { icon?: string; secondary?: boolean; title?: string } = {}): HTMLElement {
  const b = el('vscode-button', { attrs: { secondary: options.secondary, title: options.title, 'aria-label': options.title ?? label } }, options.icon ? icon(options.icon) : null, label);
  b.addEventListener('click', onClick);
  return b;
}

export function metricTitle(metric: { id: string; name: string | null }): string {
  return metric.name ?? metric.id;
}

/** A control with its visible caption above it. */
export function labelled(text: string, control: HTMLElement): HTMLElement {
  return el('label', { class: 'field' }, el('span', { class: 'field-label', text }), control);
}
