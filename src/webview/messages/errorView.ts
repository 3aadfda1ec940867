// A failed answer's error: what went wrong, what to do, and the button of its one fix where it has one
// (as VS Code's chat shows one under its errors). The chat and Compare panels each handle the click.
import type { ErrorInfo, ErrorRemedy } from '../../protocol/chat';
import { button, h } from '../dom';

export interface RemedyButton {
  label: string;
  title: string;
}

/** The chat view's fixes: each runs a Hearth command. */
export const chatRemedyButtons: Record<ErrorRemedy, RemedyButton> = {
  setApiKey: { label: 'Set API Key…', title: "Enter this provider's API key (Hearth: Set API Key)" },
  selectModel: { label: 'Select Model…', title: 'Choose another model (Hearth: Select Model)' },
  newChat: { label: 'New Chat', title: 'Start a new conversation, with room for the question (Hearth: New Chat)' },
};

/** A remedy with no button in `buttons` shows none. */
export function errorView(error: ErrorInfo, buttons: Partial<Record<ErrorRemedy, RemedyButton>> = chatRemedyButtons): HTMLElement {
  const remedy = error.remedy ? buttons[error.remedy] : undefined;
  return h(
    'div',
    { class: 'message-error', attrs: { 'data-kind': error.kind } },
    h('span', { class: 'message-error-text', text: error.message }),
    // The space keeps the two sentences apart when the error is read out or copied (the layout ignores it).
    ...(error.action ? [' ', h('span', { class: 'message-error-action', text: error.action })] : []),
    ...(error.remedy && remedy
      ? [h('div', { class: 'message-error-remedies' }, button(remedy.label, 'primary message-error-remedy', remedy.title, { 'data-remedy': error.remedy }))]
      : []),
  );
}
