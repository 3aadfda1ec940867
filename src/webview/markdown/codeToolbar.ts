// Adds the Copy / Insert / Apply / New File toolbar to each rendered code block, built with
// the DOM API (a toolbar assembled from HTML strings is how Roo Code got an XSS).
import { button, h } from '../dom';

export type CodeAction = 'copy' | 'insert' | 'apply' | 'open';

const ACTIONS: Array<{ action: CodeAction; label: string; aria: string }> = [
  { action: 'copy', label: 'Copy', aria: 'Copy code' },
  { action: 'insert', label: 'Insert', aria: 'Insert code at the cursor' },
  { action: 'apply', label: 'Apply', aria: 'Apply code to the active editor' },
  { action: 'open', label: 'New File', aria: 'Open code in a new file' },
];

export function languageOfCodeElement(code: Element): string | undefined {
  for (const name of code.classList) if (name.startsWith('language-')) return name.slice('language-'.length);
  return undefined;
}

export function addCodeToolbars(root: DocumentFragment): void {
  for (const pre of root.querySelectorAll('pre.code-block')) {
    const code = pre.querySelector('code');
    const language = code ? languageOfCodeElement(code) : undefined;
    const toolbar = h(
      'div',
      { class: 'code-toolbar', attrs: { role: 'toolbar', 'aria-label': 'Code block actions' } },
      h('span', { class: 'code-language', text: language ?? 'text' }),
      ...ACTIONS.map((a) => button(a.label, 'code-action', a.aria, { 'data-action': a.action })),
    );
    const frame = h('div', { class: 'code-frame' });
    pre.replaceWith(frame);
    frame.append(toolbar, pre);
  }
}
