// The collapsed "Thinking" section above an answer: a <details> whose summary says "Thinking…" while
// the model thinks and "Thought for N s" once the answer begins. The reasoning is model output like
// the answer, so it goes through the same markdown renderer and sanitizer, and streams the same way.
import type { StoredMessage } from '../../protocol/chat';
import { h } from '../dom';
import { StreamingMarkdown } from '../markdown/streamingMarkdown';

export class ThinkingSection {
  readonly element: HTMLDetailsElement;
  readonly renderer: StreamingMarkdown;
  private readonly summary: HTMLElement;
  private startedAt: number | undefined;
  private measuredMs: number | undefined;
  private thinking = false;

  /** Inserts a section into a rendered message, above its body; `live`: the model is thinking now. */
  constructor(message: HTMLElement, live: boolean) {
    const body = h('div', { class: 'message-thinking-body' });
    this.summary = h('summary', { class: 'message-thinking-summary' });
    this.element = h('details', { class: 'message-thinking' }, this.summary, body);
    this.renderer = new StreamingMarkdown(body);
    message.querySelector('.message-body')?.before(this.element);
    if (live) this.startLive();
    else this.showDone(undefined);
  }

  /** The section of a stored (or re-rendered) message; none when it has no reasoning. */
  static of(message: HTMLElement, stored: StoredMessage, deadline: number): ThinkingSection | undefined {
    if (!stored.reasoning) return undefined;
    const thinkingNow = stored.status === 'streaming' && !stored.content;
    const section = new ThinkingSection(message, thinkingNow);
    section.renderer.append(stored.reasoning);
    if (stored.status !== 'streaming') section.renderer.end();
    if (!thinkingNow) section.showDone(stored.stats?.thinkingMs);
    section.renderer.flush(deadline);
    return section;
  }

  get isThinking(): boolean {
    return this.thinking;
  }

  append(text: string): void {
    this.startedAt ??= performance.now();
    this.renderer.append(text);
  }

  /** The answer began: the thinking is over (more reasoning may still come; it goes in below). */
  answerStarted(): void {
    if (!this.thinking) return;
    this.measuredMs = this.startedAt === undefined ? undefined : performance.now() - this.startedAt;
    this.showDone(this.measuredMs);
  }

  /** The message ended. `ms`: how long the model thought, as the host measured it. */
  end(ms: number | undefined): void {
    this.answerStarted();
    this.renderer.end();
    this.showDone(ms ?? this.measuredMs);
  }

  private startLive(): void {
    this.thinking = true;
    this.summary.textContent = 'Thinking…';
    this.element.setAttribute('aria-busy', 'true');
  }

  private showDone(ms: number | undefined): void {
    this.thinking = false;
    this.element.removeAttribute('aria-busy');
    this.summary.textContent = ms === undefined ? 'Thoughts' : `Thought for ${formatSeconds(ms)}`;
  }
}

function formatSeconds(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
