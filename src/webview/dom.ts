// Tiny DOM builder: elements are created with the DOM API, never from HTML strings.
export interface ElementProps {
  class?: string;
  text?: string;
  attrs?: Record<string, string>;
  hidden?: boolean;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  if (props.text !== undefined) element.textContent = props.text;
  if (props.hidden) element.hidden = true;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** A button with a visible label and, where the label is terse, a fuller name for screen readers. */
export function button(label: string, className: string, ariaLabel?: string, attrs: Record<string, string> = {}): HTMLButtonElement {
  const all: Record<string, string> = { type: 'button', ...attrs };
  if (ariaLabel) {
    all['aria-label'] = ariaLabel;
    all.title = ariaLabel;
  }
  return h('button', { class: className, text: label, attrs: all });
}

export function byId<T extends HTMLElement>(root: ParentNode, selector: string, type: new () => T): T {
  const found = root.querySelector(selector);
  if (!(found instanceof type)) throw new Error(`Hearth webview: missing element ${selector}`);
  return found;
}

/** A codicon (the bundled @vscode/codicons font): decoration only, the button around it carries the name. */
export function codicon(name: string): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, attrs: { 'aria-hidden': 'true' } });
}

/** A toolbar button that shows only an icon, named for screen readers and in its tooltip. */
export function iconButton(icon: string, className: string, name: string, attrs: Record<string, string> = {}): HTMLButtonElement {
  return h('button', { class: `icon-button ${className}`, attrs: { type: 'button', 'aria-label': name, title: name, ...attrs } }, codicon(icon));
}
