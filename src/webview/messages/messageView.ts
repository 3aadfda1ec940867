// The DOM of one message: <article class="message" data-role data-id data-status> holding
// .message-body, an optional .message-error and the message's action buttons.
import type { ErrorInfo, MessageStatus, StoredMessage } from '../../protocol/chat';
import { button, h } from '../dom';
import { costWithSource } from '../chrome/formatCost';
import { StreamingMarkdown } from '../markdown/streamingMarkdown';
import { errorView } from './errorView';

export type ShownRole = 'user' | 'assistant';
export type MessageAction = 'copy' | 'regenerate' | 'edit';

export type ShownMessage = StoredMessage & { role: ShownRole };

/** System messages are not shown in the panel. */
export function isShownMessage(message: StoredMessage): message is ShownMessage {
  return message.role === 'user' || message.role === 'assistant';
}

export function createMessageShell(message: ShownMessage): HTMLElement {
  return h('article', {
    class: 'message',
    attrs: {
      'data-role': message.role,
      'data-id': message.id,
      'data-status': message.status,
      'aria-label': message.role === 'user' ? 'You' : 'Hearth',
    },
  });
}

/**
 * Fills the shell. Returns the markdown renderer of an assistant message: it takes deltas while
 * the message streams, and may have rendering left to do after `deadline` (see needsFlush).
 */
export function renderMessage(element: HTMLElement, message: ShownMessage, deadline: number): StreamingMarkdown | undefined {
  const body = h('div', { class: 'message-body' });
  const author = h('div', { class: 'message-author', text: message.role === 'user' ? 'You' : 'Hearth' });
  if (message.role === 'assistant' && message.endpoint) author.append(endpointView(message));
  const tokens = message.role === 'assistant' ? tokensView(message) : undefined;
  if (tokens) author.append(tokens);
  element.replaceChildren(author, body);
  if (message.attachments?.length) {
    const names = message.attachments.map((a) => h('li', { class: 'chip', text: a.label, attrs: { 'data-kind': a.kind } }));
    body.after(h('ul', { class: 'message-attachments', attrs: { 'aria-label': 'Attached context' } }, ...names));
  }
  let stream: StreamingMarkdown | undefined;
  if (message.role === 'user') {
    body.classList.add('plain-text');
    body.textContent = message.content;
  } else {
    stream = new StreamingMarkdown(body);
    stream.append(message.content);
    if (message.status !== 'streaming') stream.end();
    stream.flush(deadline);
  }
  if (message.error) element.append(errorView(message.error));
  element.append(actionsView(message.role));
  return stream;
}

/** An answer's figures arrived with its end: the header shows its thinking and answer tokens. */
export function setAnswerFigures(element: HTMLElement, message: ShownMessage): void {
  element.querySelector('.message-tokens')?.remove();
  const tokens = tokensView(message);
  if (tokens) element.querySelector('.message-author')?.append(tokens);
}

export function setStatus(element: HTMLElement, status: MessageStatus, error: ErrorInfo | undefined): void {
  element.dataset.status = status;
  element.querySelector('.message-error')?.remove();
  if (error) element.querySelector('.message-body')?.after(errorView(error));
}

/** An empty placeholder of fixed height standing in for an offscreen message. */
export function collapseMessage(element: HTMLElement, height: number): void {
  element.replaceChildren(h('div', { class: 'message-body' }));
  element.classList.add('collapsed');
  element.style.height = `${height}px`;
}

export function uncollapseMessage(element: HTMLElement): void {
  element.classList.remove('collapsed');
  element.style.height = '';
}

/** Where the answer came from, so an answer from an unexpected server cannot pass unnoticed. */
function endpointView(message: ShownMessage): HTMLElement {
  const origin = message.endpoint === 'this computer' ? 'on this computer' : `from ${message.endpoint}`;
  const cost = message.stats?.cost ? ` · ${costWithSource(message.stats.cost)}` : '';
  return h('span', {
    class: 'message-endpoint',
    text: `${message.model ? `${message.model} · ${origin}` : origin}${cost}`,
    attrs: { title: `Answered ${origin}${message.model ? ` by ${message.model}` : ''}` },
  });
}

/** "120 thinking + 80 tokens": shown where the answer's reasoning tokens are known. */
function tokensView(message: ShownMessage): HTMLElement | undefined {
  const usage = message.usage;
  if (!usage?.reasoningTokens) return undefined;
  const answer = Math.max(0, usage.completionTokens - usage.reasoningTokens);
  return h('span', {
    class: 'message-tokens',
    text: `${usage.reasoningTokens} thinking + ${answer} tokens`,
    attrs: { title: `${usage.reasoningTokens} tokens of thinking and ${answer} of answer (${usage.completionTokens} written in all)` },
  });
}

function actionsView(role: ShownRole): HTMLElement {
  const actions = [button('Copy', 'message-action', 'Copy message', { 'data-action': 'copy' })];
  if (role === 'assistant') {
    actions.push(button('Regenerate', 'message-action', 'Regenerate this answer', { 'data-action': 'regenerate' }));
    // Shown by the stylesheet only while the message is `truncated`, so a status change needs no re-render.
    actions.unshift(button('Continue', 'message-action message-continue', 'Continue this answer where it was cut off', { 'data-action': 'continue' }));
  }
  if (role === 'user') actions.push(button('Edit', 'message-action', 'Edit and resend this message', { 'data-action': 'edit' }));
  return h('div', { class: 'message-actions' }, ...actions);
}
