// The provider and model as one compact picker in the composer, as in VS Code's chat: a button that
// shows the model and opens a list grouped by provider. The current provider lists its models (and
// takes a typed name, for a server that cannot list them); another provider is one pick away.
import type { ProviderOption, Status, WebviewToHost } from '../../protocol/webviewMessages';
import { codicon, h } from '../dom';
import { PopupMenu } from './popupMenu';

export class Pickers {
  private readonly label = h('span', { class: 'model-picker-label' });
  private readonly trigger = h('button', { class: 'model-picker', attrs: { id: 'model-picker', type: 'button' } }, this.label, codicon('chevron-down'));
  private readonly menu: PopupMenu;
  readonly element: HTMLElement;
  private providers: ProviderOption[] = [];
  private status: Status | undefined;

  constructor(private readonly post: (message: WebviewToHost) => void) {
    this.menu = new PopupMenu(this.trigger, {
      role: 'listbox',
      label: 'Provider and model',
      onPick: (item) => this.onPick(item),
      onClose: () => this.renderList(),
    });
    this.element = this.menu.element;
    this.element.classList.add('pickers');
  }

  setProviders(providers: ProviderOption[]): void {
    this.providers = providers;
    this.renderList();
  }

  setStatus(status: Status): void {
    this.status = status;
    const model = status.model ?? '';
    this.label.textContent = model ? shortModelName(model) : status.providerLabel;
    this.trigger.dataset.provider = status.providerId;
    this.trigger.dataset.model = model;
    // Why there is no list (wrong key, server down): said on the picker, and a typed name still works.
    const unlisted = status.modelsError !== undefined ? `\nCould not list the models: ${status.modelsError}` : '';
    this.trigger.title = `${status.providerLabel}${model ? ` · ${model}` : ''}${unlisted}\nPick a provider and model`;
    this.trigger.setAttribute('aria-label', `Model: ${model || 'default'}, from ${status.providerLabel}. Pick a provider and model`);
    this.trigger.classList.toggle('models-unlisted', status.modelsError !== undefined);
    this.renderList();
  }

  private renderList(): void {
    const status = this.status;
    // A status update while the list is open (an answer streams) must not pull it from under the user.
    if (!status || this.menu.isOpen) return;
    const providers = this.providers.some((p) => p.id === status.providerId)
      ? this.providers
      : [...this.providers, { id: status.providerId, label: status.providerLabel, kind: 'remote' as const }];
    this.menu.setItems(...providers.map((p) => this.group(p, status)));
  }

  private group(provider: ProviderOption, status: Status): HTMLElement {
    const headingId = `model-group-${provider.id.replace(/[^\w-]/g, '_')}`;
    const where = provider.kind === 'local' ? 'on this computer' : '';
    const heading = h('div', { class: 'popup-group-label', attrs: { id: headingId } }, provider.label, where ? h('span', { class: 'popup-description', text: where }) : '');
    const items: HTMLElement[] = [];
    if (provider.id === status.providerId) {
      const models = status.models?.length ? status.models : status.model ? [status.model] : [];
      for (const model of models) items.push(option(model, 'model', model, model === status.model));
      if (models.length === 0) items.push(option('Default model', 'provider', provider.id, true));
      items.push(option(status.modelsError ? 'Type a model name (no list: see the picker tooltip)…' : 'Other model…', 'typeModel', '', false));
    } else {
      items.push(option(`Use ${provider.label}`, 'provider', provider.id, false));
    }
    return h('div', { class: 'popup-group', attrs: { role: 'group', 'aria-labelledby': headingId } }, heading, ...items);
  }

  private onPick(item: HTMLElement): void {
    const value = item.dataset.value ?? '';
    switch (item.dataset.pick) {
      case 'model':
        if (value !== this.status?.model) this.post({ type: 'selectModel', model: value });
        break;
      case 'provider':
        if (value !== this.status?.providerId) this.post({ type: 'selectProvider', providerId: value });
        break;
      case 'typeModel':
        this.typeModel(item);
        break;
    }
  }

  /** Turns "Other model…" into a field: Enter uses the typed name, Escape closes the list. */
  private typeModel(item: HTMLElement): void {
    const input = h('input', { class: 'model-name-input', attrs: { id: 'model-name', type: 'text', 'aria-label': 'Model name', placeholder: 'Model name', spellcheck: 'false' } });
    input.value = this.status?.model ?? '';
    input.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault();
      const model = input.value.trim();
      if (model && model !== this.status?.model) this.post({ type: 'selectModel', model });
      this.menu.close(true);
    });
    item.replaceWith(input);
    input.focus();
    input.select();
  }
}

/** A downloaded model's id is `owner--name@revision`; the picker shows the name (the tooltip has it all). */
export function shortModelName(model: string): string {
  const match = /^[\w.-]+?--(.+)@[0-9a-f]{6,}$/.exec(model);
  return match?.[1] ?? model;
}

function option(text: string, pick: string, value: string, selected: boolean): HTMLElement {
  return h(
    'div',
    { class: 'popup-item', attrs: { role: 'option', 'data-pick': pick, 'data-value': value, 'aria-selected': String(selected) } },
    codicon(selected ? 'check' : 'blank'),
    h('span', { class: 'popup-item-label', text }),
  );
}
