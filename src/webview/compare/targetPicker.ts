// Picks one side's target: a provider, and a model name (empty: the provider's configured model).
import type { CompareTarget, SideIndex } from '../../protocol/compareMessages';
import type { ProviderOption } from '../../protocol/webviewMessages';
import { h } from '../dom';
import { selectBox } from '../selectBox';

export class TargetPicker {
  private readonly provider: HTMLSelectElement;
  private readonly model: HTMLInputElement;
  readonly element: HTMLElement;

  constructor(side: SideIndex) {
    const name = side === 0 ? 'A' : 'B';
    this.provider = h('select', { attrs: { id: `target-${side}-provider`, 'aria-label': `Provider of answer ${name}` } });
    this.model = h('input', {
      attrs: { id: `target-${side}-model`, type: 'text', 'aria-label': `Model of answer ${name}`, placeholder: 'configured model', spellcheck: 'false' },
    });
    this.element = h('div', { class: 'compare-target' }, h('span', { class: 'compare-target-name', text: name }), selectBox(this.provider), this.model);
  }

  set(providers: ProviderOption[], target: CompareTarget): void {
    this.provider.replaceChildren(
      ...providers.map((p) => h('option', { text: p.kind === 'local' ? `${p.label} (this machine)` : p.label, attrs: { value: p.id } })),
    );
    this.provider.value = target.providerId;
    this.model.value = target.model ?? '';
  }

  get value(): CompareTarget {
    const model = this.model.value.trim();
    return { providerId: this.provider.value, ...(model ? { model } : {}) };
  }

  /** A side failed for its model: the field where another one is typed, its text selected to type over. */
  focusModel(): void {
    this.model.focus();
    this.model.select();
  }

  set disabled(disabled: boolean) {
    this.provider.disabled = disabled;
    this.model.disabled = disabled;
  }
}
