// A listbox of completions tied to a text field: the field keeps focus and points at the active
// option with aria-activedescendant, as a combobox does; the caller decides what accepting means.
import { h } from '../dom';

export interface CompletionItem {
  /** What the list shows and what accepting inserts is the caller's business; `label` is shown. */
  label: string;
  description?: string;
}

export class CompletionPopup<T extends CompletionItem> {
  readonly element = h('div', { class: 'completion-popup', hidden: true, attrs: { id: 'composer-completions', role: 'listbox', 'aria-label': 'Suggestions' } });
  private items: readonly T[] = [];
  private active = 0;

  constructor(
    private readonly field: HTMLTextAreaElement,
    private readonly onAccept: (item: T) => void,
  ) {
    field.setAttribute('aria-autocomplete', 'list');
    field.setAttribute('aria-controls', this.element.id);
    // Clicking an option must not take focus from the field (that would close the list first).
    this.element.addEventListener('mousedown', (event) => event.preventDefault());
    this.element.addEventListener('click', (event) => {
      const option = event.target instanceof Element ? event.target.closest<HTMLElement>('[role="option"]') : null;
      const index = Number(option?.dataset.index);
      const item = this.items[index];
      if (item) this.onAccept(item);
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** Shows `items` (none: closes), the first one active. */
  show(items: readonly T[]): void {
    this.items = items;
    this.active = 0;
    if (items.length === 0) return this.close();
    this.element.replaceChildren(
      ...items.map((item, index) =>
        h(
          'div',
          { class: 'completion-option', attrs: { id: `composer-completion-${index}`, role: 'option', 'data-index': String(index), 'aria-selected': 'false' } },
          h('span', { class: 'completion-label', text: item.label }),
          ...(item.description ? [h('span', { class: 'completion-description', text: item.description })] : []),
        ),
      ),
    );
    this.element.hidden = false;
    this.highlight();
  }

  close(): void {
    this.element.hidden = true;
    this.element.replaceChildren();
    this.items = [];
    this.field.removeAttribute('aria-activedescendant');
  }

  /**
   * Handles the list's keys while it is open (↑/↓ move, Enter/Tab accept, Escape closes); returns
   * whether the key was its own, so the field's other key handlers leave it alone.
   */
  handleKey(event: KeyboardEvent): boolean {
    if (!this.isOpen || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return false;
    switch (event.key) {
      case 'ArrowDown':
        this.move(1);
        return true;
      case 'ArrowUp':
        this.move(-1);
        return true;
      case 'Enter':
      case 'Tab': {
        if (event.shiftKey) return false;
        const item = this.items[this.active];
        if (item) this.onAccept(item);
        return true;
      }
      case 'Escape':
        this.close();
        return true;
      default:
        return false;
    }
  }

  private move(delta: number): void {
    this.active = (this.active + delta + this.items.length) % this.items.length;
    this.highlight();
  }

  private highlight(): void {
    for (const option of this.element.querySelectorAll<HTMLElement>('[role="option"]')) {
      const on = Number(option.dataset.index) === this.active;
      option.setAttribute('aria-selected', String(on));
      option.classList.toggle('active', on);
      if (on) {
        this.field.setAttribute('aria-activedescendant', option.id);
        option.scrollIntoView({ block: 'nearest' });
      }
    }
  }
}
