// The prompt: Enter sends, Shift+Enter adds a line, Up on an empty prompt edits the last
// message, Escape stops an answer. #send and #stop are the e2e contract.
import type { WebviewToHost } from '../../protocol/webviewMessages';
import { h, iconButton } from '../dom';

export interface ComposerOptions {
  post(message: WebviewToHost): void;
  editLastUserMessage(): boolean;
  saveDraft(draft: string): void;
}

export class Composer {
  readonly prompt = h('textarea', {
    attrs: {
      id: 'prompt',
      rows: '2',
      'aria-label': 'Ask Hearth. Enter sends, Shift+Enter adds a line, Up edits your last message.',
      placeholder: 'Ask a question (Enter to send, Shift+Enter for a new line)',
    },
  });
  private readonly send = iconButton('send', 'primary', 'Send (Enter)', { id: 'send' });
  private readonly stop = iconButton('debug-stop', 'stop-button', 'Stop the answer (Escape)', { id: 'stop' });
  /** Opens Compare Models with this prompt: the same question to two models side by side. */
  private readonly compare = iconButton('split-horizontal', 'compare-button', 'Compare: ask two models this at once, side by side', { id: 'compare' });
  /** The toolbar's start, where the app puts attach (+) and the model picker. */
  readonly toolbarStart = h('div', { class: 'composer-toolbar-start' });
  readonly element = h(
    'div',
    { class: 'prompt-row' },
    this.prompt,
    h('div', { class: 'composer-toolbar' }, this.toolbarStart, h('div', { class: 'prompt-buttons' }, this.compare, this.send, this.stop)),
  );
  private generating = false;

  constructor(private readonly options: ComposerOptions) {
    this.prompt.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.prompt.addEventListener('input', () => options.saveDraft(this.prompt.value));
    this.send.addEventListener('click', () => this.submit());
    this.stop.addEventListener('click', () => this.stopAnswer());
    this.compare.addEventListener('click', () => options.post({ type: 'compare', text: this.prompt.value }));
  }

  /** Sets the text as if typed: the draft is saved and the completion's mention chips follow. */
  setDraft(draft: string): void {
    this.prompt.value = draft;
    this.prompt.dispatchEvent(new Event('input'));
  }

  setGenerating(generating: boolean): void {
    this.generating = generating;
    // Stop takes Send's place while an answer streams, as in VS Code's chat.
    const focused = document.activeElement;
    this.stop.hidden = !generating;
    this.send.hidden = generating;
    this.send.disabled = generating;
    // The keyboard stays on the button that took the other's place.
    if (focused === this.send && generating) this.stop.focus();
    else if (focused === this.stop && !generating) this.send.focus();
  }

  stopAnswer(): void {
    if (this.generating) this.options.post({ type: 'stop' });
  }

  private submit(): void {
    const text = this.prompt.value;
    if (this.generating || !text.trim()) return;
    this.options.post({ type: 'send', text });
    this.setDraft('');
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.isComposing) return; // An IME is composing: Enter picks a candidate.
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      this.submit();
    } else if (event.key === 'ArrowUp' && this.prompt.value === '') {
      if (this.options.editLastUserMessage()) event.preventDefault();
    } else if (event.key === 'Escape' && this.generating) {
      event.preventDefault();
      this.stopAnswer();
    }
  }
}
