// What a newcomer sees before the first question: what to do, in order, and the one step this user still
// needs (the host says which: a key for a remote API that has none, a real model when only the demo answers).
import type { Status, WebviewToHost } from '../../protocol/webviewMessages';
import { button, h } from '../dom';

export class EmptyState {
  private readonly nextStep = h('div', { class: 'empty-next-step', hidden: true, attrs: { id: 'empty-next-step' } });
  readonly element = h(
    'div',
    { class: 'empty-state', attrs: { id: 'empty-state' } },
    h('h2', { text: 'Ask Hearth anything about your code' }),
    this.nextStep,
    h(
      'ol',
      {},
      h('li', { text: 'Type a question in the box below and press Enter.' }),
      h('li', { text: 'Pick where answers come from with the model button under the box: a local model runs on this computer, privately and free; a remote API is usually faster and smarter, but costs money and sees your text.' }),
      h('li', { text: "For a remote provider, set its API key first: run 'Hearth: Set API Key' from the Command Palette." }),
    ),
    h('p', { text: 'Use + under the box to give the model context from your editor: the selection, the active file or its problems.' }),
  );
  private shownFor = '';

  constructor(private readonly post: (message: WebviewToHost) => void) {}

  set hidden(hidden: boolean) {
    this.element.hidden = hidden;
  }

  setStatus(status: Status): void {
    const key = `${status.providerId}:${status.nextStep ?? ''}`;
    // Status arrives often (every answer, every model-list refresh): rebuild only when the step changes.
    if (key === this.shownFor) return;
    this.shownFor = key;
    this.nextStep.hidden = status.nextStep === undefined;
    if (status.nextStep === 'setApiKey') {
      const action = button('Set API Key', 'primary empty-set-key', `Set the API key for ${status.providerLabel}`);
      action.addEventListener('click', () => this.post({ type: 'setApiKey', providerId: status.providerId }));
      this.nextStep.replaceChildren(h('p', { text: `${status.providerLabel} needs an API key before it can answer.` }), action);
    } else if (status.nextStep === 'downloadModel') {
      const action = button('Download a model', 'primary empty-download-model', 'Download a local model to answer instead of the tiny demo model');
      action.addEventListener('click', () => this.post({ type: 'downloadModel' }));
      this.nextStep.replaceChildren(
        h('p', { text: 'Only the tiny built-in demo model is installed: it shows that Hearth works, not much more.' }),
        action,
      );
    } else {
      this.nextStep.replaceChildren();
    }
  }
}
