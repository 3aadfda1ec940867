// Context attached to the next question: one attach (+) menu, chips to remove.
import type { ContextChip, ContextKind, WebviewToHost } from '../../protocol/webviewMessages';
import { button, codicon, h, iconButton } from '../dom';
import { PopupMenu } from './popupMenu';

const ATTACH: Array<{ kind: ContextKind; icon: string; label: string; aria: string }> = [
  { kind: 'selection', icon: 'selection', label: 'Editor selection', aria: 'Attach the editor selection' },
  { kind: 'file', icon: 'file', label: 'Active file', aria: 'Attach the active file' },
  { kind: 'problems', icon: 'warning', label: 'Problems in the active file', aria: 'Attach the problems of the active file' },
];

export class ContextChips {
  private readonly chips = h('ul', { class: 'chip-list', attrs: { id: 'chips', 'aria-label': 'Attached context' } });
  readonly element: HTMLElement;
  /** The attach (+) button and its menu, for the composer toolbar. */
  readonly attachMenu: HTMLElement;

  constructor(post: (message: WebviewToHost) => void) {
    const menu = new PopupMenu(iconButton('add', 'attach-button', 'Attach context', { id: 'attach' }), {
      role: 'menu',
      label: 'Attach context',
      onPick: (item) => {
        const option = ATTACH.find((a) => a.kind === item.dataset.kind);
        if (option) post({ type: 'attachContext', kind: option.kind });
      },
    });
    menu.setItems(
      ...ATTACH.map((a) =>
        h(
          'div',
          { class: 'popup-item attach-context', attrs: { role: 'menuitem', 'data-pick': 'attach', 'data-kind': a.kind, 'aria-label': a.aria } },
          codicon(a.icon),
          h('span', { class: 'popup-item-label', text: a.label }),
        ),
      ),
    );
    this.attachMenu = menu.element;
    this.chips.addEventListener('click', (event) => {
      const remove = event.target instanceof Element ? event.target.closest<HTMLElement>('.chip-remove') : null;
      const id = remove?.closest<HTMLElement>('.chip')?.dataset.id;
      if (id) post({ type: 'removeContext', id });
    });
    this.element = h('div', { class: 'context-row' }, this.chips);
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
