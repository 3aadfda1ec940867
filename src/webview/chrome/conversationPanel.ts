// The conversation history: search, switch, rename, export, delete (the host offers Undo). Opened from the
// view-title History icon or its keybinding (the host posts `showConversations`), so the header has no duplicate.
import type { ConversationSummary } from '../../protocol/chat';
import type { WebviewToHost } from '../../protocol/webviewMessages';
import { h, iconButton } from '../dom';
import { relativeTime } from './relativeTime';

const SEARCH_DEBOUNCE_MS = 200;

export class ConversationPanel {
  private readonly search = h('input', {
    attrs: { id: 'conversation-search', type: 'search', placeholder: 'Search conversations', 'aria-label': 'Search conversations' },
  });
  private readonly list = h('ul', { attrs: { id: 'conversation-list', 'aria-label': 'Conversations' } });
  readonly panel = h(
    'section',
    { class: 'conversation-panel', hidden: true, attrs: { id: 'conversation-panel', 'aria-label': 'Conversations' } },
    this.search,
    this.list,
  );
  private currentId = '';
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly post: (message: WebviewToHost) => void,
    /** Where focus goes when the list closes under it, so the keyboard user is not left on nothing. */
    private readonly onClose: () => void,
  ) {
    this.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.post({ type: 'searchConversations', query: this.search.value }), SEARCH_DEBOUNCE_MS);
    });
    this.search.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        this.setOpen(false);
      }
    });
    this.list.addEventListener('click', (event) => this.onClick(event));
  }

  setOpen(open: boolean): void {
    this.panel.hidden = !open;
    if (open) this.search.focus();
    else if (this.panel.contains(document.activeElement)) this.onClose();
  }

  toggle(): void {
    this.setOpen(this.panel.hidden);
  }

  setCurrent(conversationId: string): void {
    this.currentId = conversationId;
    for (const item of this.list.children) {
      if (item instanceof HTMLElement) item.toggleAttribute('aria-current', item.dataset.id === conversationId);
    }
  }

  render(conversations: ConversationSummary[]): void {
    if (conversations.length === 0) {
      const text = this.search.value ? 'No conversation matches your search.' : 'No saved conversations yet.';
      this.list.replaceChildren(h('li', { class: 'conversation-empty', text }));
      return;
    }
    this.list.replaceChildren(...conversations.map((c) => this.item(c)));
  }

  private item(conversation: ConversationSummary): HTMLElement {
    const title = conversation.title || 'Untitled';
    const when = new Date(conversation.updatedAt).toLocaleString();
    const open = h(
      'button',
      { class: 'conversation-open', attrs: { type: 'button', title: `${title}\n${conversation.messageCount} messages, last changed ${when}` } },
      h('span', { class: 'conversation-title', text: title }),
      h('span', { class: 'conversation-meta', text: `${conversation.messageCount} messages · ${relativeTime(conversation.updatedAt, Date.now())}` }),
    );
    const item = h(
      'li',
      { class: 'conversation-item', attrs: { 'data-id': conversation.id } },
      open,
      // Icons that show on hover, as in VS Code's lists; keyboard focus inside the row shows them too.
      h(
        'div',
        { class: 'conversation-actions' },
        iconButton('edit', 'conversation-rename', `Rename "${title}"`),
        iconButton('export', 'conversation-export', `Export "${title}" as Markdown`),
        iconButton('trash', 'conversation-delete', `Delete "${title}"`),
      ),
    );
    if (conversation.id === this.currentId) item.setAttribute('aria-current', 'true');
    return item;
  }

  private onClick(event: MouseEvent): void {
    if (!(event.target instanceof Element)) return;
    const item = event.target.closest<HTMLElement>('.conversation-item');
    const id = item?.dataset.id;
    if (!item || !id) return;
    if (event.target.closest('.conversation-open')) {
      this.post({ type: 'selectConversation', id });
      this.setOpen(false);
    } else if (event.target.closest('.conversation-rename')) {
      this.startRename(item, id);
    } else if (event.target.closest('.conversation-export')) {
      this.post({ type: 'exportConversation', id });
    } else if (event.target.closest('.conversation-delete')) {
      this.post({ type: 'deleteConversation', id });
    }
  }

  private startRename(item: HTMLElement, id: string): void {
    const titleElement = item.querySelector('.conversation-title');
    if (!titleElement || item.querySelector('.conversation-rename-input')) return;
    const input = h('input', { class: 'conversation-rename-input', attrs: { type: 'text', 'aria-label': 'New title', maxlength: '200' } });
    input.value = titleElement.textContent ?? '';
    let finished = false;
    const finish = (commit: boolean): void => {
      // Removing the focused input fires blur, which would finish a second time.
      if (finished) return;
      finished = true;
      const title = input.value.trim();
      input.remove();
      item.classList.remove('renaming');
      if (commit && title && title !== titleElement.textContent) {
        titleElement.textContent = title;
        this.post({ type: 'renameConversation', id, title });
      }
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        finish(true);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        finish(false);
      }
    });
    input.addEventListener('blur', () => finish(false));
    item.classList.add('renaming');
    item.prepend(input);
    input.select();
  }
}
