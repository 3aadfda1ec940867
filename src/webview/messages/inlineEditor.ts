// Edit-and-resend: an editor that replaces a user message's body until sent or cancelled.
import { button, h } from '../dom';

export interface InlineEditorCallbacks {
  submit(text: string): void;
  close(): void;
}

export function openInlineEditor(message: HTMLElement, text: string, callbacks: InlineEditorCallbacks): void {
  const body = message.querySelector<HTMLElement>('.message-body');
  if (!body || message.querySelector('.message-editor')) return;
  const input = h('textarea', { class: 'edit-input', attrs: { 'aria-label': 'Edit your message (Enter to resend, Escape to cancel)', rows: '3' } });
  input.value = text;
  const send = button('Resend', 'edit-send', 'Resend the edited message');
  const cancel = button('Cancel', 'edit-cancel', 'Cancel editing');
  const editor = h('div', { class: 'message-editor' }, input, h('div', { class: 'edit-buttons' }, send, cancel));

  const close = (): void => {
    editor.remove();
    body.hidden = false;
    callbacks.close();
  };
  const submit = (): void => {
    const edited = input.value;
    if (!edited.trim()) return;
    close();
    callbacks.submit(edited);
  };
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation(); // Escape here cancels the edit, it does not stop generation.
      close();
    }
  });
  send.addEventListener('click', submit);
  cancel.addEventListener('click', close);

  body.hidden = true;
  body.after(editor);
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}
