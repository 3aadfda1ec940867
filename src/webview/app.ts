// Builds the panel and routes host messages to its parts.
import type { HostToWebview } from '../protocol/webviewMessages';
import { Composer } from './chrome/composer';
import { ContextChips } from './chrome/contextChips';
import { ConversationPanel } from './chrome/conversationPanel';
import { EmptyState } from './chrome/emptyState';
import { LiveRegion } from './chrome/liveRegion';
import { LiveSpeed } from './chrome/liveSpeed';
import { NoticeBar } from './chrome/noticeBar';
import { Pickers } from './chrome/pickers';
import { StatusLine } from './chrome/statusLine';
import { ComposerCompletion } from './composer/composerCompletion';
import { h } from './dom';
import type { Host } from './host';
import { FrameScheduler } from './messages/frameScheduler';
import { MessageList } from './messages/messageList';

export class App {
  private readonly conversations: ConversationPanel;
  private readonly pickers: Pickers;
  private readonly status = new StatusLine();
  private readonly speed = new LiveSpeed(() => performance.now());
  private readonly chips: ContextChips;
  private readonly composer: Composer;
  private readonly completion: ComposerCompletion;
  private readonly notices: NoticeBar;
  private readonly live = new LiveRegion();
  private readonly messages: MessageList;
  private readonly emptyState: EmptyState;
  private readonly title = h('span', { class: 'conversation-heading', attrs: { id: 'conversation-title' } });
  private conversationId = '';

  constructor(
    root: HTMLElement,
    private readonly host: Host,
  ) {
    const post = host.post.bind(host);
    this.conversations = new ConversationPanel(post, () => this.composer.prompt.focus());
    this.pickers = new Pickers(post);
    this.chips = new ContextChips(post);
    this.notices = new NoticeBar(post);
    this.emptyState = new EmptyState(post);
    const messagesElement = h('div', { class: 'messages', attrs: { id: 'messages', tabindex: '0', 'aria-label': 'Conversation' } });
    this.messages = new MessageList(messagesElement, new FrameScheduler(), {
      post,
      onCountChange: (count) => {
        this.emptyState.hidden = count > 0;
      },
      onScrollChange: (top) => {
        this.host.updateState({ scroll: top === undefined ? undefined : { conversationId: this.conversationId, top } });
      },
    });
    this.composer = new Composer({
      post,
      editLastUserMessage: () => this.messages.editLastUserMessage(),
      saveDraft: (draft) => this.host.updateState({ draft }),
    });
    this.composer.setDraft(host.state.draft ?? '');
    this.completion = new ComposerCompletion(this.composer.prompt, post);

    // The provider and model are picked in the composer, as in VS Code's chat; the header is the title.
    const header = h('header', { class: 'header' }, h('div', { class: 'header-row' }, this.title));
    this.composer.toolbarStart.append(this.chips.attachMenu, this.pickers.element);
    root.replaceChildren(
      header,
      this.conversations.panel,
      this.notices.element,
      h('main', { class: 'chat-area' }, this.emptyState.element, messagesElement),
      h('div', { class: 'composer' }, this.chips.element, this.completion.element, this.composer.element),
      this.status.element,
      this.live.element,
    );
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.defaultPrevented) this.composer.stopAnswer();
    });
    this.composer.prompt.focus();
  }

  handle(message: HostToWebview): void {
    switch (message.type) {
      case 'init': {
        const { conversation } = message;
        const saved = this.host.state.scroll;
        const restoreTop = saved && saved.conversationId === conversation.id ? saved.top : undefined;
        this.conversationId = conversation.id;
        // A snapshot (switch, reload) has no count of what streamed before it: no live figure to trust.
        this.speed.stop();
        this.status.showLive(undefined);
        this.title.textContent = conversation.title || 'New conversation';
        this.conversations.setCurrent(conversation.id);
        this.conversations.render(message.conversations);
        this.pickers.setProviders(message.providers);
        this.applyStatus(message.status);
        this.setGenerating(message.generating);
        this.chips.render(message.chips);
        this.messages.reset(conversation.messages, restoreTop);
        break;
      }
      case 'conversations': {
        this.conversations.render(message.conversations);
        // The host names a new conversation from its first message; the heading follows without a reload.
        const current = message.conversations.find((c) => c.id === this.conversationId);
        if (current) this.title.textContent = current.title || 'New conversation';
        break;
      }
      case 'messageAdded':
        this.messages.add(message.message);
        if (message.message.status === 'streaming') this.speed.start(message.message.id);
        break;
      case 'messagesTruncated':
        this.messages.truncateFrom(message.fromMessageId);
        break;
      case 'delta':
        this.messages.appendDelta(message.messageId, message.text);
        if (this.speed.delta(message.messageId)) this.status.showLive(this.speed.text());
        break;
      case 'reasoningDelta':
        // Thinking is written token by token too: it counts in the live speed.
        this.messages.appendReasoning(message.messageId, message.text);
        if (this.speed.delta(message.messageId)) this.status.showLive(this.speed.text());
        break;
      case 'messageDone':
        this.messages.done(message.messageId, message.status, message.error, {
          ...(message.usage ? { usage: message.usage } : {}),
          ...(message.stats ? { stats: message.stats } : {}),
        });
        this.speed.stop(message.messageId);
        this.status.showLive(undefined);
        if (message.status === 'complete') this.live.announce('Answer complete');
        else if (message.status === 'stopped') this.live.announce('Answer stopped');
        else if (message.status === 'truncated') this.live.announce('Answer cut at the length limit; Continue goes on');
        else if (message.error) this.live.announce(`Error: ${message.error.message}${message.error.action ? `. ${message.error.action}` : ''}`);
        break;
      case 'showConversations':
        this.conversations.toggle();
        break;
      case 'generating':
        this.setGenerating(message.generating);
        break;
      case 'status':
        this.applyStatus(message.status);
        break;
      case 'chips':
        this.chips.render(message.chips);
        break;
      case 'composerCommands':
        this.completion.setCommands(message.commands);
        break;
      case 'fileMatches':
        this.completion.fileMatches(message.requestId, message.files);
        break;
      case 'restoreDraft':
        this.composer.setDraft(message.text);
        break;
      case 'notice':
        this.notices.show(message);
        if (message.level === 'error') this.live.announce(message.text);
        break;
    }
  }

  private applyStatus(status: Extract<HostToWebview, { type: 'status' }>['status']): void {
    this.pickers.setStatus(status);
    this.status.render(status);
    this.emptyState.setStatus(status);
  }

  private setGenerating(generating: boolean): void {
    this.composer.setGenerating(generating);
    this.messages.setGenerating(generating);
  }
}
