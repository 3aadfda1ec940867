// The message list. Streaming text is coalesced per animation frame and only the open block of
// the streaming message is re-rendered, within a time budget per frame (rendering left over
// resumes next frame, so no task grows with the answer). The DOM stays bounded however long the conversation:
// messages that are neither among the last few nor near the viewport are collapsed into empty
// fixed-height placeholders (height measured once) and rebuilt when scrolled back into view.
import type { AnswerStats, ErrorInfo, MessageStatus, StoredMessage, Usage } from '../../protocol/chat';
import type { WebviewToHost } from '../../protocol/webviewMessages';
import { languageOfCodeElement } from '../markdown/codeToolbar';
import { safeLinkTarget } from '../markdown/linkPolicy';
import type { StreamingMarkdown } from '../markdown/streamingMarkdown';
import type { FrameScheduler } from './frameScheduler';
import { openInlineEditor } from './inlineEditor';
import {
  collapseMessage,
  createMessageShell,
  isShownMessage,
  renderMessage,
  setAnswerFigures,
  setStatus,
  uncollapseMessage,
  type ShownMessage,
} from './messageView';
import { ThinkingSection } from './thinkingView';

/** Always rendered, whatever the scroll position: the tail the user is most likely reading. */
const KEEP_LAST = 8;
/** Rendered when within one viewport height of the visible area. */
const NEAR_MARGIN = '100% 0px';
const STICK_THRESHOLD_PX = 24;
/** Main-thread time per frame for markdown rendering: leaves room for input and layout. */
const RENDER_BUDGET_MS = 8;

interface Entry {
  message: ShownMessage;
  element: HTMLElement;
  /** The markdown renderer of a shown assistant message. */
  renderer?: StreamingMarkdown;
  /** The collapsed "Thinking" section of an answer that has reasoning. */
  thinking?: ThinkingSection;
  /** Deltas go to `renderer` (the message streams). */
  live: boolean;
  /** The answer ended; its status is shown once the renderer has caught up. */
  pendingStatus?: { status: MessageStatus; error: ErrorInfo | undefined };
  collapsed: boolean;
  editing: boolean;
}

export interface MessageListOptions {
  post(message: WebviewToHost): void;
  /** Called when the number of shown messages changes (the empty state listens). */
  onCountChange(count: number): void;
  /** Scroll position to remember; undefined means "at the bottom". */
  onScrollChange(top: number | undefined): void;
}

export class MessageList {
  private readonly entries = new Map<string, Entry>();
  private order: Entry[] = [];
  private readonly near = new Set<Element>();
  private readonly observer: IntersectionObserver;
  private stickToBottom = true;
  private generating = false;
  private readonly renderFrame = (): void => this.flushStreams();
  private readonly virtualizeFrame = (): void => this.virtualize();
  private readonly scrollFrame = (): void => this.options.onScrollChange(this.stickToBottom ? undefined : this.container.scrollTop);

  constructor(
    private readonly container: HTMLElement,
    private readonly scheduler: FrameScheduler,
    private readonly options: MessageListOptions,
  ) {
    this.observer = new IntersectionObserver((changes) => this.onIntersections(changes), {
      root: container,
      rootMargin: NEAR_MARGIN,
    });
    container.addEventListener('click', (event) => this.onClick(event));
    container.addEventListener('auxclick', (event) => {
      if (!(event.target instanceof Element && event.target.closest('a'))) return;
      // A middle click must not reach VS Code's own handler either (see onClick).
      event.preventDefault();
      event.stopPropagation();
    });
    container.addEventListener(
      'scroll',
      () => {
        const { scrollTop, scrollHeight, clientHeight } = container;
        this.stickToBottom = scrollHeight - scrollTop - clientHeight <= STICK_THRESHOLD_PX;
        this.scheduler.schedule(this.scrollFrame);
      },
      { passive: true },
    );
  }

  get count(): number {
    return this.order.length;
  }

  /** Replaces everything (init). `scrollTop`: a remembered position, else the bottom. */
  reset(messages: StoredMessage[], scrollTop: number | undefined): void {
    this.observer.disconnect();
    this.near.clear();
    this.entries.clear();
    const shown = messages.filter(isShownMessage);
    const deadline = performance.now() + RENDER_BUDGET_MS;
    this.order = shown.map((message, index) => {
      const element = createMessageShell(message);
      const entry: Entry = { message, element, live: false, collapsed: false, editing: false };
      if (index >= shown.length - KEEP_LAST || message.status === 'streaming') this.expand(entry, deadline);
      else this.collapse(entry, estimateHeight(message));
      this.entries.set(message.id, entry);
      return entry;
    });
    this.container.replaceChildren(...this.order.map((e) => e.element));
    for (const entry of this.order) this.observer.observe(entry.element);
    this.markLastAssistant();
    this.options.onCountChange(this.order.length);
    this.stickToBottom = scrollTop === undefined;
    if (scrollTop === undefined) this.scrollToBottom();
    else this.container.scrollTop = scrollTop;
  }

  add(message: StoredMessage): void {
    if (!isShownMessage(message)) return;
    const existing = this.entries.get(message.id);
    if (existing) {
      existing.message = message;
      this.expand(existing, performance.now() + RENDER_BUDGET_MS);
    } else {
      const entry: Entry = { message, element: createMessageShell(message), live: false, collapsed: false, editing: false };
      this.expand(entry, performance.now() + RENDER_BUDGET_MS);
      this.entries.set(message.id, entry);
      this.order.push(entry);
      this.container.append(entry.element);
      this.observer.observe(entry.element);
      this.options.onCountChange(this.order.length);
    }
    this.markLastAssistant();
    if (this.stickToBottom) this.scrollToBottom();
    this.scheduler.schedule(this.virtualizeFrame);
  }

  appendDelta(messageId: string, text: string): void {
    const entry = this.entries.get(messageId);
    if (!entry?.live || !entry.renderer) return; // Not streaming (or unknown): nothing to append to.
    entry.thinking?.answerStarted();
    entry.renderer.append(text);
    this.scheduler.schedule(this.renderFrame);
  }

  /** More of a streaming answer's reasoning: into its Thinking section (made on the first piece). */
  appendReasoning(messageId: string, text: string): void {
    const entry = this.entries.get(messageId);
    if (!entry?.live || !entry.renderer) return;
    entry.thinking ??= new ThinkingSection(entry.element, !entry.renderer.source);
    entry.thinking.append(text);
    this.scheduler.schedule(this.renderFrame);
  }

  done(messageId: string, status: MessageStatus, error: ErrorInfo | undefined, figures: { usage?: Usage; stats?: AnswerStats } = {}): void {
    const entry = this.entries.get(messageId);
    if (!entry) return;
    entry.message = {
      ...entry.message,
      ...(figures.usage ? { usage: figures.usage } : {}),
      ...(figures.stats ? { stats: { ...entry.message.stats, ...figures.stats } } : {}),
    };
    if (!entry.collapsed) setAnswerFigures(entry.element, entry.message);
    if (entry.live && entry.thinking) {
      entry.thinking.end(entry.message.stats?.thinkingMs);
      entry.message = { ...entry.message, reasoning: entry.thinking.renderer.source };
    }
    if (entry.live && entry.renderer) {
      entry.live = false;
      entry.renderer.end();
      entry.message = { ...entry.message, content: entry.renderer.source };
      entry.pendingStatus = { status, error };
      entry.renderer.flush(performance.now() + RENDER_BUDGET_MS);
      if (!entry.renderer.finished) {
        this.scheduler.schedule(this.renderFrame);
        return;
      }
    }
    this.showStatus(entry, status, error);
  }

  private showStatus(entry: Entry, status: MessageStatus, error: ErrorInfo | undefined): void {
    entry.pendingStatus = undefined;
    entry.message = { ...entry.message, status, error };
    if (!entry.collapsed) setStatus(entry.element, status, error);
    else entry.element.dataset.status = status;
    if (this.stickToBottom) this.scrollToBottom();
    this.scheduler.schedule(this.virtualizeFrame);
  }

  /** Removes the message with this id and everything after it. */
  truncateFrom(messageId: string): void {
    const index = this.order.findIndex((e) => e.message.id === messageId);
    if (index === -1) return;
    for (const entry of this.order.splice(index)) {
      this.observer.unobserve(entry.element);
      this.near.delete(entry.element);
      entry.element.remove();
      this.entries.delete(entry.message.id);
    }
    this.markLastAssistant();
    this.options.onCountChange(this.order.length);
    this.scheduler.schedule(this.virtualizeFrame);
  }

  setGenerating(generating: boolean): void {
    this.generating = generating;
    this.container.classList.toggle('generating', generating);
  }

  /** Up on an empty prompt: edit the last user message. Returns false when there is none. */
  editLastUserMessage(): boolean {
    const entry = [...this.order].reverse().find((e) => e.message.role === 'user');
    if (!entry) return false;
    this.startEditing(entry);
    entry.element.scrollIntoView({ block: 'nearest' });
    return true;
  }

  private flushStreams(): void {
    const deadline = performance.now() + RENDER_BUDGET_MS;
    let behind = false;
    for (const entry of this.order) {
      const thinking = entry.thinking?.renderer;
      if (thinking?.needsFlush) {
        thinking.flush(deadline);
        if (thinking.needsFlush) behind = true;
      }
      const renderer = entry.renderer;
      if (!renderer?.needsFlush) continue;
      renderer.flush(deadline);
      if (renderer.needsFlush) behind = true;
      else if (entry.pendingStatus) this.showStatus(entry, entry.pendingStatus.status, entry.pendingStatus.error);
    }
    if (behind) this.scheduler.schedule(this.renderFrame);
    if (this.stickToBottom) this.scrollToBottom();
  }

  private scrollToBottom(): void {
    this.container.scrollTop = this.container.scrollHeight;
  }

  private expand(entry: Entry, deadline: number): void {
    if (entry.collapsed) uncollapseMessage(entry.element);
    entry.collapsed = false;
    entry.renderer = renderMessage(entry.element, entry.message, deadline);
    entry.thinking = ThinkingSection.of(entry.element, entry.message, deadline);
    entry.live = entry.message.status === 'streaming';
    entry.element.dataset.status = entry.message.status;
    if (entry.renderer?.needsFlush) this.scheduler.schedule(this.renderFrame);
  }

  private collapse(entry: Entry, height: number): void {
    collapseMessage(entry.element, height);
    entry.renderer = undefined;
    entry.thinking = undefined;
    entry.collapsed = true;
  }

  private onIntersections(changes: IntersectionObserverEntry[]): void {
    for (const change of changes) {
      if (change.isIntersecting) this.near.add(change.target);
      else this.near.delete(change.target);
    }
    this.scheduler.schedule(this.virtualizeFrame);
  }

  private virtualize(): void {
    const firstKept = this.order.length - KEEP_LAST;
    const toCollapse: Entry[] = [];
    const toExpand: Entry[] = [];
    this.order.forEach((entry, index) => {
      const hot = index >= firstKept || this.near.has(entry.element) || entry.editing || entry.live || !!entry.renderer?.needsFlush || !!entry.thinking?.renderer.needsFlush;
      if (!hot && !entry.collapsed) toCollapse.push(entry);
      else if (hot && entry.collapsed) toExpand.push(entry);
    });
    // Read every height before writing any, so layout runs once.
    const heights = toCollapse.map((e) => e.element.offsetHeight);
    toCollapse.forEach((entry, i) => this.collapse(entry, heights[i]));
    const deadline = performance.now() + RENDER_BUDGET_MS;
    for (const entry of toExpand) this.expand(entry, deadline);
    if (toExpand.length > 0) this.markLastAssistant();
    if (this.stickToBottom) this.scrollToBottom();
  }

  private markLastAssistant(): void {
    const last = [...this.order].reverse().find((e) => e.message.role === 'assistant');
    for (const element of this.container.querySelectorAll('.is-last-assistant')) element.classList.remove('is-last-assistant');
    last?.element.classList.add('is-last-assistant');
  }

  private startEditing(entry: Entry): void {
    if (entry.collapsed) this.expand(entry, performance.now() + RENDER_BUDGET_MS);
    entry.editing = true;
    openInlineEditor(entry.element, entry.message.content, {
      submit: (text) => this.options.post({ type: 'editAndResend', messageId: entry.message.id, text }),
      close: () => {
        entry.editing = false;
        this.scheduler.schedule(this.virtualizeFrame);
      },
    });
  }

  private onClick(event: MouseEvent): void {
    if (!(event.target instanceof Element)) return;
    const link = event.target.closest('a');
    if (link) {
      // Never navigate the webview: the host opens links after its own check. VS Code's webview
      // host listens for link clicks on the window and would open the link a second time, as a
      // trusted one, so the click must not bubble up there.
      event.preventDefault();
      event.stopPropagation();
      const url = safeLinkTarget(link.getAttribute('href'));
      if (url) this.options.post({ type: 'openLink', url });
      return;
    }
    const codeAction = event.target.closest<HTMLElement>('.code-action');
    if (codeAction) return this.onCodeAction(codeAction);
    const remedy = event.target.closest<HTMLElement>('.message-error-remedy');
    if (remedy) return this.onRemedy(remedy);
    const messageAction = event.target.closest<HTMLElement>('.message-action');
    const element = messageAction?.closest<HTMLElement>('.message');
    const entry = element?.dataset.id ? this.entries.get(element.dataset.id) : undefined;
    if (!messageAction || !entry) return;
    switch (messageAction.dataset.action) {
      case 'copy':
        this.options.post({ type: 'copyText', text: entry.live && entry.renderer ? entry.renderer.source : entry.message.content });
        break;
      case 'regenerate':
        if (!this.generating) this.options.post({ type: 'regenerate', messageId: entry.message.id });
        break;
      case 'continue':
        if (!this.generating) this.options.post({ type: 'continue', messageId: entry.message.id });
        break;
      case 'edit':
        this.startEditing(entry);
        break;
    }
  }

  /** An error's fix: the command runs in the host, for the provider that failed where it needs one. */
  private onRemedy(remedyButton: HTMLElement): void {
    const id = remedyButton.closest<HTMLElement>('.message')?.dataset.id;
    const message = id ? this.entries.get(id)?.message : undefined;
    switch (message?.error?.remedy) {
      case 'setApiKey':
        if (message.providerId) this.options.post({ type: 'setApiKey', providerId: message.providerId });
        break;
      case 'selectModel':
        this.options.post({ type: 'pickModel' });
        break;
      case 'newChat':
        this.options.post({ type: 'newChat' });
        break;
    }
  }

  private onCodeAction(actionButton: HTMLElement): void {
    const code = actionButton.closest('.code-frame')?.querySelector('code');
    if (!code) return;
    const text = code.textContent ?? '';
    const language = languageOfCodeElement(code);
    switch (actionButton.dataset.action) {
      case 'copy':
        this.options.post({ type: 'copyText', text });
        break;
      case 'insert':
        this.options.post({ type: 'insertCode', code: text });
        break;
      case 'apply':
        this.options.post({ type: 'applyCode', code: text, ...(language ? { language } : {}) });
        break;
      case 'open':
        this.options.post({ type: 'openCode', code: text, ...(language ? { language } : {}) });
        break;
    }
  }
}

/** A first guess at a never-rendered message's height; replaced by a measurement once shown. */
function estimateHeight(message: StoredMessage): number {
  // The Thinking section is collapsed: one summary line, whatever its length.
  const thinking = message.reasoning ? 24 : 0;
  const lines = message.content.split('\n').length + Math.ceil(message.content.length / 80);
  return Math.min(4000, 56 + thinking + lines * 18);
}
