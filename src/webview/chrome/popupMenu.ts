// A dropdown opened from a composer toolbar button (the model picker, the attach menu), as VS Code's
// chat does it: arrow keys move, Enter or Space picks, Escape (or a click elsewhere) closes and gives
// focus back to the button. Items are the popup's elements with a `data-pick` attribute.
import { h } from '../dom';

export interface PopupMenuOptions {
  /** 'listbox' for a choice with a current value (models), 'menu' for actions (attach). */
  role: 'listbox' | 'menu';
  label: string;
  onPick(item: HTMLElement): void;
  /** After it closes: an owner that held back updates while it was open applies them now. */
  onClose?(): void;
}

export class PopupMenu {
  readonly popup: HTMLElement;
  readonly element: HTMLElement;

  constructor(
    readonly trigger: HTMLButtonElement,
    private readonly options: PopupMenuOptions,
  ) {
    this.popup = h('div', { class: 'popup-menu', hidden: true, attrs: { role: options.role, 'aria-label': options.label } });
    this.element = h('div', { class: 'popup-anchor' }, trigger, this.popup);
    trigger.setAttribute('aria-haspopup', options.role);
    trigger.setAttribute('aria-expanded', 'false');
    trigger.addEventListener('click', () => (this.isOpen ? this.close(true) : this.open()));
    trigger.addEventListener('keydown', (event) => {
      if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && !this.isOpen) {
        event.preventDefault();
        this.open();
      }
    });
    this.popup.addEventListener('click', (event) => {
      const item = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-pick]') : null;
      if (item && !item.matches('input')) this.pick(item);
    });
    this.popup.addEventListener('keydown', (event) => this.onKeyDown(event));
    // A click anywhere else closes it, as a native dropdown does.
    document.addEventListener('mousedown', (event) => {
      if (this.isOpen && event.target instanceof Node && !this.element.contains(event.target)) this.close(false);
    });
  }

  get isOpen(): boolean {
    return !this.popup.hidden;
  }

  setItems(...children: Node[]): void {
    this.popup.replaceChildren(...children);
    for (const item of this.items()) item.tabIndex = -1;
  }

  open(): void {
    this.popup.hidden = false;
    this.trigger.setAttribute('aria-expanded', 'true');
    const items = this.items();
    (items.find((i) => i.getAttribute('aria-selected') === 'true') ?? items[0])?.focus();
  }

  close(focusTrigger: boolean): void {
    if (!this.isOpen) return;
    this.popup.hidden = true;
    this.trigger.setAttribute('aria-expanded', 'false');
    if (focusTrigger) this.trigger.focus();
    this.options.onClose?.();
  }

  private items(): HTMLElement[] {
    return [...this.popup.querySelectorAll<HTMLElement>('[data-pick]')].filter((i) => !i.hidden);
  }

  private pick(item: HTMLElement): void {
    this.options.onPick(item);
    // A pick may open an inline field in the popup (a typed model name); then it stays open.
    const active = document.activeElement;
    if (!(active instanceof HTMLInputElement && this.popup.contains(active))) this.close(true);
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.close(true);
      return;
    }
    if (event.key === 'Tab') return this.close(false);
    // A text field inside the popup keeps its own keys.
    if (event.target instanceof HTMLInputElement) return;
    const items = this.items();
    const index = items.indexOf(document.activeElement as HTMLElement);
    let next: HTMLElement | undefined;
    if (event.key === 'ArrowDown') next = items[(index + 1) % items.length];
    else if (event.key === 'ArrowUp') next = items[(index - 1 + items.length) % items.length];
    else if (event.key === 'Home') next = items[0];
    else if (event.key === 'End') next = items.at(-1);
    else if ((event.key === 'Enter' || event.key === ' ') && index >= 0 && items[index]) {
      event.preventDefault();
      this.pick(items[index]);
      return;
    }
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }
}
