// Context attached to the next question: buttons to attach, chips to remove.
import type { ContextChip, ContextKind, WebviewToHost } from '../../protocol/webviewMessages';
import { button, h } from '../dom';

const ATTACH: Array<{ kind: ContextKind; label: string; aria: string }> = [
  { kind: 'selection', label: '+ Selection', aria: 'Attach the editor selection' },
  { kind: 'file', label: '+ File', aria: 'Attach the active file' },
  { kind: 'problems', label: '+ Problems', aria: 'Attach the problems of the active file' },
];

export class ContextChips {
  private readonly chips = h('ul', { class: 'chip-list', attrs: { id: 'chips', 'aria-label': 'Attached context' } });
  readonly element: HTMLElement;

  constructor(post: (message: WebviewToHost) => void) {
    const attach = h(
      'div',
      { class: 'attach-buttons' },
      ...ATTACH.map((a) => button(a.label, 'attach-context', a.aria, { 'data-kind': a.kind })),
    );
    attach.addEventListener('click', (event) => {
      const kind = event.target instanceof Element ? event.target.closest<HTMLElement>('.attach-context')?.dataset.kind : undefined;
      const option = ATTACH.find((a) => a.kind === kind);
      if (option) post({ type: 'attachContext', kind: option.kind });
    });
    this.chips.addEventListener('click', (event) => {
      const remove = event.target instanceof Element ? event.target.closest<HTMLElement>('.chip-remove') : null;
      const id = remove?.closest<HTMLElement>('.chip')?.dataset.id;
      if (id) post({ type: 'removeContext', id });
    });
    this.element = h('div', { class: 'context-row' }, attach, this.chips);
  }

  render(chips: ContextChip[]): void {
    this.chips.replaceChildren(
      ...chips.map((chip) =>
        h(
          'li',
          { class: 'chip', attrs: { 'data-id': chip.id, 'data-kind': chip.kind, title: chip.label } },
          h('span', { class: 'chip-label', text: chip.label }),
          h('span', { class: 'chip-tokens', text: `${chip.tokens} tok` }),
          button('×', 'chip-remove', `Remove ${chip.label}`),
        ),
      ),
    );
  }
}
