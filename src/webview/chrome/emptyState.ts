// What a newcomer sees before the first question: what to do, in order.
import { h } from '../dom';

export function createEmptyState(): HTMLElement {
  return h(
    'div',
    { class: 'empty-state', attrs: { id: 'empty-state' } },
    h('h2', { text: 'Ask Hearth anything about your code' }),
    h(
      'ol',
      {},
      h('li', { text: 'Type a question in the box below and press Enter.' }),
      h('li', { text: 'Pick where answers come from in the provider list at the top: a local model runs on this computer, privately and free; a remote API is usually faster and smarter, but costs money and sees your text.' }),
      h('li', { text: "For a remote provider, set its API key first: run 'Hearth: Set API Key' from the Command Palette." }),
    ),
    h('p', { text: 'Use + Selection, + File or + Problems to give the model context from your editor.' }),
  );
}
