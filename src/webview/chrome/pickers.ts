// Provider and model pickers: the visible switch between local and remote models. New Chat is a view-title icon.
import type { ProviderOption, Status } from '../../protocol/webviewMessages';
import type { WebviewToHost } from '../../protocol/webviewMessages';
import { h } from '../dom';

export class Pickers {
  private readonly provider = h('select', { attrs: { id: 'provider', 'aria-label': 'Provider', title: 'Where answers come from' } });
  private readonly model = h('input', {
    attrs: { id: 'model', type: 'text', list: 'model-options', 'aria-label': 'Model', placeholder: 'Model', spellcheck: 'false' },
  });
  private readonly modelOptions = h('datalist', { attrs: { id: 'model-options' } });
  readonly element = h('div', { class: 'pickers' }, this.provider, this.model, this.modelOptions);
  private currentModel = '';

  constructor(private readonly post: (message: WebviewToHost) => void) {
    this.provider.addEventListener('change', () => {
      if (this.provider.value) this.post({ type: 'selectProvider', providerId: this.provider.value });
    });
    const commitModel = (): void => {
      const model = this.model.value.trim();
      if (model && model !== this.currentModel) {
        this.currentModel = model;
        this.post({ type: 'selectModel', model });
      }
    };
    this.model.addEventListener('change', commitModel);
    this.model.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') commitModel();
    });
  }

  setProviders(providers: ProviderOption[]): void {
    this.provider.replaceChildren(
      // "Local model (local)" says it twice and costs width the narrow sidebar does not have.
      ...providers.map((p) => h('option', { text: `${p.label}${p.kind === 'local' && !/local/i.test(p.label) ? ' (local)' : ''}`, attrs: { value: p.id } })),
    );
  }

  setStatus(status: Status): void {
    if (![...this.provider.options].some((o) => o.value === status.providerId)) {
      this.provider.append(h('option', { text: status.providerLabel, attrs: { value: status.providerId } }));
    }
    this.provider.value = status.providerId;
    this.currentModel = status.model ?? '';
    if (document.activeElement !== this.model) this.model.value = this.currentModel;
    this.modelOptions.replaceChildren(...(status.models ?? []).map((m) => h('option', { attrs: { value: m } })));
    // Why there is no list (wrong key, server down): said where the list would be, and a typed name still works.
    this.model.title = status.modelsError ? `Could not list the models: ${status.modelsError}` : 'Model';
    this.model.placeholder = status.modelsError ? 'Type a model name (no list: see tooltip)' : 'Model';
    this.model.classList.toggle('models-unlisted', status.modelsError !== undefined);
  }
}
