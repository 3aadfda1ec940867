// The #mentions in the composer's text, shown as chips above it: what the message will attach when
// sent (the host turns each into an attachment). × removes the mention from the text.
import { distinctMentions, findMentions, type Mention } from '../../protocol/composerSyntax';
import { button, h } from '../dom';

function label(mention: Mention): string {
  if (mention.kind === 'file') return mention.path ?? 'Active file';
  return mention.kind === 'selection' ? 'Selection' : 'Problems';
}

export class MentionChips {
  readonly element = h('ul', { class: 'chip-list mention-chips', attrs: { id: 'mention-chips', 'aria-label': 'Mentioned context, attached when sent' } });
  private shown = '';

  constructor(private readonly field: HTMLTextAreaElement) {
    this.element.addEventListener('click', (event) => {
      const chip = event.target instanceof Element ? event.target.closest<HTMLElement>('.chip-remove')?.closest<HTMLElement>('.chip') : null;
      if (chip) this.remove(chip.dataset.key ?? '');
    });
  }

  /** Shows the text's mentions, except one still being typed at `typingAt` (the caret). */
  render(typingAt?: number): void {
    const found = distinctMentions(findMentions(this.field.value).filter((m) => m.end !== typingAt));
    const key = found.map(keyOf).join('\n');
    if (key === this.shown) return; // Typing elsewhere in the text leaves the chips (and focus in them) alone.
    this.shown = key;
    this.element.replaceChildren(
      ...found.map((mention) =>
        h(
          'li',
          { class: 'chip mention-chip', attrs: { 'data-kind': mention.kind, 'data-key': keyOf(mention), title: `Attached when sent: ${label(mention)}` } },
          h('span', { class: 'chip-label', text: label(mention) }),
          button('×', 'chip-remove', `Remove the mention of ${label(mention)}`),
        ),
      ),
    );
  }

  /** Takes every mention with this key out of the text, with the space after it. */
  private remove(key: string): void {
    const value = this.field.value;
    let text = '';
    let at = 0;
    for (const mention of findMentions(value).filter((m) => keyOf(m) === key)) {
      text += value.slice(at, mention.start);
      at = mention.end + (value[mention.end] === ' ' ? 1 : 0);
    }
    this.field.value = text + value.slice(at);
    this.field.dispatchEvent(new Event('input', { bubbles: true }));
    this.field.focus();
  }
}

function keyOf(mention: Mention): string {
  return `${mention.kind}:${mention.path ?? ''}`;
}
