// Adds the Copy / Insert / Apply / New File toolbar to each rendered code block, built with
// the DOM API (a toolbar assembled from HTML strings is how Roo Code got an XSS).
import { h, iconButton } from '../dom';

export type CodeAction = 'copy' | 'insert' | 'apply' | 'open';

// Icons, shown over the block on hover or focus as in VS Code's chat: four labelled buttons on every
// block were heavier than the code.
const ACTIONS: Array<{ action: CodeAction; icon: string; aria: string }> = [
  { action: 'copy', icon: 'copy', aria: 'Copy code' },
  { action: 'insert', icon: 'insert', aria: 'Insert code at the cursor' },
  { action: 'apply', icon: 'git-compare', aria: 'Apply code to the active editor' },
  { action: 'open', icon: 'new-file', aria: 'Open code in a new file' },
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
      ...ACTIONS.map((a) => iconButton(a.icon, 'code-action', a.aria, { 'data-action': a.action })),
    );
    const frame = h('div', { class: 'code-frame' });
    pre.replaceWith(frame);
    frame.append(h('span', { class: 'code-language', text: language ?? 'text' }), toolbar, pre);
  }
}
