// One column of the comparison: who answered, where the prompt went, the answer streaming in (the chat
// view's markdown renderer, so it looks and stays as safe as there) below the model's thinking (the
// chat's collapsed Thinking section), its numbers, and Continue in chat.
import type { ErrorInfo, ErrorRemedy, MessageStatus } from '../../protocol/chat';
import type { CompareSideInfo, CompareStats, SideIndex } from '../../protocol/compareMessages';
import { button, h } from '../dom';
import { StreamingMarkdown } from '../markdown/streamingMarkdown';
import { chatRemedyButtons, errorView, type RemedyButton } from '../messages/errorView';
import type { FrameScheduler } from '../messages/frameScheduler';
import { ThinkingSection } from '../messages/thinkingView';
import { statsView } from './statsView';

/** A frame's budget for rendering one side's markdown; the rest waits for the next frame. */
const FRAME_BUDGET_MS = 8;

export class SideView {
  private readonly title = h('h2', { class: 'compare-side-title' });
  private readonly where = h('div', { class: 'compare-where' });
  private readonly body = h('div', { class: 'message-body compare-body', attrs: { 'aria-live': 'off' } });
  private readonly footer = h('div', { class: 'compare-footer' });
  readonly continueButton = button('Continue in chat', 'compare-continue', 'Continue this answer as a conversation in the Hearth chat view');
  readonly element: HTMLElement;
  private markdown: StreamingMarkdown | undefined;
  /** Made on the first piece of reasoning. */
  private thinking: ThinkingSection | undefined;
  private readonly flushFrame = (): void => this.flush();
  /** The fixes a failed side offers (the panel runs them): its own model field stands in for Select Model. */
  private readonly remedyButtons: Partial<Record<ErrorRemedy, RemedyButton>>;

  constructor(
    readonly side: SideIndex,
    private readonly scheduler: FrameScheduler,
  ) {
    this.continueButton.disabled = true;
    const name = side === 0 ? 'A' : 'B';
    this.remedyButtons = {
      setApiKey: chatRemedyButtons.setApiKey,
      selectModel: { label: 'Change Model', title: `Type another model in the model field of ${name} above` },
    };
    this.element = h(
      'section',
      { class: 'compare-side', attrs: { 'data-side': String(side), 'data-status': 'idle', 'aria-label': `Answer ${name}` } },
      h('header', { class: 'compare-side-header' }, this.title, this.where),
      this.body,
      this.footer,
    );
  }

  start(info: CompareSideInfo): void {
    this.title.textContent = info.model ? `${info.providerLabel} · ${info.model}` : info.providerLabel;
    this.where.textContent = info.dataWent;
    this.where.dataset.local = String(info.dataWent === 'stayed on this machine');
    this.thinking?.element.remove();
    this.thinking = undefined;
    this.body.replaceChildren();
    this.markdown = new StreamingMarkdown(this.body);
    this.footer.replaceChildren(h('div', { class: 'compare-progress', text: 'Waiting for the first token…' }));
    this.continueButton.disabled = true;
    this.element.dataset.status = 'streaming';
  }

  append(text: string): void {
    this.thinking?.answerStarted();
    this.markdown?.append(text);
    this.footer.querySelector('.compare-progress')?.remove();
    this.scheduler.schedule(this.flushFrame);
  }

  /** More of the side's reasoning: into its Thinking section, above the answer. */
  appendReasoning(text: string): void {
    if (!this.markdown) return;
    this.thinking ??= new ThinkingSection(this.element, !this.markdown.source);
    this.thinking.append(text);
    this.footer.querySelector('.compare-progress')?.remove();
    this.scheduler.schedule(this.flushFrame);
  }

  /** The answer text so far was the model's thinking: it moves into the Thinking section, and the answer starts again. */
  answerWasReasoning(): void {
    const thought = this.markdown?.source;
    if (!thought) return;
    this.body.replaceChildren();
    this.markdown = new StreamingMarkdown(this.body);
    this.thinking ??= new ThinkingSection(this.element, true);
    this.thinking.append(thought);
    this.scheduler.schedule(this.flushFrame);
  }

  done(status: MessageStatus, error: ErrorInfo | undefined, stats: CompareStats): void {
    this.thinking?.end(stats.thinkingMs);
    this.markdown?.end();
    this.flush();
    this.element.dataset.status = status;
    const parts: HTMLElement[] = [statsView(stats)];
    if (status === 'stopped') parts.push(h('div', { class: 'compare-note', text: 'Stopped.' }));
    if (status === 'truncated') parts.push(h('div', { class: 'compare-note', text: 'Cut at the length limit (Continue in chat can go on).' }));
    if (error) {
      const view = errorView(error, this.remedyButtons);
      view.setAttribute('role', 'alert');
      parts.push(view);
    }
    this.continueButton.disabled = false;
    parts.push(h('div', { class: 'compare-actions' }, this.continueButton));
    this.footer.replaceChildren(...parts);
  }

  private flush(): void {
    const deadline = performance.now() + FRAME_BUDGET_MS;
    let behind = false;
    for (const renderer of [this.thinking?.renderer, this.markdown]) {
      if (!renderer?.needsFlush) continue;
      renderer.flush(deadline);
      behind ||= renderer.needsFlush;
    }
    if (behind) this.scheduler.schedule(this.flushFrame);
  }
}
