// A polite live region: screen readers hear "Answer complete" or the error, not every token.
import { h } from '../dom';

export class LiveRegion {
  readonly element = h('div', { class: 'visually-hidden', attrs: { id: 'live', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' } });
  private toggle = false;

  announce(text: string): void {
    // A changed text is announced again even when the words repeat.
    this.toggle = !this.toggle;
    this.element.textContent = this.toggle ? text : `${text}\u00a0`;
  }
}
